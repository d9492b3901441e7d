// Which profile of a pool posts each item, and when: every post goes to the profile with the earliest
// slot that keeps the cadence rules, given what each profile already has queued, posted or planned.
//
// A profile's valid times are the window, cut to Posting Hours, minus what its posts forbid (within
// Minimum Gap of a post; inside a 24 h that already holds Max Posts per Day). Each stretch of valid
// time begins at a boundary: the window's start, a period start, a post + Minimum Gap, or a post +
// 24 h (the fullest day around it then loses that post). So a post's slot is the earliest boundary,
// moved by the post's offset, that is a valid time. A slot can never move before the boundary that
// set it (that would break the very rule), so the offset in [-R, +R] is taken around R after it: the
// slot lies between the boundary and 2R later.

import { DAY_MS } from '../posting/cadenceGuard';
import { hoursCalendar, type HoursCalendar, type PostingHours } from './postingHours';
import { sortedCount } from './sortedCount';

export interface PlanRules {
	/** ≥ 1: at most this many posts of one profile in any rolling 24 h. */
	maxPostsPerDay: number;
	/** ≥ 0: between any two posts of one profile. */
	minGapMinutes: number;
	/** 'HH:mm' local; from > to runs overnight (22:00–02:00); from == to is all day. */
	postingHours: PostingHours;
	/** IANA, e.g. 'Europe/Berlin'. */
	timezone: string;
	/** ≥ 0: each slot moved by a stable offset in [-R, +R] derived from the post's ref. */
	randomOffsetMinutes: number;
	/**
	 * refuse: no profile of the pool may publish a media within duplicateWindowHours (before or after)
	 * of a post or plan of it on any profile of the pool; allow: only not on the same profile.
	 */
	sameMedia: 'refuse' | 'allow';
	/** 0 = no duplicate rule. */
	duplicateWindowHours: number;
}
/** A profile's queued, posted or planned post: slot = when it publishes (epoch ms). */
export interface PlannedRecord {
	slot: number;
	media: string;
}
/** By profile id; profiles of the pool without records may be absent. */
export type PoolHistory = Record<string, PlannedRecord[]>;
/** Epoch ms: no slot before earliest nor after latest. */
export interface PlanWindow {
	earliest: number;
	latest: number;
}
export interface PlanPost {
	/** The post reference (stable). */
	ref: string;
	/** The media identity. */
	media: string;
}
export type Placement =
	| { ok: true; profileId: string; slot: number; reason: string }
	/** rule: what stopped it, the media (Same Media on Several Profiles) or the pool's room (the cadence rules, the horizon). */
	| { ok: false; rule: 'sameMedia' | 'room'; problem: string; fix: string; nextRoomAt?: number };

/** One post: the profile whose earliest slot keeps every rule; ties → the profile whose latest post is oldest (none = oldest), then pool order. Pure. */
export function placePost(post: PlanPost, pool: string[], history: PoolHistory, rules: PlanRules, window: PlanWindow): Placement {
	return planBatch([post], pool, history, rules, window)[0];
}

/** A batch in order: each placed post joins the history seen by the next. Pure (does not mutate its inputs). */
export function planBatch(posts: PlanPost[], pool: string[], history: PoolHistory, rules: PlanRules, window: PlanWindow): Placement[] {
	const plan = new PoolPlan(pool, history, rules, window);
	return posts.map((post) => plan.place(post));
}

type Boundary = 'day' | 'gap' | 'hours' | 'start';
// When one instant is several boundaries, the reason names the profile's own rule first.
const BOUNDARY_ORDER: Record<Boundary, number> = { day: 0, gap: 1, hours: 2, start: 3 };

interface Slot {
	at: number;
	boundary: Boundary;
	/** For 'day' and 'gap': the post it follows. */
	after: number;
}

interface Profile {
	id: string;
	index: number;
	/** Every post's slot, ascending. */
	slots: number[];
	/** The latest slot; -Infinity when none. */
	last: number;
	/** Its earliest slot in the window for a post without offset (a lower bound for any offset). */
	next: Slot | undefined;
}

interface Candidate {
	profile: Profile;
	slot: Slot;
}

interface MediaRecord {
	profileId: string;
	slot: number;
}

class PoolPlan {
	private readonly profiles: Profile[];
	/**
	 * The profiles by their earliest slot, then latest post, then pool order: the order a post looks
	 * at them in. A placed post changes only its own profile's slot (media rules a profile out for one
	 * post, it does not move its slot), so only that profile is recomputed and moved.
	 */
	private readonly ranking: Profile[];
	private readonly media = new Map<string, MediaRecord[]>();
	private readonly hours: HoursCalendar;
	private readonly gapMs: number;
	private readonly duplicateMs: number;
	/** Past `latest`, the search for the pool's next room stops here: by then a profile with no post after `latest` has room. */
	private readonly searchEnd: number;
	private readonly nextRoom = new Map<number, number | undefined>();

	constructor(
		pool: string[],
		history: PoolHistory,
		private readonly rules: PlanRules,
		private readonly window: PlanWindow,
	) {
		this.gapMs = rules.minGapMinutes * 60_000;
		this.duplicateMs = rules.duplicateWindowHours * 3_600_000;
		const spread = 2 * rules.randomOffsetMinutes * 60_000;
		// A day after its last post a profile is free again; the next Posting Hours begin within a day (and an hour).
		this.searchEnd = window.latest + Math.max(DAY_MS, this.gapMs) + 2 * DAY_MS + spread;
		this.hours = hoursCalendar(rules.postingHours, rules.timezone, {
			from: window.earliest - spread - DAY_MS,
			to: this.searchEnd + DAY_MS,
		});
		this.profiles = [...new Set(pool)].map((id, index) => {
			const records = history[id] ?? [];
			for (const record of records) this.rememberMedia(record.media, id, record.slot);
			const slots = records.map((record) => record.slot).sort((a, b) => a - b);
			const profile: Profile = { id, index, slots, last: slots.length ? slots[slots.length - 1] : -Infinity, next: undefined };
			profile.next = this.earliestSlot(profile, 0, window.latest);
			return profile;
		});
		this.ranking = [...this.profiles].sort(byRank);
	}

	place(post: PlanPost): Placement {
		const offset = this.offsetOf(post.ref);
		let best: Candidate | undefined;
		let runnerUp: Candidate | undefined;
		let refusal: { profile: Profile; record: MediaRecord } | undefined;
		for (const profile of this.ranking) {
			if (!profile.next) break;
			// The ranking is by the slot without offset, which an offset never makes earlier: past the
			// runner-up's slot no profile can take its place (without offset, the ranking is the order itself).
			const bar = runnerUp ?? best;
			if (bar && (offset === 0 ? runnerUp : profile.next.at > bar.slot.at)) break;
			const slot = offset === 0 ? profile.next : this.earliestSlot(profile, offset, this.window.latest);
			if (!slot) continue;
			const record = this.mediaConflict(post.media, profile.id, slot.at);
			if (record) {
				refusal ??= { profile, record };
				continue;
			}
			const candidate = { profile, slot };
			if (!best || before(candidate, best)) [best, runnerUp] = [candidate, best];
			else if (!runnerUp || before(candidate, runnerUp)) runnerUp = candidate;
		}
		if (best) {
			const reason = this.reasonFor(best, offset, runnerUp);
			this.add(best.profile, post.media, best.slot.at);
			return { ok: true, profileId: best.profile.id, slot: best.slot.at, reason };
		}
		if (refusal) return this.refuseSameMedia(post.media, refusal.record);
		return this.doesNotFit(offset);
	}

	/** The stable offset of a post, in ms from its boundary: [0, 2R] (see the top of the file). */
	private offsetOf(ref: string): number {
		const range = this.rules.randomOffsetMinutes;
		if (range <= 0) return 0;
		// FNV-1a: a stable spread of the reference over the minutes of [-R, +R].
		let hash = 0x811c9dc5;
		for (let i = 0; i < ref.length; i++) hash = Math.imul(hash ^ ref.charCodeAt(i), 0x01000193);
		const minutes = ((hash >>> 0) % (2 * range + 1)) - range;
		return (minutes + range) * 60_000;
	}

	/** The profile's earliest boundary that, moved by `offset`, is a valid time no later than `end`. */
	private earliestSlot(profile: Profile, offset: number, end: number): Slot | undefined {
		const { earliest } = this.window;
		let found: Slot | undefined;
		const consider = (boundaryAt: number, boundary: Boundary, after = boundaryAt) => {
			const at = boundaryAt + offset;
			if (at < earliest || at > end) return;
			if (found && (at > found.at || (at === found.at && BOUNDARY_ORDER[boundary] >= BOUNDARY_ORDER[found.boundary]))) return;
			if (this.keepsRules(profile.slots, at)) found = { at, boundary, after };
		};
		consider(earliest, 'start');
		for (const start of this.hours.startsBetween(earliest - offset, end - offset)) consider(start, 'hours');
		for (const post of profile.slots) {
			consider(post + this.gapMs, 'gap', post);
			consider(post + DAY_MS, 'day', post);
		}
		return found;
	}

	private keepsRules(slots: number[], t: number): boolean {
		if (!this.hours.contains(t)) return false;
		const following = sortedCount(slots, t);
		if (following < slots.length && slots[following] - t < this.gapMs) return false;
		if (following > 0 && t - slots[following - 1] < this.gapMs) return false;
		// t breaks the limit when `max` posts within a day of it fit into one 24 h with it.
		const max = this.rules.maxPostsPerDay;
		const first = sortedCount(slots, t - DAY_MS, true);
		const end = sortedCount(slots, t + DAY_MS);
		for (let i = first; i + max - 1 < end; i++) {
			if (slots[i + max - 1] - slots[i] < DAY_MS) return false;
		}
		return true;
	}

	/** An earlier post or plan of the same media that rules this profile out at `t`. */
	private mediaConflict(media: string, profileId: string, t: number): MediaRecord | undefined {
		if (this.duplicateMs <= 0) return undefined;
		return this.media
			.get(media)
			?.find(
				(record) =>
					(this.rules.sameMedia === 'refuse' || record.profileId === profileId) &&
					Math.abs(record.slot - t) < this.duplicateMs,
			);
	}

	private rememberMedia(media: string, profileId: string, slot: number) {
		const records = this.media.get(media);
		if (records) records.push({ profileId, slot });
		else this.media.set(media, [{ profileId, slot }]);
	}

	private add(profile: Profile, media: string, slot: number) {
		this.rememberMedia(media, profile.id, slot);
		profile.slots.splice(sortedCount(profile.slots, slot, true), 0, slot);
		profile.last = Math.max(profile.last, slot);
		this.ranking.splice(this.ranking.indexOf(profile), 1);
		profile.next = this.earliestSlot(profile, 0, this.window.latest);
		let lo = 0;
		let hi = this.ranking.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (byRank(this.ranking[mid], profile) < 0) lo = mid + 1;
			else hi = mid;
		}
		this.ranking.splice(lo, 0, profile);
		this.nextRoom.clear();
	}

	private reasonFor({ profile, slot }: Candidate, offset: number, runnerUp: Candidate | undefined): string {
		const { boundary, after } = slot;
		const at = (t: number) => this.label(t);
		const boundaryAt = slot.at - offset;
		let reason = 'first free slot in Posting Hours';
		if (boundary === 'day') reason = `daily limit reached: 24 h after its post at ${at(after)}`;
		else if (boundary === 'gap') reason = `Minimum Gap after its post at ${at(after)}`;
		else if (boundary === 'hours' && this.hadHoursBefore(boundaryAt)) {
			const dayBefore = profile.slots.filter((t) => t > boundaryAt - DAY_MS && t < boundaryAt).length;
			const full = dayBefore >= this.rules.maxPostsPerDay ? 'daily limit reached' : 'no room left';
			reason = `${full} in the Posting Hours before: next Posting Hours, ${at(boundaryAt)}`;
		}
		if (offset > 0) reason += ` (Random Offset +${offset / 60_000} min)`;
		if (runnerUp && runnerUp.slot.at === slot.at) {
			reason += runnerUp.profile.last > profile.last ? '; tie: posted least recently' : '; tie: first in the pool';
		}
		return reason;
	}

	/** Whether some time between the window's start and `t` lies inside Posting Hours. */
	private hadHoursBefore(t: number): boolean {
		const { earliest } = this.window;
		return this.hours.contains(earliest) || this.hours.startsBetween(earliest, t - 1).length > 0;
	}

	private refuseSameMedia(media: string, record: MediaRecord): Placement {
		const hours = this.rules.duplicateWindowHours;
		const records = this.media.get(media) ?? [];
		const clear = Math.max(...records.map((r) => r.slot + this.duplicateMs));
		if (this.rules.sameMedia === 'refuse') {
			return {
				ok: false,
				rule: 'sameMedia',
				problem: `is already on profile ${record.profileId} at ${this.label(record.slot)}, within ${hours} h (Same Media on Several Profiles: Refuse)`,
				fix: `set Same Media on Several Profiles to Allow, or wait until ${this.label(clear)}`,
			};
		}
		return {
			ok: false,
			rule: 'sameMedia',
			problem: `is already on every profile of the pool with room, within ${hours} h (e.g. profile ${record.profileId} at ${this.label(record.slot)})`,
			fix: `add profiles to the pool, or wait until ${this.label(clear)}`,
		};
	}

	private doesNotFit(offset: number): Placement {
		if (!this.nextRoom.has(offset)) {
			const slots = this.profiles.map((profile) => this.earliestSlot(profile, offset, this.searchEnd)?.at ?? Infinity);
			const first = Math.min(...slots);
			this.nextRoom.set(offset, Number.isFinite(first) ? first : undefined);
		}
		const nextRoomAt = this.nextRoom.get(offset);
		const { maxPostsPerDay, minGapMinutes, postingHours } = this.rules;
		const until = nextRoomAt === undefined ? `and no profile has room before ${this.label(this.searchEnd)} either` : `until ${this.label(nextRoomAt)}`;
		return {
			ok: false,
			rule: 'room',
			problem: `has no room for this post by ${this.label(this.window.latest)}: every profile of the pool is at Max Posts per Profile per Day (${maxPostsPerDay}), Minimum Gap (${minGapMinutes} min) or outside Posting Hours (${postingHours.from}–${postingHours.to}) ${until}`,
			fix: 'add profiles to the pool, raise Max Posts per Profile per Day, widen Posting Hours, or raise Horizon (Days)',
			...(nextRoomAt === undefined ? {} : { nextRoomAt }),
		};
	}

	private label(t: number): string {
		const { date, time } = this.hours.wallClock(t);
		return `${date} ${time} ${this.rules.timezone}`;
	}
}

function byRank(a: Profile, b: Profile): number {
	return compare(a.next?.at ?? Infinity, b.next?.at ?? Infinity) || compare(a.last, b.last) || a.index - b.index;
}

function before(a: Candidate, b: Candidate): boolean {
	return (compare(a.slot.at, b.slot.at) || compare(a.profile.last, b.profile.last) || a.profile.index - b.profile.index) < 0;
}

function compare(a: number, b: number): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
