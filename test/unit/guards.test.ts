import { DAY_MS, fitsCadence, nextFreeSlot } from '../../nodes/FarmProfile/posting/cadenceGuard';
import { describeDuplicate, findDuplicate } from '../../nodes/FarmProfile/posting/duplicateGuard';
import type { PreparedPost } from '../../nodes/FarmProfile/posting/body';
import { decideGuards } from '../../nodes/FarmProfile/posting/guards';
import type { GuardSettings } from '../../nodes/FarmProfile/posting/input';
import { normaliseMediaUrl, PostHistory, type PostRecord } from '../../nodes/FarmProfile/state/postHistory';

const H = 3_600_000;

describe('normaliseMediaUrl', () => {
	it('folds scheme and host case, default port and fragment; keeps path and query', () => {
		expect(normaliseMediaUrl('HTTPS://CDN.Example.com:443/Clips/A.mp4?sig=X#t=1')).toBe('https://cdn.example.com/Clips/A.mp4?sig=X');
		expect(normaliseMediaUrl('https://cdn.example.com/a.mp4?sig=Y')).not.toBe(normaliseMediaUrl('https://cdn.example.com/a.mp4?sig=X'));
	});
});

describe('findDuplicate', () => {
	const record = (at: number, extra: Partial<PostRecord> = {}): PostRecord => ({ id: `r${at}`, media: 'https://cdn/a.mp4', at, slot: at, taskId: 't1', ...extra });

	it('finds the same media within the window only', () => {
		expect(findDuplicate([record(0)], 'https://cdn/a.mp4', 23 * H, 24 * H)).toEqual(record(0));
		expect(findDuplicate([record(0)], 'https://cdn/a.mp4', 25 * H, 24 * H)).toBeUndefined();
		expect(findDuplicate([record(0)], 'https://cdn/b.mp4', H, 24 * H)).toBeUndefined();
		expect(findDuplicate([record(0)], 'https://cdn/a.mp4', H, 0)).toBeUndefined();
	});

	it('names the earlier post, or says the earlier answer was unclear', () => {
		expect(describeDuplicate(record(0), 24).problem).toBe('was already posted to this profile at 1970-01-01T00:00:00.000Z (task t1)');
		expect(describeDuplicate(record(0, { taskId: null, uncertain: true }), 24).problem).toContain('left open whether it was posted');
		expect(describeDuplicate(record(0), 24).fix).toContain('1970-01-02T00:00:00.000Z');
		expect(describeDuplicate(record(0, { taskId: null, pending: true }), 24).problem).toBe(
			'is being posted to this profile right now by another execution (since 1970-01-01T00:00:00.000Z)',
		);
	});
});

describe('fitsCadence', () => {
	it('allows at most max posts in any rolling 24 hours', () => {
		expect(fitsCadence([0], 10 * H, 2)).toBe(true);
		expect(fitsCadence([0, 20 * H], 10 * H, 2)).toBe(false);
		expect(fitsCadence([0, 20 * H], 24 * H, 2)).toBe(true); // the post at 0 has left the window
		expect(fitsCadence([0, 30 * H], 15 * H, 2)).toBe(true); // no 24 h holds three
		expect(fitsCadence([0, 30 * H], 15 * H, 1)).toBe(false);
	});

	it('counts posts scheduled later, by their scheduled time', () => {
		expect(fitsCadence([40 * H, 45 * H], 30 * H, 2)).toBe(false);
		expect(fitsCadence([40 * H, 45 * H], 10 * H, 2)).toBe(true);
	});

	it('lets everything through at 0', () => {
		expect(fitsCadence([0, 1, 2], 3, 0)).toBe(true);
	});
});

describe('nextFreeSlot', () => {
	it('is the asked time when it fits', () => {
		expect(nextFreeSlot([0], 5 * H, 2, 2 * H)).toBe(5 * H);
	});

	it('is a day after the post that blocks it', () => {
		expect(nextFreeSlot([0, 1 * H], 2 * H, 2, 2 * H)).toBe(DAY_MS);
	});

	it('keeps the minimum gap to the neighbours', () => {
		expect(nextFreeSlot([0], H, 2, 2 * H)).toBe(2 * H);
		expect(nextFreeSlot([0, DAY_MS + H], DAY_MS - H, 3, 3 * H)).toBe(DAY_MS + 4 * H);
	});

	it('always finds a slot that fits', () => {
		const slots = [0, 3 * H, 6 * H, 30 * H];
		const next = nextFreeSlot(slots, 6 * H, 2, H);
		expect(fitsCadence(slots, next, 2)).toBe(true);
		expect(slots.every((slot) => Math.abs(slot - next) >= H)).toBe(true);
	});
});

describe('PostHistory', () => {
	let n = 0;
	const team = () => `team-${++n}`; // the history is process-wide: each test its own team
	const now = Date.now();
	const hold = (history: PostHistory, media: string) => history.hold('p1', { media, slot: now }, now);
	const saved = (store: Record<string, unknown>, profile = 'p1') =>
		((store.farmProfilePosts ?? {}) as Record<string, PostRecord[]>)[profile] ?? [];

	it('shows a held post at once, pending, to every execution with the key', () => {
		const key = team();
		const history = new PostHistory(key, {} as never, now);
		expect(history.records('p1', now)).toEqual([]);
		hold(history, 'm');
		expect(new PostHistory(key, {} as never, now).records('p1', now)).toMatchObject([{ media: 'm', pending: true, taskId: null }]);
	});

	it('takes the first word on a hold as final', () => {
		const history = new PostHistory(team(), {} as never, now);
		const held = hold(history, 'm');
		held.confirm('task-1');
		held.release();
		expect(history.records('p1', now)).toMatchObject([{ media: 'm', taskId: 'task-1' }]);
	});

	it('frees what it released, and keeps confirmed and unclear posts', () => {
		const history = new PostHistory(team(), {} as never, now);
		hold(history, 'a').release();
		hold(history, 'b').confirm('task-b');
		hold(history, 'c').keepUncertain();
		const records = history.records('p1', now);
		expect(records.map((r) => [r.media, r.taskId, Boolean(r.uncertain), Boolean(r.pending)])).toEqual([
			['b', 'task-b', false, false],
			['c', null, true, false],
		]);
	});

	it('guards the profile, not the workflow: two workflows with one key share it, other keys do not', () => {
		const key = team();
		hold(new PostHistory(key, {} as never, now), 'm').confirm('t');
		expect(new PostHistory(key, {} as never, now).records('p1', now)).toHaveLength(1);
		expect(new PostHistory(team(), {} as never, now).records('p1', now)).toEqual([]);
	});

	it('writes every settled post into the static data of each running execution that knows the profile', () => {
		const key = team();
		const storeA: Record<string, unknown> = {};
		const storeB: Record<string, unknown> = {};
		const a = new PostHistory(key, storeA as never, now);
		const b = new PostHistory(key, storeB as never, now);
		hold(a, 'from-a').confirm('ta');
		hold(b, 'from-b').confirm('tb');
		// Whichever of the two executions n8n saves last, both posts are in what it saves.
		expect(saved(storeA).map((r) => r.media)).toEqual(['from-a', 'from-b']);
		expect(saved(storeB).map((r) => r.media)).toEqual(['from-a', 'from-b']);
		// A reservation still waiting for the API is not saved by its hold…
		hold(a, 'waiting');
		expect(saved(storeA).map((r) => r.media)).not.toContain('waiting');
		// …but goes with the next settled post, pending: a copy that outlives its execution reads it as unclear.
		hold(a, 'next').confirm('tn');
		expect(saved(storeA).find((r) => r.media === 'waiting')).toMatchObject({ pending: true });
		const elsewhere = new PostHistory(team(), { farmProfilePosts: { p1: saved(storeA) } } as never, now);
		expect(elsewhere.records('p1', now).find((r) => r.media === 'waiting')).toMatchObject({ uncertain: true, pending: undefined });
	});

	it('numbers a chain after the highest number it knows, released posts included; a withdrawn hold gives its number back', () => {
		const history = new PostHistory(team(), {} as never, now);
		const chained = (media: string, chain = 'wf:node') => history.hold('p1', { media, slot: now }, now, chain);
		const first = chained('a');
		expect(first.link).toEqual({ chain: 'wf:node', seq: 1 });
		first.confirm('t1');
		const second = chained('b');
		expect(second.link?.seq).toBe(2);
		second.release();
		// Released: no longer a post the guards count, yet its number stays taken.
		expect(history.records('p1', now).map((r) => r.media)).toEqual(['a']);
		const third = chained('c');
		expect(third.link?.seq).toBe(3);
		third.withdraw();
		expect(chained('d').link?.seq).toBe(3);
		// Each chain counts its own; a post of no chain (Post) has no number.
		expect(chained('e', 'wf:other').link?.seq).toBe(1);
		expect(hold(history, 'f').link).toBeUndefined();
	});

	it('counts a number won elsewhere as an unseen post for every execution here, numbers after it, and drops it when its post arrives or after 30 h', () => {
		const key = team();
		const store: Record<string, unknown> = {};
		const history = new PostHistory(key, store as never, now);
		history.hold('p1', { media: 'a', slot: now }, now, 'c').confirm('t1');
		history.markUnseen('p1', { chain: 'c', seq: 2 }, now);
		// Not a post of this process: no time, so not among the records; counted on its own.
		expect(history.records('p1', now).map((r) => r.media)).toEqual(['a']);
		expect(history.unseen('p1', now)).toBe(1);
		// Another execution in this process sees it too, and numbers after it.
		const other = new PostHistory(key, {} as never, now);
		expect(other.unseen('p1', now)).toBe(1);
		expect(other.hold('p1', { media: 'b', slot: now }, now, 'c').link?.seq).toBe(3);
		expect(history.unseen('p1', now + 29 * H)).toBe(1);
		expect(history.unseen('p1', now + 31 * H)).toBe(0);
		// Saved with the static data: an execution on another worker that loads it counts it as well.
		expect(new PostHistory(team(), JSON.parse(JSON.stringify(store)), now).unseen('p1', now)).toBe(1);
		// The post's own record arrives with another workflow's static data: it is seen now.
		const theirs = { id: 'theirs', media: 'x', at: now, slot: now + 5 * H, taskId: 't9', link: { chain: 'c', seq: 2 } };
		const loaded = new PostHistory(key, { farmProfilePosts: { p1: [theirs] } } as never, now);
		expect(loaded.unseen('p1', now)).toBe(0);
		expect(loaded.records('p1', now).map((r) => r.media).sort()).toEqual(['a', 'b', 'x']);
	});

	it('saves a released chain post with its number: an execution elsewhere that loads it continues after it', () => {
		const store: Record<string, unknown> = {};
		const history = new PostHistory(team(), store as never, now);
		history.hold('p1', { media: 'a', slot: now }, now, 'c').confirm('t');
		history.hold('p1', { media: 'b', slot: now }, now, 'c').release();
		const elsewhere = new PostHistory(team(), JSON.parse(JSON.stringify(store)) as never, now);
		expect(elsewhere.records('p1', now).map((r) => r.media)).toEqual(['a']);
		expect(elsewhere.hold('p1', { media: 'c', slot: now }, now, 'c').link?.seq).toBe(3);
	});

	it('merges what static data kept (a restart, another worker), never dropping it', () => {
		const old = { media: 'kept', at: now - 3_600_000, slot: now - 3_600_000, taskId: 'old' };
		const store: Record<string, unknown> = { farmProfilePosts: { p1: [old] } }; // saved before records had ids
		const history = new PostHistory(team(), store as never, now);
		new PostHistory(team(), store as never, now); // loading it again adds nothing twice
		expect(history.records('p1', now)).toHaveLength(1);
		hold(history, 'new').confirm('t');
		expect(saved(store).map((r) => r.media)).toEqual(['kept', 'new']);
	});

	it('keeps the last number of a chain after its post is 30 days old, so the chain does not start again at a taken number', () => {
		const store: Record<string, unknown> = {};
		const history = new PostHistory(team(), store as never, now);
		history.hold('p1', { media: 'old-1', slot: now }, now, 'c').confirm('t1');
		history.hold('p1', { media: 'old-2', slot: now }, now, 'c').confirm('t2');
		const later = now + 31 * DAY_MS;
		jest.useFakeTimers({ now: later }); // saving reads the clock
		try {
			const copy = JSON.parse(JSON.stringify(store)) as Record<string, unknown>;
			const elsewhere = new PostHistory(team(), copy as never, later);
			expect(elsewhere.records('p1', later)).toEqual([]);
			const next = elsewhere.hold('p1', { media: 'new', slot: later }, later, 'c');
			expect(next.link?.seq).toBe(3);
			next.confirm('t3');
			// Saved again, the aged posts go, the chain's newest number stays.
			expect(saved(copy).map((r) => [r.media, r.link?.seq])).toEqual([['new', 3]]);
			next.confirm('again'); // the first word was final: nothing changes
			const aged = new PostHistory(team(), { farmProfilePosts: { p1: [{ ...saved(copy)[0], slot: now, at: now }] } } as never, later);
			// Its own post 31 days old as well, the record still names the chain's last number.
			expect(aged.hold('p1', { media: 'newer', slot: later }, later, 'c').link?.seq).toBe(4);
		} finally {
			jest.useRealTimers();
		}
	});

	it('forgets records older than 30 days', () => {
		const store = { farmProfilePosts: { p1: [{ id: 'x', media: 'm', at: 0, slot: 0, taskId: 't' }] } };
		expect(new PostHistory(team(), store as never, 31 * DAY_MS).records('p1', 31 * DAY_MS)).toEqual([]);
	});
});

describe('decideGuards with posts another worker made that this one cannot see yet', () => {
	const now = 1_000 * H;
	const settings: GuardSettings = { duplicateWindowHours: 24, maxPostsPerDay: 2, overLimit: 'refuse', minGapMinutes: 120, preflight: true };
	const post = (executeAt?: number): PreparedPost => ({
		body: { profile_id: 'p1', media_type: 'video', media_url: 'https://cdn/new.mp4', sound_id: 's', title: 't', is_live: true, ...(executeAt ? { execute_at: executeAt } : {}) } as PreparedPost['body'],
		notes: [],
	});
	const media = { identity: 'https://cdn/new.mp4', field: 'Media URL' };
	const known = (slot: number): PostRecord => ({ id: `k${slot}`, media: `https://cdn/${slot}.mp4`, at: slot, slot, taskId: 't' });

	it('counts each unseen post in every 24 hours: with 2 a day, one unseen leaves room for one', () => {
		expect(decideGuards(post(), media, [], settings, now, 1).ok).toBe(true);
		// A known post 30 h ago is outside every window of this one: still room for one.
		expect(decideGuards(post(), media, [known(now - 30 * H)], settings, now, 1).ok).toBe(true);
		const refused = decideGuards(post(), media, [known(now - 10 * H)], settings, now, 1);
		expect(refused.ok).toBe(false);
		if (!refused.ok) expect(refused.issue.problem).toBe(`would exceed 2 posts in 24 hours with a post at ${new Date(now).toISOString()} (counting a post another n8n worker made, at a time this worker cannot see yet)`);
		// The same known post, none unseen: the limit is not reached.
		expect(decideGuards(post(), media, [known(now - 10 * H)], settings, now, 0).ok).toBe(true);
		// With the check off, nothing counts.
		expect(decideGuards(post(), media, [known(now - 10 * H)], { ...settings, maxPostsPerDay: 0 }, now, 3).ok).toBe(true);
	});

	it('refuses, saying what happened and what to do, once the unseen posts alone fill the limit', () => {
		const decision = decideGuards(post(), media, [], settings, now, 2);
		expect(decision).toEqual({
			ok: false,
			issue: {
				field: 'Profile ID',
				problem: 'has 2 posts another n8n worker made (queue mode) at a time this worker cannot see yet, so with 2 posts in 24 hours it cannot tell whether one more keeps the limit',
				fix: "run this item again once the other worker's execution has finished (a new execution reads its posts from the workflow's history), or give executions that overlap profiles of their own",
			},
		});
	});

	it('schedules past the known posts with room left for the unseen ones', () => {
		const decision = decideGuards(post(), media, [known(now - 10 * H)], { ...settings, overLimit: 'schedule' }, now, 1);
		if (!decision.ok) throw new Error(decision.issue.problem);
		// One unseen post may lie anywhere: the known one must have left the window (14 h from now).
		expect(decision.post.body.execute_at).toBe(now + 14 * H);
		expect(decision.post.notes.at(-1)).toContain('counting a post another n8n worker made, at a time this worker cannot see yet');
	});
});
