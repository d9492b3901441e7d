import { hoursCalendar } from '../../nodes/FarmProfile/planning/postingHours';

const utc = (iso: string) => Date.parse(`${iso}Z`);
const HOUR = 3_600_000;

/** The periods of a calendar over [from, to): each as [start, end) in UTC ISO, found by walking it minute by minute. */
function periodsByWalking(calendar: ReturnType<typeof hoursCalendar>, from: number, to: number): string[][] {
	const found: string[][] = [];
	let start: number | undefined;
	for (let t = from; t <= to; t += 60_000) {
		const inside = t < to && calendar.contains(t);
		if (inside && start === undefined) start = t;
		if (!inside && start !== undefined) {
			found.push([new Date(start).toISOString(), new Date(t).toISOString()]);
			start = undefined;
		}
	}
	return found;
}

/** Posting Hours in a zone, and their periods within [from, to) as found by walking the calendar. */
function walk(hours: { from: string; to: string }, timezone: string, from: string, to: string) {
	const calendar = hoursCalendar(hours, timezone, { from: utc(from) - 2 * 24 * HOUR, to: utc(to) + 2 * 24 * HOUR });
	return { calendar, periods: periodsByWalking(calendar, utc(from), utc(to)), starts: calendar.startsBetween(utc(from), utc(to)) };
}
const iso = (...times: string[]) => times.map((time) => `${time}:00.000Z`);

describe('hoursCalendar', () => {
	it('holds 09:00–21:00 local on both sides of the spring change in Europe/Berlin (CET → CEST on 29 Mar 2026)', () => {
		const { periods, starts } = walk({ from: '09:00', to: '21:00' }, 'Europe/Berlin', '2026-03-28T00:00', '2026-03-30T00:00');
		expect(periods).toEqual([iso('2026-03-28T08:00', '2026-03-28T20:00'), iso('2026-03-29T07:00', '2026-03-29T19:00')]);
		expect(starts).toEqual([utc('2026-03-28T08:00'), utc('2026-03-29T07:00')]);
	});

	it('has no 02:00–03:00 on the day it does not exist, and keeps 03:00–04:00 of 02:00–04:00', () => {
		expect(walk({ from: '02:00', to: '03:00' }, 'Europe/Berlin', '2026-03-28T00:00', '2026-03-30T00:00').periods).toEqual([
			iso('2026-03-28T01:00', '2026-03-28T02:00'),
		]);
		expect(walk({ from: '02:00', to: '04:00' }, 'Europe/Berlin', '2026-03-29T00:00', '2026-03-29T12:00').periods).toEqual([
			iso('2026-03-29T01:00', '2026-03-29T02:00'),
		]);
	});

	it('holds 02:30–03:30 both times 02:30 occurs on the autumn change in Europe/Berlin (25 Oct 2026)', () => {
		// 02:30–03:00 CEST, then the clock goes back to 02:00 CET: 02:30–03:30 CET.
		expect(walk({ from: '02:30', to: '03:30' }, 'Europe/Berlin', '2026-10-24T22:00', '2026-10-25T12:00').periods).toEqual([
			iso('2026-10-25T00:30', '2026-10-25T01:00'),
			iso('2026-10-25T01:30', '2026-10-25T02:30'),
		]);
	});

	it('keeps 01:00–04:00 one period through the autumn change, 4 h long', () => {
		const { periods, starts } = walk({ from: '01:00', to: '04:00' }, 'Europe/Berlin', '2026-10-24T12:00', '2026-10-25T12:00');
		expect(periods).toEqual([iso('2026-10-24T23:00', '2026-10-25T03:00')]);
		expect(starts).toEqual([utc('2026-10-24T23:00')]);
	});

	it('runs overnight hours past midnight, 4 h and 5 h long on the changes in America/New_York', () => {
		const overnight = { from: '22:00', to: '02:00' };
		expect(walk(overnight, 'America/New_York', '2026-03-07T12:00', '2026-03-09T12:00').periods).toEqual([
			iso('2026-03-08T03:00', '2026-03-08T07:00'),
			iso('2026-03-09T02:00', '2026-03-09T06:00'),
		]);
		expect(walk(overnight, 'America/New_York', '2026-10-31T12:00', '2026-11-02T12:00').periods).toEqual([
			iso('2026-11-01T02:00', '2026-11-01T07:00'),
			iso('2026-11-02T03:00', '2026-11-02T07:00'),
		]);
	});

	it('is all day when from equals to, with no period starts', () => {
		const { periods, starts } = walk({ from: '00:00', to: '00:00' }, 'Europe/Berlin', '2026-03-29T00:00', '2026-03-30T00:00');
		expect(periods).toEqual([iso('2026-03-29T00:00', '2026-03-30T00:00')]);
		expect(starts).toEqual([]);
	});

	it('keeps half-hour zones and their changes (Australia/Lord_Howe: +10:30 → +11 on 4 Oct 2026)', () => {
		const { starts } = walk({ from: '09:00', to: '10:00' }, 'Australia/Lord_Howe', '2026-10-02T12:00', '2026-10-04T12:00');
		expect(starts).toEqual([utc('2026-10-02T22:30'), utc('2026-10-03T22:00')]);
	});

	it('shows an instant on the local wall clock, within the span and beyond it', () => {
		const { calendar } = walk({ from: '09:00', to: '21:00' }, 'Europe/Berlin', '2026-10-25T00:00', '2026-10-26T00:00');
		expect(calendar.wallClock(utc('2026-10-25T00:30'))).toEqual({ date: '25 Oct', time: '02:30' });
		expect(calendar.wallClock(utc('2026-10-25T01:30'))).toEqual({ date: '25 Oct', time: '02:30' });
		expect(calendar.wallClock(utc('2026-12-01T08:05'))).toEqual({ date: '1 Dec', time: '09:05' });
	});
});
