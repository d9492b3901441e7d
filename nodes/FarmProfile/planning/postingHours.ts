// Posting Hours are wall-clock times in the operator's time zone; the planner works in instants. An
// instant is inside when its local time of day lies in [from, to) (across midnight when from > to,
// all day when from == to). So a daylight-saving day's hours are an hour shorter or longer, a local
// time that does not exist that day is never inside, and one that occurs twice is inside both times.

import { IANAZone } from 'luxon';

import { DAY_MS } from '../posting/cadenceGuard';
import { sortedCount } from './sortedCount';

export interface PostingHours {
	from: string;
	to: string;
}

/** Posting Hours in one time zone over a span of instants. */
export interface HoursCalendar {
	/** Whether the local time at `t` lies inside Posting Hours. */
	contains(t: number): boolean;
	/** The instants at which a period of Posting Hours begins, from `from` to `to`, in order. */
	startsBetween(from: number, to: number): number[];
	/** `t` on the local wall clock: date ('2 Dec') and time ('09:00'). */
	wallClock(t: number): { date: string; time: string };
}

// Offsets change a few times a year at most; sampling twice a day finds every change.
const SAMPLE_MS = DAY_MS / 2;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function hoursCalendar(hours: PostingHours, timezone: string, span: { from: number; to: number }): HoursCalendar {
	const zone = IANAZone.create(timezone);
	const offsetAt = (t: number) => zone.offset(t) * 60_000;
	const segments = offsetSegments(offsetAt, span.from, span.to);
	const from = msOfDay(hours.from);
	const to = msOfDay(hours.to);
	const allDay = from === to;
	const { starts, ends } = allDay ? { starts: [], ends: [] } : periods(segments, span.to, from, to < from ? to + DAY_MS : to);
	const segmentStarts = segments.map((segment) => segment.start);

	return {
		contains: (t) => {
			if (allDay) return true;
			const index = sortedCount(starts, t, true) - 1;
			return index >= 0 && t < ends[index];
		},
		startsBetween: (a, b) => starts.slice(sortedCount(starts, a), sortedCount(starts, b, true)),
		wallClock: (t) => {
			const index = sortedCount(segmentStarts, t, true) - 1;
			const inSpan = index >= 0 && t < span.to;
			const wall = new Date(t + (inSpan ? segments[index].offsetMs : offsetAt(t)));
			const two = (n: number) => String(n).padStart(2, '0');
			return {
				date: `${wall.getUTCDate()} ${MONTHS[wall.getUTCMonth()]}`,
				time: `${two(wall.getUTCHours())}:${two(wall.getUTCMinutes())}`,
			};
		},
	};
}

/** How long the daily Posting Hours last: overnight when To is earlier than From, all day when equal. */
export function hoursLengthMs(hours: PostingHours): number {
	return (msOfDay(hours.to) - msOfDay(hours.from) + DAY_MS) % DAY_MS || DAY_MS;
}

/** Whether the planner can place times in this zone. */
export function isTimeZone(name: string): boolean {
	return IANAZone.isValidZone(name);
}

function msOfDay(text: string): number {
	const [hours, minutes] = text.split(':').map(Number);
	return (hours * 60 + minutes) * 60_000;
}

/** Spans of one UTC offset covering [from, to): each from its first instant. */
function offsetSegments(offsetAt: (t: number) => number, from: number, to: number) {
	const segments = [{ start: from, offsetMs: offsetAt(from) }];
	for (let a = from; a < to; a += SAMPLE_MS) {
		const b = Math.min(a + SAMPLE_MS, to);
		const before = segments[segments.length - 1].offsetMs;
		if (offsetAt(b) === before) continue;
		// Zones change offset on a whole second: bisect the seconds between the two samples.
		let lo = Math.floor(a / 1000);
		let hi = Math.ceil(b / 1000);
		while (hi - lo > 1) {
			const mid = Math.floor((lo + hi) / 2);
			if (offsetAt(mid * 1000) === before) lo = mid;
			else hi = mid;
		}
		segments.push({ start: hi * 1000, offsetMs: offsetAt(hi * 1000) });
	}
	return segments;
}

/** The periods of Posting Hours as [start, end) instants: within one offset the wall clock is the instant shifted. */
function periods(segments: Array<{ start: number; offsetMs: number }>, spanEnd: number, fromMs: number, toMs: number) {
	const starts: number[] = [];
	const ends: number[] = [];
	segments.forEach(({ start: x, offsetMs }, index) => {
		const y = segments[index + 1]?.start ?? spanEnd;
		// The day before also counts: its period may run past midnight into this segment.
		for (let day = Math.floor((x + offsetMs) / DAY_MS) * DAY_MS - DAY_MS; day < y + offsetMs; day += DAY_MS) {
			const start = Math.max(day + fromMs - offsetMs, x);
			const end = Math.min(day + toMs - offsetMs, y);
			if (start >= end) continue;
			// Where the offset changes inside a period, its two parts meet: one period.
			if (ends.length && ends[ends.length - 1] >= start) ends[ends.length - 1] = end;
			else {
				starts.push(start);
				ends.push(end);
			}
		}
	});
	return { starts, ends };
}
