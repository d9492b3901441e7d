import { DAY_MS, fitsCadence } from '../../nodes/FarmProfile/posting/cadenceGuard';
import {
	placePost,
	planBatch,
	type Placement,
	type PlanPost,
	type PlanRules,
	type PlanWindow,
	type PoolHistory,
} from '../../nodes/FarmProfile/planning/planner';
import { parseScheduledTime } from '../../nodes/FarmProfile/posting/scheduledTime';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** A local wall time ('2026-12-01 09:00') in a time zone, as epoch ms. */
function local(text: string, timezone: string): number {
	const parsed = parseScheduledTime(text, timezone);
	if (!parsed.ok) throw new Error(parsed.problem);
	return parsed.ms;
}

const wallFormats = new Map<string, Intl.DateTimeFormat>();
/** Epoch ms on the local wall clock: '1 Dec 09:00'. */
function wall(t: number, timezone: string): string {
	let format = wallFormats.get(timezone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
		wallFormats.set(timezone, format);
	}
	const parts = Object.fromEntries(format.formatToParts(t).map((part) => [part.type, part.value]));
	return `${parts.day} ${parts.month} ${parts.hour}:${parts.minute}`;
}

const offsets = new Map<string, number>();
/**
 * Minutes since local midnight at `t`. The offset is read by Intl once per half hour: every zone
 * used here changes its offset on a whole or half hour UTC.
 */
function localMinutes(t: number, timezone: string): number {
	const halfHour = t - (t % (30 * MINUTE));
	const key = `${timezone} ${halfHour}`;
	let offset = offsets.get(key);
	if (offset === undefined) {
		const [h, m] = wall(halfHour, timezone).split(' ')[2].split(':').map(Number);
		offset = (((h * 60 + m) * MINUTE - (halfHour % DAY_MS)) % DAY_MS + DAY_MS) % DAY_MS;
		offsets.set(key, offset);
	}
	return (((t + offset) % DAY_MS) + DAY_MS) % DAY_MS / MINUTE;
}

/** Whether an instant's local time of day lies inside the rules' Posting Hours. */
function hoursCheck(rules: PlanRules): (t: number) => boolean {
	const [from, to] = [rules.postingHours.from, rules.postingHours.to].map((text) => {
		const [h, m] = text.split(':').map(Number);
		return h * 60 + m;
	});
	return (t) => {
		const at = localMinutes(t, rules.timezone);
		if (from === to) return true;
		return from < to ? at >= from && at < to : at >= from || at < to;
	};
}
const insideHours = (t: number, rules: PlanRules) => hoursCheck(rules)(t);

const BERLIN = 'Europe/Berlin';
const berlinRules: PlanRules = {
	maxPostsPerDay: 2,
	minGapMinutes: 120,
	postingHours: { from: '09:00', to: '21:00' },
	timezone: BERLIN,
	randomOffsetMinutes: 0,
	sameMedia: 'refuse',
	duplicateWindowHours: 48,
};
const videos = (count: number, prefix = 'video'): PlanPost[] =>
	Array.from({ length: count }, (_, i) => ({ ref: `${prefix}-${i + 1}`, media: `https://cdn.example.com/${prefix}-${i + 1}.mp4` }));
const placed = (placement: Placement) => {
	if (!placement.ok) throw new Error(`not placed: ${placement.problem}`);
	return placement;
};
/** The plan as the README shows it: item → profile, local time. */
const asTable = (posts: PlanPost[], plan: Placement[], timezone: string) =>
	plan.map((placement, i) => {
		const { profileId, slot } = placed(placement);
		return `${posts[i].ref} → ${profileId} ${wall(slot, timezone)}`;
	});
/** The history a plan leaves: each pool profile's records plus what the plan placed. */
function withPlan(history: PoolHistory, posts: PlanPost[], plan: Placement[]): PoolHistory {
	const next: PoolHistory = Object.fromEntries(Object.entries(history).map(([id, records]) => [id, [...records]]));
	plan.forEach((placement, i) => {
		if (placement.ok) (next[placement.profileId] ??= []).push({ slot: placement.slot, media: posts[i].media });
	});
	return next;
}

describe('planBatch: the README worked example', () => {
	// 5 profiles, 12 videos, 2 per day, 09:00–21:00 Europe/Berlin, planned on 1 Dec 2026 at 08:00.
	const now = local('2026-12-01 08:00', BERLIN);
	const window: PlanWindow = { earliest: now, latest: now + 6 * DAY_MS };
	const pool = ['anna', 'ben', 'cleo', 'dan', 'eve'];

	it('fills each profile\'s first two slots a Minimum Gap apart, then goes on the next day', () => {
		const posts = videos(12);
		const plan = planBatch(posts, pool, {}, berlinRules, window);
		expect(asTable(posts, plan, BERLIN)).toEqual([
			'video-1 → anna 1 Dec 09:00',
			'video-2 → ben 1 Dec 09:00',
			'video-3 → cleo 1 Dec 09:00',
			'video-4 → dan 1 Dec 09:00',
			'video-5 → eve 1 Dec 09:00',
			'video-6 → anna 1 Dec 11:00',
			'video-7 → ben 1 Dec 11:00',
			'video-8 → cleo 1 Dec 11:00',
			'video-9 → dan 1 Dec 11:00',
			'video-10 → eve 1 Dec 11:00',
			'video-11 → anna 2 Dec 09:00',
			'video-12 → ben 2 Dec 09:00',
		]);
		expect(plan.map((placement) => placed(placement).reason)).toEqual([
			'first free slot in Posting Hours; tie: first in the pool',
			'first free slot in Posting Hours; tie: first in the pool',
			'first free slot in Posting Hours; tie: first in the pool',
			'first free slot in Posting Hours; tie: first in the pool',
			'first free slot in Posting Hours',
			'Minimum Gap after its post at 1 Dec 09:00 Europe/Berlin; tie: first in the pool',
			'Minimum Gap after its post at 1 Dec 09:00 Europe/Berlin; tie: first in the pool',
			'Minimum Gap after its post at 1 Dec 09:00 Europe/Berlin; tie: first in the pool',
			'Minimum Gap after its post at 1 Dec 09:00 Europe/Berlin; tie: first in the pool',
			'Minimum Gap after its post at 1 Dec 09:00 Europe/Berlin',
			'daily limit reached: 24 h after its post at 1 Dec 09:00 Europe/Berlin; tie: first in the pool',
			'daily limit reached: 24 h after its post at 1 Dec 09:00 Europe/Berlin; tie: first in the pool',
		]);
	});

	it('places 20 posts over 5 profiles at 2 per day: 10 in the first day\'s hours, the rest the next day', () => {
		const plan = planBatch(videos(20), pool, {}, berlinRules, window).map(placed);
		const firstDay = plan.slice(0, 10);
		const secondDay = plan.slice(10);
		for (const [day, part] of [['1 Dec', firstDay], ['2 Dec', secondDay]] as const) {
			expect(part.every(({ slot }) => wall(slot, BERLIN).startsWith(`${day} `) && insideHours(slot, berlinRules))).toBe(true);
			// Two per profile that day, every profile used.
			for (const id of pool) expect(part.filter((p) => p.profileId === id)).toHaveLength(2);
		}
	});

	it('continues the schedule when a second plan sees the first plan\'s slots, instead of starting over', () => {
		const posts = videos(20);
		const first = planBatch(posts.slice(0, 12), pool, {}, berlinRules, window);
		const second = planBatch(posts.slice(12), pool, withPlan({}, posts.slice(0, 12), first), berlinRules, window);
		// Exactly as if the 20 had been planned at once.
		expect([...first, ...second]).toEqual(planBatch(posts, pool, {}, berlinRules, window));
		expect(asTable(posts.slice(12), second, BERLIN).slice(0, 4)).toEqual([
			'video-13 → cleo 2 Dec 09:00',
			'video-14 → dan 2 Dec 09:00',
			'video-15 → eve 2 Dec 09:00',
			'video-16 → anna 2 Dec 11:00',
		]);
	});

	it('does not change its inputs, and gives the same plan for the same inputs', () => {
		const history: PoolHistory = { ben: [{ slot: now - 3 * HOUR, media: 'old' }] };
		const posts = videos(7);
		const before = JSON.stringify({ posts, pool, history, berlinRules, window });
		const plan = planBatch(posts, pool, history, berlinRules, window);
		expect(JSON.stringify({ posts, pool, history, berlinRules, window })).toBe(before);
		expect(planBatch(posts, pool, history, berlinRules, window)).toEqual(plan);
	});
});

describe('placePost: ties spread the load', () => {
	const now = local('2026-12-01 08:30', BERLIN);
	const window: PlanWindow = { earliest: now, latest: now + 6 * DAY_MS };
	const rules: PlanRules = { ...berlinRules, minGapMinutes: 60 };
	// All three are free at 09:00; ben posted longest ago.
	const history: PoolHistory = {
		anna: [{ slot: local('2026-12-01 08:00', BERLIN), media: 'a' }],
		ben: [{ slot: local('2026-11-30 20:00', BERLIN), media: 'b' }],
		cleo: [{ slot: local('2026-12-01 07:00', BERLIN), media: 'c' }],
	};

	it('gives a tie to the profile that posted least recently', () => {
		expect(placePost(videos(1)[0], ['anna', 'ben', 'cleo'], history, rules, window)).toEqual({
			ok: true,
			profileId: 'ben',
			slot: local('2026-12-01 09:00', BERLIN),
			reason: 'first free slot in Posting Hours; tie: posted least recently',
		});
	});

	it('counts a profile that never posted as the least recent, and goes on in that order', () => {
		const plan = planBatch(videos(4), ['anna', 'ben', 'cleo', 'dora'], history, rules, window).map(placed);
		expect(plan.map(({ profileId, slot }) => `${profileId} ${wall(slot, BERLIN)}`)).toEqual([
			'dora 1 Dec 09:00',
			'ben 1 Dec 09:00',
			'cleo 1 Dec 09:00',
			'anna 1 Dec 09:00',
		]);
	});
});

describe('Same Media on Several Profiles', () => {
	const now = local('2026-12-01 08:30', BERLIN);
	const window: PlanWindow = { earliest: now, latest: now + 6 * DAY_MS };
	const clip = 'https://cdn.example.com/clip.mp4';
	const history: PoolHistory = { anna: [{ slot: local('2026-12-01 08:00', BERLIN), media: clip }] };

	it('refuses media another profile of the pool has within the window, naming it, its time and the fix', () => {
		expect(placePost({ ref: 'r1', media: clip }, ['ben', 'anna'], history, berlinRules, window)).toEqual({
			ok: false,
			rule: 'sameMedia',
			problem: 'is already on profile anna at 1 Dec 08:00 Europe/Berlin, within 48 h (Same Media on Several Profiles: Refuse)',
			fix: 'set Same Media on Several Profiles to Allow, or wait until 3 Dec 08:00 Europe/Berlin',
		});
	});

	it('refuses the second item of a batch with the same media', () => {
		const plan = planBatch([{ ref: 'r1', media: 'm' }, { ref: 'r2', media: 'm' }], ['anna', 'ben'], {}, berlinRules, window);
		expect(plan[0]).toMatchObject({ ok: true, profileId: 'anna' });
		expect(plan[1]).toMatchObject({ ok: false, problem: expect.stringContaining('already on profile anna at 1 Dec 09:00') });
	});

	it('with Allow, sends it to another profile but never back to the one that has it', () => {
		const allow: PlanRules = { ...berlinRules, sameMedia: 'allow' };
		// anna is free first (10:00, ben only at 11:00), but she has the clip.
		const ownHistory: PoolHistory = { ...history, ben: [{ slot: local('2026-12-01 09:00', BERLIN), media: 'other' }] };
		const laterWindow = { earliest: local('2026-12-01 10:00', BERLIN), latest: window.latest };
		expect(placePost({ ref: 'r1', media: clip }, ['anna', 'ben'], ownHistory, allow, laterWindow)).toMatchObject({ ok: true, profileId: 'ben', slot: local('2026-12-01 11:00', BERLIN) });
		expect(placePost({ ref: 'r1', media: clip }, ['anna'], history, allow, window)).toMatchObject({
			ok: false,
			problem: expect.stringContaining('profile anna at 1 Dec 08:00'),
			fix: 'add profiles to the pool, or wait until 3 Dec 08:00 Europe/Berlin',
		});
	});

	it('lets the same media through outside the window, and always with a window of 0', () => {
		const oldHistory: PoolHistory = { anna: [{ slot: now - 49 * HOUR, media: clip }] };
		expect(placePost({ ref: 'r1', media: clip }, ['anna', 'ben'], oldHistory, berlinRules, window)).toMatchObject({ ok: true });
		expect(placePost({ ref: 'r1', media: clip }, ['anna', 'ben'], history, { ...berlinRules, duplicateWindowHours: 0 }, window)).toMatchObject({ ok: true });
	});
});

describe('a post that does not fit before the horizon', () => {
	const now = local('2026-12-01 08:00', BERLIN);
	const window: PlanWindow = { earliest: now, latest: now + DAY_MS };

	it('says when the pool next has room and what to change', () => {
		const plan = planBatch(videos(6), ['anna', 'ben'], {}, berlinRules, window);
		expect(plan.slice(0, 4).every((p) => p.ok)).toBe(true);
		const expected = {
			ok: false,
			rule: 'room',
			problem:
				'has no room for this post by 2 Dec 08:00 Europe/Berlin: every profile of the pool is at Max Posts per Profile per Day (2), Minimum Gap (120 min) or outside Posting Hours (09:00–21:00) until 2 Dec 09:00 Europe/Berlin',
			fix: 'add profiles to the pool, raise Max Posts per Profile per Day, widen Posting Hours, or raise Horizon (Days)',
			nextRoomAt: local('2026-12-02 09:00', BERLIN),
		};
		expect(plan[4]).toEqual(expected);
		expect(plan[5]).toEqual(expected);
	});

	it('leaves nextRoomAt out when no room comes within the search', () => {
		// Posting Hours of 10 minutes cannot hold a slot moved up to 60 minutes past its boundary.
		const rules: PlanRules = { ...berlinRules, postingHours: { from: '09:00', to: '09:10' }, randomOffsetMinutes: 30 };
		const placement = placePost({ ref: 'late', media: 'm' }, ['anna'], {}, rules, window);
		const offset = placePost({ ref: 'late', media: 'm' }, ['anna'], {}, { ...rules, postingHours: { from: '09:00', to: '21:00' } }, window);
		expect(placed(offset).slot - local('2026-12-01 09:00', BERLIN)).toBeGreaterThanOrEqual(10 * MINUTE);
		expect(placement).toEqual({ ok: false, rule: 'room', problem: expect.stringContaining('no profile has room before'), fix: expect.any(String) });
	});
});

describe('daylight-saving changes and overnight hours', () => {
	const oneProfile = (rules: PlanRules, earliest: number, count: number) =>
		planBatch(videos(count), ['solo'], {}, rules, { earliest, latest: earliest + 6 * DAY_MS }).map((p) => placed(p).slot);
	const iso = (slots: number[]) => slots.map((slot) => new Date(slot).toISOString());

	it('Europe/Berlin, 29 Mar 2026: 09:00 local on both sides, a rolling 24 h later by the clock', () => {
		const rules: PlanRules = { ...berlinRules, maxPostsPerDay: 1 };
		// 28 Mar 09:00 CET, then 24 h later is 10:00 CEST.
		expect(iso(oneProfile(rules, local('2026-03-28 08:00', BERLIN), 2))).toEqual(['2026-03-28T08:00:00.000Z', '2026-03-29T08:00:00.000Z']);
		// From after the change: 09:00 CEST.
		expect(iso(oneProfile(rules, local('2026-03-29 08:00', BERLIN), 1))).toEqual(['2026-03-29T07:00:00.000Z']);
	});

	it('Europe/Berlin, 29 Mar 2026: hours from a local time that does not exist start when the clock arrives', () => {
		const rules: PlanRules = { ...berlinRules, maxPostsPerDay: 10, minGapMinutes: 30, postingHours: { from: '02:00', to: '04:00' } };
		const slots = oneProfile(rules, Date.parse('2026-03-29T00:00:00Z'), 3);
		// 02:00–03:00 is skipped that night: 03:00, 03:30 CEST, then 02:00 CEST the next night.
		expect(slots.map((slot) => wall(slot, BERLIN))).toEqual(['29 Mar 03:00', '29 Mar 03:30', '30 Mar 02:00']);
		expect(slots.every((slot) => insideHours(slot, rules))).toBe(true);
	});

	it('Europe/Berlin, 25 Oct 2026: 02:30–03:30 holds both times the clock shows 02:30', () => {
		const rules: PlanRules = { ...berlinRules, maxPostsPerDay: 10, minGapMinutes: 30, postingHours: { from: '02:30', to: '03:30' } };
		expect(iso(oneProfile(rules, Date.parse('2026-10-25T00:00:00Z'), 4))).toEqual([
			'2026-10-25T00:30:00.000Z', // 02:30 CEST
			'2026-10-25T01:30:00.000Z', // 02:30 CET (03:00 CEST became 02:00 CET)
			'2026-10-25T02:00:00.000Z', // 03:00 CET
			'2026-10-26T01:30:00.000Z', // 02:30 CET the next night
		]);
	});

	it('America/New_York, 8 Mar 2026: 09:00 local before and after the change; the limit counts 24 real hours', () => {
		const rules: PlanRules = { ...berlinRules, timezone: 'America/New_York', maxPostsPerDay: 2, minGapMinutes: 600 };
		const slots = oneProfile(rules, Date.parse('2026-03-07T12:00:00Z'), 4);
		// 24 h after 09:00 EST is 10:00 EDT.
		expect(slots.map((slot) => wall(slot, 'America/New_York'))).toEqual(['7 Mar 09:00', '7 Mar 19:00', '8 Mar 10:00', '8 Mar 20:00']);
		expect(iso(slots)).toEqual(['2026-03-07T14:00:00.000Z', '2026-03-08T00:00:00.000Z', '2026-03-08T14:00:00.000Z', '2026-03-09T00:00:00.000Z']);
		// A profile free that day starts at 09:00 EDT.
		expect(iso(oneProfile(rules, Date.parse('2026-03-08T05:00:00Z'), 1))).toEqual(['2026-03-08T13:00:00.000Z']);
	});

	it('America/New_York, 1 Nov 2026: overnight 22:00–02:00 is 5 h that night', () => {
		const rules: PlanRules = { ...berlinRules, timezone: 'America/New_York', maxPostsPerDay: 10, minGapMinutes: 60, postingHours: { from: '22:00', to: '02:00' } };
		const slots = oneProfile(rules, Date.parse('2026-10-31T12:00:00Z'), 6);
		expect(slots.map((slot) => wall(slot, 'America/New_York'))).toEqual([
			'31 Oct 22:00',
			'31 Oct 23:00',
			'1 Nov 00:00',
			'1 Nov 01:00', // EDT
			'1 Nov 01:00', // EST, an hour later
			'1 Nov 22:00',
		]);
		expect(slots[4] - slots[3]).toBe(HOUR);
	});

	it('counts two posts exactly 24 h apart in different days', () => {
		const rules: PlanRules = { ...berlinRules, minGapMinutes: 60 };
		const history: PoolHistory = { solo: [local('2026-12-01 09:00', BERLIN), local('2026-12-02 09:00', BERLIN)].map((slot) => ({ slot, media: 'old' })) };
		const earliest = local('2026-12-01 09:30', BERLIN);
		expect(placePost({ ref: 'r', media: 'm' }, ['solo'], history, rules, { earliest, latest: earliest + DAY_MS })).toMatchObject({ ok: true, slot: local('2026-12-01 10:00', BERLIN) });
	});

	it('overnight hours run across midnight, and the daily limit counts a rolling 24 h over them', () => {
		const rules: PlanRules = { ...berlinRules, timezone: 'UTC', maxPostsPerDay: 3, minGapMinutes: 60, postingHours: { from: '22:00', to: '02:00' } };
		expect(iso(oneProfile(rules, Date.parse('2026-12-01T12:00:00Z'), 5))).toEqual([
			'2026-12-01T22:00:00.000Z',
			'2026-12-01T23:00:00.000Z',
			'2026-12-02T00:00:00.000Z',
			'2026-12-02T22:00:00.000Z',
			'2026-12-02T23:00:00.000Z',
		]);
	});

	it('all-day hours (from equals to) place at the window\'s start', () => {
		const rules: PlanRules = { ...berlinRules, postingHours: { from: '00:00', to: '00:00' } };
		const earliest = local('2026-12-01 03:17', BERLIN);
		expect(oneProfile(rules, earliest, 2)).toEqual([earliest, earliest + 120 * MINUTE]);
	});
});

describe('Random Offset', () => {
	const now = local('2026-12-01 08:00', BERLIN);
	const window: PlanWindow = { earliest: now, latest: now + 6 * DAY_MS };
	const rules: PlanRules = { ...berlinRules, randomOffsetMinutes: 15 };

	it('moves each slot by a stable amount per post reference, within 2R after the boundary that set it', () => {
		const posts = videos(10);
		const plan = planBatch(posts, ['anna', 'ben', 'cleo', 'dan', 'eve'], {}, rules, window).map(placed);
		expect(planBatch(posts, ['anna', 'ben', 'cleo', 'dan', 'eve'], {}, rules, window)).toEqual(plan);
		const firstRound = plan.slice(0, 5).map(({ slot }) => slot - local('2026-12-01 09:00', BERLIN));
		expect(firstRound.every((offset) => offset >= 0 && offset <= 30 * MINUTE)).toBe(true);
		expect(new Set(firstRound).size).toBeGreaterThan(1);
		// The same reference moves by the same amount whatever else is planned.
		const alone = placed(placePost(posts[3], ['zed'], {}, rules, window));
		expect(alone.slot - local('2026-12-01 09:00', BERLIN)).toBe(firstRound[3]);
		expect(alone.reason).toMatch(/\(Random Offset \+\d+ min\)$/);
	});

	it('never moves a slot out of Posting Hours or inside the Minimum Gap', () => {
		const narrow: PlanRules = { ...rules, postingHours: { from: '09:00', to: '09:40' }, maxPostsPerDay: 5, minGapMinutes: 5 };
		const plan = planBatch(videos(30), ['anna', 'ben'], {}, narrow, window).filter((p) => p.ok);
		expect(plan.length).toBeGreaterThan(10);
		for (const id of ['anna', 'ben']) {
			const slots = plan.filter((p) => p.profileId === id).map((p) => p.slot).sort((a, b) => a - b);
			expect(slots.every((slot) => insideHours(slot, narrow))).toBe(true);
			expect(slots.slice(1).every((slot, i) => slot - slots[i] >= 5 * MINUTE)).toBe(true);
		}
	});
});

// ---- Properties over random pools, histories and batches (seeded, deterministic) ----

function prng(seed: number) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
		pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)],
	};
}

const ZONES = ['Europe/Berlin', 'America/New_York', 'UTC', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Asia/Kathmandu'] as const;
// Days of a daylight-saving change (and ordinary days), around which the windows start.
const AROUND = ['2026-03-07', '2026-03-27', '2026-03-28', '2026-03-29', '2026-10-03', '2026-10-24', '2026-10-25', '2026-10-31', '2026-11-01', '2026-12-01'];
const HOURS = [
	['09:00', '21:00'],
	['08:00', '22:00'],
	['22:00', '02:00'],
	['01:30', '03:15'],
	['02:00', '03:00'],
	['00:00', '00:00'],
	['12:00', '12:45'],
	['23:30', '00:30'],
] as const;

interface Case {
	pool: string[];
	history: PoolHistory;
	posts: PlanPost[];
	rules: PlanRules;
	window: PlanWindow;
}

function randomCase(seed: number, size: { profiles: number; posts: number; days: number; offset: boolean }): Case {
	const random = prng(seed);
	const [from, to] = random.pick(HOURS);
	const rules: PlanRules = {
		maxPostsPerDay: random.int(1, 3),
		minGapMinutes: random.pick([0, 15, 60, 120, 240]),
		postingHours: { from, to },
		timezone: random.pick(ZONES),
		randomOffsetMinutes: size.offset ? random.pick([0, 5, 20]) : 0,
		sameMedia: random.pick(['refuse', 'allow'] as const),
		duplicateWindowHours: random.pick([0, 12, 48]),
	};
	const earliest = Date.parse(`${random.pick(AROUND)}T00:00:00Z`) + random.int(0, 47) * 30 * MINUTE;
	const window = { earliest, latest: earliest + random.int(6, size.days * 24) * HOUR };
	const pool = Array.from({ length: random.int(1, size.profiles) }, (_, i) => `p${i}`);
	const media = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'];
	const history: PoolHistory = {};
	for (const id of pool) {
		const records = Array.from({ length: random.int(0, 4) }, () => ({
			// On a half-hour grid, so that posts exactly a day or a Minimum Gap apart come up often.
			slot: earliest + random.int(-72, 96) * 30 * MINUTE,
			media: random.pick(media),
		}));
		if (records.length || random.int(0, 1)) history[id] = records;
	}
	// A profile outside the pool: its records count for nothing.
	history.stranger = [{ slot: earliest + HOUR, media: 'm1' }];
	const posts = Array.from({ length: random.int(1, size.posts) }, (_, i) => ({ ref: `case${seed}-post${i}`, media: random.pick(media) }));
	return { pool, history, posts, rules, window };
}

/** Every rule a placed slot must keep, checked from first principles against the history and the batch so far. */
function checkRules(c: Case, plan: Placement[]) {
	const records: PoolHistory = Object.fromEntries(c.pool.map((id) => [id, [...(c.history[id] ?? [])]]));
	plan.forEach((placement, i) => {
		if (!placement.ok) return;
		const { profileId, slot } = placement;
		const others = records[profileId].map((record) => record.slot);
		expect(c.pool).toContain(profileId);
		expect(slot).toBeGreaterThanOrEqual(c.window.earliest);
		expect(slot).toBeLessThanOrEqual(c.window.latest);
		expect(insideHours(slot, c.rules)).toBe(true);
		expect(others.every((other) => Math.abs(other - slot) >= c.rules.minGapMinutes * MINUTE)).toBe(true);
		// Any 24 h holding the new post holds at most the limit (the fullest one starts at a post).
		const all = [...others, slot];
		for (const start of all.filter((t) => t <= slot && t > slot - DAY_MS)) {
			expect(all.filter((t) => t >= start && t < start + DAY_MS).length).toBeLessThanOrEqual(c.rules.maxPostsPerDay);
		}
		records[profileId].push({ slot, media: c.posts[i].media });
	});
}

/**
 * The reference planner: each profile's earliest slot found by trying every minute of the window
 * (every boundary is a whole minute), the cadence by the posting path's own fitsCadence.
 */
function referencePlan(c: Case): Array<{ ok: boolean; profileId?: string; slot?: number; kind?: string; nextRoomAt?: number }> {
	const records = Object.fromEntries(c.pool.map((id) => [id, [...(c.history[id] ?? [])]]));
	const gap = c.rules.minGapMinutes * MINUTE;
	const duplicate = c.rules.duplicateWindowHours * HOUR;
	const searchEnd = c.window.latest + 3 * DAY_MS;
	const inside = hoursCheck(c.rules);
	const firstFit = (id: string, from: number, to: number) => {
		const slots = records[id].map((r) => r.slot);
		for (let t = from; t <= to; t += MINUTE) {
			if (inside(t) && slots.every((s) => Math.abs(s - t) >= gap) && fitsCadence(slots, t, c.rules.maxPostsPerDay)) return t;
		}
		return undefined;
	};
	const pool = [...new Set(c.pool)];
	return c.posts.map((post) => {
		let best: { id: string; slot: number; last: number; index: number } | undefined;
		let excluded = false;
		pool.forEach((id, index) => {
			const slot = firstFit(id, c.window.earliest, c.window.latest);
			if (slot === undefined) return;
			const conflict = pool.some((owner) =>
				records[owner].some((r) => r.media === post.media && (c.rules.sameMedia === 'refuse' || owner === id) && Math.abs(r.slot - slot) < duplicate),
			);
			if (conflict) {
				excluded = true;
				return;
			}
			const last = Math.max(-Infinity, ...records[id].map((r) => r.slot));
			if (!best || slot < best.slot || (slot === best.slot && (last < best.last || (last === best.last && index < best.index)))) best = { id, slot, last, index };
		});
		if (best) {
			records[best.id].push({ slot: best.slot, media: post.media });
			return { ok: true, profileId: best.id, slot: best.slot };
		}
		if (excluded) return { ok: false, kind: 'same media' };
		const next = pool.map((id) => firstFit(id, c.window.latest + MINUTE, searchEnd)).filter((t): t is number => t !== undefined);
		return { ok: false, kind: 'does not fit', ...(next.length ? { nextRoomAt: Math.min(...next) } : {}) };
	});
}

describe('planBatch: properties over 300 random pools, histories and batches', () => {
	const cases = Array.from({ length: 300 }, (_, seed) => ({ seed, c: randomCase(seed + 1, { profiles: 6, posts: 14, days: 4, offset: true }) }));

	it('keeps every rule: window, Posting Hours in the time zone, Minimum Gap, and the limit in any 24 h', () => {
		let placedCount = 0;
		for (const { c } of cases) {
			const plan = planBatch(c.posts, c.pool, c.history, c.rules, c.window);
			checkRules(c, plan);
			placedCount += plan.filter((p) => p.ok).length;
		}
		// The cases are not all refusals: most posts find a slot.
		expect(placedCount).toBeGreaterThan(cases.reduce((sum, { c }) => sum + c.posts.length, 0) / 2);
	});

	it('is deterministic and pure: the same inputs give the same plan, the inputs unchanged', () => {
		for (const { c } of cases) {
			const before = JSON.stringify(c);
			const plan = planBatch(c.posts, c.pool, c.history, c.rules, c.window);
			expect(JSON.stringify(c)).toBe(before);
			expect(planBatch(structuredClone(c.posts), [...c.pool], structuredClone(c.history), { ...c.rules }, { ...c.window })).toEqual(plan);
		}
	});

	it('gives each post to the profile whose earliest slot is minimal, as a minute-by-minute search finds it (120 small cases without offset)', () => {
		let compared = 0;
		for (let seed = 1000; seed < 1120; seed++) {
			const c = randomCase(seed, { profiles: 4, posts: 8, days: 2, offset: false });
			const plan = planBatch(c.posts, c.pool, c.history, c.rules, c.window);
			const reference = referencePlan(c);
			plan.forEach((placement, i) => {
				const expected = reference[i];
				if (placement.ok) expect({ ok: true, profileId: placement.profileId, slot: placement.slot }).toEqual(expected);
				else {
					expect(expected.ok).toBe(false);
					expect(placement.rule).toBe(expected.kind === 'same media' ? 'sameMedia' : 'room');
					if (expected.kind === 'does not fit') expect(placement.nextRoomAt).toBe(expected.nextRoomAt);
				}
				compared++;
			});
		}
		expect(compared).toBeGreaterThan(400);
	});
});
