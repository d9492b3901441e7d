import { backoffMs, Pacer, pacerFor, retryAfterMs, type PaceRule } from '../../nodes/FarmProfile/transport/pacing';

const MINUTE = 60_000;
const SPAN = 61_200; // a minute and the 2% headroom
const byWindow = (limit: number, windowMs = MINUTE): PaceRule => ({ limit, windowMs, mode: 'window' });
const evenly = (limit: number, windowMs = MINUTE): PaceRule => ({ limit, windowMs, mode: 'even' });

/** Whether any span of `windowMs` holds more than `limit` of the times (the server's own count). */
function exceeds(times: number[], limit: number, windowMs: number): boolean {
	return times.some((start) => times.filter((t) => t >= start && t < start + windowMs).length > limit);
}

describe('Pacer keeping the limit per window (fake clock: times are plain numbers)', () => {
	it('lets a batch within the limit go at once', () => {
		const pacer = new Pacer();
		expect(Array.from({ length: 10 }, () => pacer.reserve(1_000, byWindow(30)))).toEqual(Array(10).fill(0));
	});

	it('sends the 31st request only when the 1st has left the window', () => {
		const pacer = new Pacer();
		const waits = Array.from({ length: 31 }, () => pacer.reserve(0, byWindow(30)));
		expect(waits.slice(0, 30)).toEqual(Array(30).fill(0));
		expect(waits[30]).toBe(SPAN);
	});

	it('never puts more than the limit in any window, however the requests arrive', () => {
		const pacer = new Pacer();
		const sends: number[] = [];
		let now = 0;
		for (let i = 0; i < 200; i++) {
			now += (i * 7_919) % 3_001; // uneven arrivals, some bunched, some spread
			sends.push(now + pacer.reserve(now, byWindow(30)));
		}
		expect(exceeds(sends, 30, MINUTE)).toBe(false);
		expect(exceeds(sends, 30, SPAN)).toBe(false);
	});

	it('keeps a short window for a test server (30 per 6 s)', () => {
		const pacer = new Pacer();
		const sends = Array.from({ length: 100 }, () => pacer.reserve(0, byWindow(30, 6_000)));
		expect(exceeds(sends, 30, 6_000)).toBe(false);
		expect(sends[99]).toBe(3 * 6_120);
	});

	it('holds every later request back after a 429', () => {
		const pacer = new Pacer();
		pacer.reserve(0, byWindow(30));
		pacer.holdUntil(30_000);
		expect(pacer.reserve(5_000, byWindow(30))).toBe(25_000);
		pacer.holdUntil(10_000); // an earlier hold never shortens a later one
		expect(pacer.reserve(5_000, byWindow(30))).toBe(25_000);
	});

	it('paces nothing at 0 requests per minute', () => {
		const pacer = new Pacer();
		expect([pacer.reserve(5, byWindow(0)), pacer.reserve(5, evenly(0))]).toEqual([0, 0]);
		pacer.holdUntil(1_000); // but a 429's wait still holds
		expect(pacer.reserve(5, byWindow(0))).toBe(995);
	});
});

describe('Pacer spacing evenly', () => {
	it('spaces requests one interval apart instead of letting them burst', () => {
		const pacer = new Pacer();
		const interval = 2_040;
		const waits = [0, 0, 0, 0, 0].map(() => pacer.reserve(1_000, evenly(30)));
		expect(waits).toEqual([0, interval, 2 * interval, 3 * interval, 4 * interval]);
	});

	it('does not save up unused slots for a later burst', () => {
		const pacer = new Pacer();
		pacer.reserve(0, evenly(30));
		expect(pacer.reserve(60_000, evenly(30))).toBe(0);
		expect(pacer.reserve(60_000, evenly(30))).toBe(2_040);
	});

	it('fits 30 requests in a little over a minute at 30 per minute, never 31', () => {
		const pacer = new Pacer();
		const sendTimes = Array.from({ length: 31 }, () => pacer.reserve(0, evenly(30)));
		expect(sendTimes[29]).toBe(29 * 2_040); // the 30th inside the first minute
		expect(sendTimes[30]).toBe(SPAN); // the 31st only once the minute and its headroom are over
		expect(exceeds(sendTimes, 30, MINUTE)).toBe(false);
	});
});

describe('pacerFor', () => {
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
