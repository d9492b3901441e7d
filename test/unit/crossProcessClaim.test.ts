import { BUCKETS_PER_WINDOW, claimAcrossProcesses, claimKeys, linkKeys, type ClaimStore, type ClaimTarget } from '../../nodes/FarmProfile/state/crossProcessClaim';
import { recordInto } from '../harness/processedList';

const H = 3_600_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A fake clock: the database's time and the claim's waits pass at once, in the order they are due,
// so which write lands before which read is the same on every run.
beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

/** Runs the claims to their end on the fake clock. */
async function settled<T>(claims: Promise<T>): Promise<T> {
	await jest.runAllTimersAsync();
	return await claims;
}
const claim = (store: ClaimStore, claimTarget: ClaimTarget) => settled(claimAcrossProcesses(store, claimTarget));

/**
 * n8n's deduplication store as n8n 1.123.81 and 2.41.1 run it (DeduplicationHelper, "entries"
 * mode): one list per workflow, read, extended and written back whole, with database time between
 * the read and the write, so calls at once overwrite each other's entries.
 */
function n8nLikeStore(dbMs = 20) {
	let row: string[] | undefined;
	const calls = { record: 0, remove: 0 };
	const store: ClaimStore = {
		async checkProcessedAndRecord(items) {
			calls.record++;
			const read = row ? [...row] : undefined;
			await pause(dbMs);
			const data = read ?? [];
			const result = recordInto(data, items);
			row = data;
			return result;
		},
		async removeProcessed(items) {
			calls.remove++;
			const read = row ? [...row] : [];
			await pause(dbMs);
			row = read.filter((entry) => !items.map(String).includes(entry));
		},
	};
	return { store, calls, entries: () => row ?? [] };
}

const target = (extra: Partial<ClaimTarget> = {}): ClaimTarget => ({
	team: 'team-a',
	profileId: 'p1',
	media: 'https://cdn.example.com/a.mp4',
	now: 1_000 * H,
	windowMs: 24 * H,
	...extra,
});

describe('claimAcrossProcesses', () => {
	it('lets the first claim through and refuses the same media to the same profile after it', async () => {
		const { store } = n8nLikeStore();
		expect((await claim(store, target())).state).toBe('claimed');
		expect(await claim(store, target({ now: 1_000 * H + 23 * H }))).toEqual({ state: 'taken', bucketMs: H });
		// Another profile, another media or another team is another claim.
		expect((await claim(store, target({ profileId: 'p2' }))).state).toBe('claimed');
		expect((await claim(store, target({ media: 'https://cdn.example.com/b.mp4' }))).state).toBe('claimed');
		expect((await claim(store, target({ team: 'team-b' }))).state).toBe('claimed');
	});

	it('holds for a window, give or take one bucket, then lets the media through again', async () => {
		const { store } = n8nLikeStore();
		const start = 1_000 * H + 0.5 * H; // the middle of a bucket
		await claim(store, target({ now: start }));
		expect((await claim(store, target({ now: start + 24 * H - 1 }))).state).toBe('taken');
		expect((await claim(store, target({ now: start + 25 * H }))).state).toBe('claimed');
	});

	it('of claims made at the same moment, whose writes overwrite each other, lets exactly one through', async () => {
		for (const claimants of [2, 5, 8]) {
			const { store } = n8nLikeStore(20);
			const results = await settled(Promise.all(Array.from({ length: claimants }, () => claimAcrossProcesses(store, target()))));
			expect(results.filter((r) => r.state === 'claimed')).toHaveLength(1);
		}
	});

	it('lets every one of simultaneous claims for different media through, though their writes overwrite each other', async () => {
		// One list per workflow: claims for other posts of the workflow collide with ours too.
		const { store } = n8nLikeStore(20);
		const medias = [1, 2, 3, 4, 5, 6].map((n) => `https://cdn.example.com/clip-${n}.mp4`);
		const results = await settled(Promise.all(medias.map((media) => claimAcrossProcesses(store, target({ media })))));
		expect(results.map((r) => r.state)).toEqual(Array(6).fill('claimed'));
		// And each is on record afterwards: the same media again is refused.
		for (const media of medias) expect((await claim(store, target({ media }))).state).toBe('taken');
	});

	it('mixes both: of two rivals for one media among others, one goes through, and all the others do', async () => {
		const { store } = n8nLikeStore(20);
		const medias = ['same', 'same', 'a', 'b', 'c'].map((m) => `https://cdn.example.com/${m}.mp4`);
		const results = await settled(Promise.all(medias.map((media) => claimAcrossProcesses(store, target({ media })))));
		expect(results.slice(0, 2).filter((r) => r.state === 'claimed')).toHaveLength(1);
		expect(results.slice(2).map((r) => r.state)).toEqual(['claimed', 'claimed', 'claimed']);
	});

	it('without the second step, every claimant of a simultaneous batch would have found the key new', async () => {
		// What a single checkProcessedAndRecord gives: the lost update the second step exists for.
		const { store } = n8nLikeStore(20);
		const [key] = claimKeys(target());
		const answers = await settled(Promise.all([1, 2, 3, 4, 5].map(() => store.checkProcessedAndRecord([key], 'workflow', { mode: 'entries' }))));
		expect(answers.filter((a) => a.new.length === 1)).toHaveLength(5);
	});

	it('frees the claim when released (nothing was posted), and keeps the store free of a refused claim', async () => {
		const { store, entries } = n8nLikeStore();
		const first = await claim(store, target());
		expect(first.state).toBe('claimed');
		expect(entries()).toHaveLength(BUCKETS_PER_WINDOW + 2); // the buckets and the marker
		expect((await claim(store, target())).state).toBe('taken');
		expect(entries()).toHaveLength(BUCKETS_PER_WINDOW + 2); // the refused one took nothing away or added nothing
		if (first.state === 'claimed') await settled(first.release());
		expect(entries()).toEqual([]);
		expect((await claim(store, target())).state).toBe('claimed');
	});

	it('retries once when two first writes collide, and is unavailable where n8n has no store', async () => {
		const { store } = n8nLikeStore();
		let failures = 1;
		const colliding: ClaimStore = {
			...store,
			async checkProcessedAndRecord(...args) {
				if (failures-- > 0) throw new Error('duplicate key value violates unique constraint "PK_processed_data"');
				return await store.checkProcessedAndRecord(...args);
			},
		};
		expect((await claim(colliding, target())).state).toBe('claimed');

		const broken: ClaimStore = {
			checkProcessedAndRecord: async () => {
				throw new Error('Instance needs to initialized before use');
			},
			removeProcessed: async () => {},
		};
		expect((await claim(broken, target())).state).toBe('unavailable');
		expect((await claim({} as ClaimStore, target())).state).toBe('unavailable');
		expect((await claim(store, target({ windowMs: 0 }))).state).toBe('unavailable');
	});
});

describe('claimAcrossProcesses with a chain link', () => {
	const link = (seq: number, chain = 'wf-1:node-1') => ({ link: { chain, seq } });
	const media = (n: number) => ({ media: `https://cdn.example.com/clip-${n}.mp4` });

	it('lets one of two simultaneous claims of one number through and calls the other contended, though their media differ', async () => {
		for (const claimants of [2, 4]) {
			const { store } = n8nLikeStore(20);
			const results = await settled(Promise.all(Array.from({ length: claimants }, (_, n) => claimAcrossProcesses(store, target({ ...media(n), ...link(1) })))));
			expect(results.map((r) => r.state).sort()).toEqual(['claimed', ...Array(claimants - 1).fill('contended')]);
		}
	});

	it('a number is one per profile and chain: the next number, another profile or another chain is claimed', async () => {
		const { store } = n8nLikeStore();
		expect((await claim(store, target({ ...media(1), ...link(1) }))).state).toBe('claimed');
		expect((await claim(store, target({ ...media(2), ...link(1) }))).state).toBe('contended');
		expect((await claim(store, target({ ...media(3), ...link(2) }))).state).toBe('claimed');
		expect((await claim(store, target({ ...media(4), ...link(1), profileId: 'p2' }))).state).toBe('claimed');
		expect((await claim(store, target({ ...media(5), ...link(1, 'wf-1:node-2') }))).state).toBe('claimed');
	});

	it('keeps the number taken when the post is released, and frees its media', async () => {
		const { store } = n8nLikeStore();
		const first = await claim(store, target({ ...media(1), ...link(1) }));
		if (first.state !== 'claimed') throw new Error(`expected a claim, got ${first.state}`);
		await settled(first.release());
		// A post numbered 2 may already stand on number 1: whoever did not see it must not take 1 again.
		expect((await claim(store, target({ ...media(2), ...link(1) }))).state).toBe('contended');
		expect((await claim(store, target({ ...media(1), ...link(2) }))).state).toBe('claimed');
	});

	it('holds a number for a day: a claim 23 h later is contended, one 31 h later takes it (its owner\'s history was lost)', async () => {
		for (const [laterMs, state] of [[23 * H, 'contended'], [24 * H - 1, 'contended'], [31 * H, 'claimed']] as const) {
			const { store } = n8nLikeStore();
			await claim(store, target({ windowMs: 0, ...link(1) }));
			expect([laterMs, (await claim(store, target({ windowMs: 0, ...link(1), now: target().now + laterMs }))).state]).toEqual([laterMs, state]);
		}
	});

	it('a media refusal comes first and leaves the number free for the next post', async () => {
		const { store } = n8nLikeStore();
		await claim(store, target({ ...media(1), ...link(1) }));
		expect((await claim(store, target({ ...media(1), ...link(2) }))).state).toBe('taken');
		expect((await claim(store, target({ ...media(2), ...link(2) }))).state).toBe('claimed');
	});

	it('claims the number alone when the duplicate window is off', async () => {
		const { store, entries } = n8nLikeStore();
		expect((await claim(store, target({ windowMs: 0, ...link(1) }))).state).toBe('claimed');
		expect(entries()).toEqual([...linkKeys(target({ windowMs: 0, ...link(1) })), expect.stringMatching(/^farm-claim:/)]);
		expect((await claim(store, target({ windowMs: 0, ...media(2), ...link(1) }))).state).toBe('contended');
	});
});
