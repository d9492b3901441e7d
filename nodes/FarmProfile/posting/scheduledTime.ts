// Turns whatever a user can put in the Scheduled Time field (the date picker's zone-less string, an
// ISO string, a Luxon DateTime from an expression, a JS Date, epoch milliseconds) into the integer
// epoch milliseconds the API's execute_at wants.

export type ScheduledTime = { ok: true; ms: number } | { ok: false; problem: string; fix: string };

// Epoch ms below this are before 1973: such a number is almost surely epoch seconds.
const SMALLEST_PLAUSIBLE_MS = 1e11;

const ZONELESS =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

export function parseScheduledTime(value: unknown, timezone: string): ScheduledTime {
	if (typeof value === 'number') return fromNumber(value);
	if (value instanceof Date) return fromNumber(value.getTime());
	if (isDateTimeLike(value)) return fromNumber(value.toMillis());
	if (typeof value !== 'string') {
		return invalid(`is a ${value === null ? 'null' : typeof value}, not a date`);
	}
	const text = value.trim();
	if (/^\d+(\.\d+)?$/.test(text)) return fromNumber(Number(text));
	const zoneless = ZONELESS.exec(text);
	if (zoneless) {
		const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0'] = zoneless;
		const parts = [y, mo, d, h, mi, s].map(Number);
		const ms = Number(frac.padEnd(3, '0'));
		const local = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], ms);
		if (Number.isNaN(local) || new Date(local).getUTCDate() !== parts[2]) {
			return invalid(`"${text}" is not a real date`);
		}
		return { ok: true, ms: zonedToUtc(local, timezone) };
	}
	const parsed = Date.parse(text);
	if (Number.isNaN(parsed)) return invalid(`"${text}" is not a date n8n can read`);
	return fromNumber(parsed);
}

/** Checks that the time lies ahead of `now`, as the API requires. */
export function checkInFuture(ms: number, now: number): ScheduledTime {
	if (ms <= now) {
		return {
			ok: false,
			problem: `${new Date(ms).toISOString()} is not in the future (now is ${new Date(now).toISOString()})`,
			fix: 'pick a later time, or leave Scheduled Time empty to publish at once',
		};
	}
	return { ok: true, ms };
}

function fromNumber(value: number): ScheduledTime {
	if (!Number.isFinite(value)) return invalid('is not a finite number');
	if (value > 0 && value < SMALLEST_PLAUSIBLE_MS) {
		return {
			ok: false,
			problem: `${value} looks like epoch seconds, but the API counts milliseconds`,
			fix: `multiply it by 1000 (e.g. ${Math.round(value * 1000)})`,
		};
	}
	return { ok: true, ms: Math.round(value) };
}

function invalid(problem: string): ScheduledTime {
	return {
		ok: false,
		problem,
		fix: 'use the date picker, an ISO date such as 2026-12-01T18:00:00Z, or epoch milliseconds',
	};
}

function isDateTimeLike(value: unknown): value is { toMillis(): number } {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { toMillis?: unknown }).toMillis === 'function'
	);
}

/** The UTC instant at which the wall-clock time `localAsUtc` (its fields read as UTC) occurs in `timezone`. */
function zonedToUtc(localAsUtc: number, timezone: string): number {
	const first = localAsUtc - offsetAt(localAsUtc, timezone);
	// A second pass settles instants next to a daylight-saving switch.
	return localAsUtc - offsetAt(first, timezone);
}

function offsetAt(instant: number, timezone: string): number {
	const fields: Record<string, number> = {};
	const format = new Intl.DateTimeFormat('en-US', {
		timeZone: timezone,
		hourCycle: 'h23',
		year: 'numeric',
		month: 'numeric',
		day: 'numeric',
		hour: 'numeric',
		minute: 'numeric',
		second: 'numeric',
	});
	for (const part of format.formatToParts(new Date(instant))) {
		if (part.type !== 'literal') fields[part.type] = Number(part.value);
	}
	const wall = Date.UTC(
		fields.year,
		fields.month - 1,
		fields.day,
		fields.hour,
		fields.minute,
		fields.second,
	);
	return wall - (instant - (instant % 1000));
}
