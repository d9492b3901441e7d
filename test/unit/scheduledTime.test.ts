import { checkInFuture, parseScheduledTime } from '../../nodes/FarmProfile/posting/scheduledTime';

const ms = (iso: string) => Date.parse(iso);

describe('parseScheduledTime', () => {
	it('reads the picker value (no zone) in the workflow time zone', () => {
		expect(parseScheduledTime('2026-12-01T18:00:00', 'UTC')).toEqual({ ok: true, ms: ms('2026-12-01T18:00:00Z') });
		expect(parseScheduledTime('2026-12-01T18:00:00', 'Europe/Berlin')).toEqual({
			ok: true,
			ms: ms('2026-12-01T17:00:00Z'),
		});
		expect(parseScheduledTime('2026-07-01 18:30', 'America/New_York')).toEqual({
			ok: true,
			ms: ms('2026-07-01T22:30:00Z'),
		});
	});

	it('keeps the zone an ISO string carries', () => {
		expect(parseScheduledTime('2026-12-01T18:00:00+02:00', 'America/New_York')).toEqual({
			ok: true,
			ms: ms('2026-12-01T16:00:00Z'),
		});
	});

	it('takes epoch milliseconds as a number or a numeric string', () => {
		expect(parseScheduledTime(1796148000000, 'UTC')).toEqual({ ok: true, ms: 1796148000000 });
		expect(parseScheduledTime('1796148000000', 'UTC')).toEqual({ ok: true, ms: 1796148000000 });
	});

	it('takes a Luxon-like DateTime and a JS Date', () => {
		const luxonLike = { toMillis: () => 1796148000000 };
		expect(parseScheduledTime(luxonLike, 'UTC')).toEqual({ ok: true, ms: 1796148000000 });
		expect(parseScheduledTime(new Date(1796148000000), 'UTC')).toEqual({ ok: true, ms: 1796148000000 });
	});

	it('spots epoch seconds and says to multiply by 1000', () => {
		const result = parseScheduledTime(1796148000, 'UTC');
		expect(result).toMatchObject({ ok: false, problem: expect.stringContaining('seconds') });
		expect(result.ok || result.fix).toContain('1796148000000');
	});

	it('refuses text that is not a date, and impossible dates', () => {
		expect(parseScheduledTime('next tuesday', 'UTC')).toMatchObject({ ok: false });
		expect(parseScheduledTime('2026-02-30T10:00:00', 'UTC')).toMatchObject({ ok: false });
		expect(parseScheduledTime(true, 'UTC')).toMatchObject({ ok: false, problem: 'is a boolean, not a date' });
	});
});

describe('checkInFuture', () => {
	it('accepts only instants after now', () => {
		expect(checkInFuture(2000, 1000)).toEqual({ ok: true, ms: 2000 });
		expect(checkInFuture(1000, 1000)).toMatchObject({ ok: false, fix: expect.stringContaining('later') });
	});
});
