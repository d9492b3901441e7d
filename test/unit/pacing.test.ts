import { backoffMs, intervalFor, Pacer, pacerFor, retryAfterMs } from '../../nodes/FarmProfile/helpers/pacing';

describe('Pacer (fake clock: times are plain numbers)', () => {
	it('spaces requests evenly instead of letting them burst', () => {
		const pacer = new Pacer();
		const interval = intervalFor(30);
		// Five requests asked for at the same instant go out one interval apart.
		const waits = [0, 0, 0, 0, 0].map(() => pacer.reserve(1_000, interval));
		expect(waits).toEqual([0, interval, 2 * interval, 3 * interval, 4 * interval]);
	});

	it('does not save up unused slots for a later burst', () => {
		const pacer = new Pacer();
		pacer.reserve(0, 2_000);
		expect(pacer.reserve(60_000, 2_000)).toBe(0);
		expect(pacer.reserve(60_000, 2_000)).toBe(2_000);
	});

	it('fits 30 requests in a little over a minute at 30 per minute, never 31', () => {
		const pacer = new Pacer();
		const interval = intervalFor(30);
		const sendTimes = Array.from({ length: 31 }, () => pacer.reserve(0, interval));
		expect(sendTimes[29]).toBeLessThan(60_000);
		expect(sendTimes[30]).toBeGreaterThan(60_000);
		expect(interval).toBe(2_040);
	});

	it('holds every later request back after a 429', () => {
		const pacer = new Pacer();
		pacer.reserve(0, 2_000);
		pacer.holdUntil(30_000);
		expect(pacer.reserve(5_000, 2_000)).toBe(25_000);
		pacer.holdUntil(10_000); // an earlier hold never shortens a later one
		expect(pacer.reserve(5_000, 2_000)).toBe(27_000);
	});

	it('paces nothing at 0 requests per minute', () => {
		const pacer = new Pacer();
		expect(intervalFor(0)).toBe(0);
		expect([pacer.reserve(5, 0), pacer.reserve(5, 0)]).toEqual([0, 0]);
	});

	it('shares one pacer per key and base URL', () => {
		expect(pacerFor('https://a', 'k1')).toBe(pacerFor('https://a', 'k1'));
		expect(pacerFor('https://a', 'k1')).not.toBe(pacerFor('https://a', 'k2'));
		expect(pacerFor('https://a', 'k1')).not.toBe(pacerFor('https://b', 'k1'));
	});
});

describe('retryAfterMs', () => {
	it('reads seconds and HTTP dates', () => {
		expect(retryAfterMs('7', 0)).toBe(7_000);
		expect(retryAfterMs(['2'], 0)).toBe(2_000);
		const now = Date.parse('2026-11-25T12:00:00Z');
		expect(retryAfterMs('Wed, 25 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
		expect(retryAfterMs('Wed, 25 Nov 2026 11:00:00 GMT', now)).toBe(0);
	});

	it('has no answer for a missing or unreadable header', () => {
		expect(retryAfterMs(undefined, 0)).toBeUndefined();
		expect(retryAfterMs('soon', 0)).toBeUndefined();
	});
});

describe('backoffMs', () => {
	it('doubles from 5 s up to a minute', () => {
		expect([1, 2, 3, 4, 5, 9].map(backoffMs)).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000]);
	});
});
