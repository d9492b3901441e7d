// What Post Across Profiles reads besides a post's fields: the pool of profiles and the rules the
// planner keeps, each checked before anything is sent. Unset options take their declared default.

import type { IExecuteFunctions } from 'n8n-workflow';

import { fieldLabel } from '../actions/fields';
import type { FieldIssue } from '../posting/body';
import { checkUuid } from '../posting/checks';
import { optionReader } from '../posting/input';
import { parseScheduledTime } from '../posting/scheduledTime';
import type { PlanRules } from './planner';
import { hoursLengthMs, isTimeZone } from './postingHours';

export interface PlanInput {
	/** The profiles of the pool, each once, in the order given. */
	pool: string[];
	rules: PlanRules;
	/** The earliest time to plan for (epoch ms); 0 means now. */
	start: number;
	horizonMs: number;
	planOnly: boolean;
	/** Things the user should know that are not errors (a profile listed twice). */
	notes: string[];
}

export type PlanInputResult = { ok: true; plan: PlanInput } | { ok: false; issues: FieldIssue[] };

const HOUR_MINUTE = /^([01]?\d|2[0-3]):([0-5]\d)$/;

export function readPlanInput(ctx: IExecuteFunctions, itemIndex: number, workflowTimezone: string): PlanInputResult {
	const option = optionReader(ctx, itemIndex);
	const issues: FieldIssue[] = [];
	const note = (name: string, problem: { problem: string; fix: string } | undefined) => {
		if (problem) issues.push({ field: fieldLabel(name), ...problem });
	};

	const pool = readPool(ctx.getNodeParameter('profileIds', itemIndex, ''));
	note('profileIds', pool.problem);

	// In the order the options show: Horizon, Max Posts per Profile per Day, Posting Hours, Start, Time Zone.
	const horizonDays = option<number>('horizonDays');
	if (!(horizonDays > 0)) note('horizonDays', { problem: `is ${horizonDays}`, fix: 'set how many days ahead posts may be planned, e.g. 6' });
	const maxPostsPerDay = option<number>('maxPostsPerDay');
	if (!(maxPostsPerDay >= 1)) {
		note('maxPostsPerDay', { problem: `is ${maxPostsPerDay}`, fix: 'Post Across Profiles spreads posts by it: set 1 or more (1–2 is what TikTok tolerates)' });
	}
	const from = option<string>('postingHoursFrom').trim();
	const to = option<string>('postingHoursTo').trim();
	for (const [name, value] of [['postingHoursFrom', from], ['postingHoursTo', to]]) {
		if (!HOUR_MINUTE.test(value)) note(name, { problem: `is "${value}", not a time of day`, fix: 'enter it as HH:mm, e.g. 09:00' });
	}
	// A slot moves up to twice the offset past the rule that set it (planning/planner.ts): it must fit in a day's hours.
	const randomOffsetMinutes = option<number>('randomOffsetMinutes');
	const hoursLong = HOUR_MINUTE.test(from) && HOUR_MINUTE.test(to) ? hoursLengthMs({ from, to }) / 60_000 : Infinity;
	if (!(randomOffsetMinutes >= 0) || 2 * randomOffsetMinutes >= hoursLong) {
		note('randomOffsetMinutes', { problem: `is ${randomOffsetMinutes}`, fix: `set 0 or more and less than half of Posting Hours (${hoursLong} min), e.g. 15` });
	}
	const timezone = option<string>('timezone').trim() || workflowTimezone;
	let start = 0;
	const startValue = ctx.getNodeParameter('options.start', itemIndex, '') as unknown;
	if (startValue !== '' && startValue !== undefined && startValue !== null) {
		const parsed = parseScheduledTime(startValue, isTimeZone(timezone) ? timezone : workflowTimezone);
		if (parsed.ok) start = parsed.ms;
		else note('start', parsed);
	}
	if (!isTimeZone(timezone)) note('timezone', { problem: `is "${timezone}", which is not a time zone`, fix: 'enter an IANA time zone such as Europe/Berlin or America/New_York, or leave it empty for the workflow\'s' });

	if (issues.length > 0) return { ok: false, issues };
	return {
		ok: true,
		plan: {
			pool: pool.profiles,
			rules: {
				maxPostsPerDay,
				minGapMinutes: option<number>('minGapMinutes'),
				postingHours: { from, to },
				timezone,
				randomOffsetMinutes,
				sameMedia: option<string>('sameMedia') === 'allow' ? 'allow' : 'refuse',
				duplicateWindowHours: option<number>('duplicateWindowHours'),
			},
			start,
			horizonMs: horizonDays * 86_400_000,
			planOnly: ctx.getNodeParameter('planOnly', itemIndex, false) === true,
			notes: pool.repeated.map((id) => `Profile ${id} is listed more than once in Profile IDs; it counts once.`),
		},
	};
}

/** The pool from text (comma- or newline-separated) or a list; every entry a profile UUID, repeats dropped. */
export function readPool(value: unknown): { profiles: string[]; repeated: string[]; problem?: { problem: string; fix: string } } {
	const entries = (Array.isArray(value) ? value.flat() : String(value ?? '').split(/[,\n]/))
		.map((entry) => String(entry ?? '').trim())
		.filter((entry) => entry !== '');
	if (entries.length === 0) {
		return { profiles: [], repeated: [], problem: { problem: 'is empty', fix: 'enter the profile_id (UUID) of each farm profile to post from, separated by commas or new lines' } };
	}
	const wrong = entries.find((entry) => checkUuid(entry));
	if (wrong !== undefined) {
		return { profiles: [], repeated: [], problem: { problem: `holds "${wrong}", which is not a UUID`, fix: checkUuid(wrong)!.fix } };
	}
	// UUIDs compare without case; the first spelling is the one sent.
	const seen = new Map<string, string>();
	const repeated = new Set<string>();
	for (const entry of entries) {
		const known = seen.get(entry.toLowerCase());
		if (known === undefined) seen.set(entry.toLowerCase(), entry);
		else repeated.add(known);
	}
	return { profiles: [...seen.values()], repeated: [...repeated] };
}
