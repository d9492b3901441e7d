// Post Across Profiles on two queue-mode workers, inside n8n-core: each "worker" is a copy of the
// package and of n8n-core loaded on its own (jest.isolateModules), so each has its own process
// memory, as two `n8n worker` processes do; they share n8n's deduplication store, here a stand-in
// for n8n's database row (one list per workflow, read and written whole, as n8n 1.123.81 and
// 2.41.1 keep it). The clock is fixed (only Date is faked) at Monday 7 Dec 2026, 06:00 in Berlin.

import type { IDataObject, IDataDeduplicator } from 'n8n-workflow';

import { createFarmSandbox, type FarmSandbox, type SandboxProfile } from '../../dev/sandbox/farmSandbox';
import { makeMp4 } from '../../dev/sandbox/media';
import { recordInto } from '../harness/processedList';
import type { runFarmProfileNode as RunFarmProfileNode } from '../harness/runWorkflow';

const NOW = Date.parse('2026-12-07T05:00:00Z');
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const KEYS = Array.from({ length: 10 }, (_, n) => `sk-workers-${n}-1a2b3c4d`);
let API_KEY = KEYS[0];

const pool: SandboxProfile[] = ['a', 'b', 'c'].map((n) => ({
	profile_id: `bb000000-0000-4000-8000-00000000000${n}`,
	profile_name: `Worker pool ${n}`,
	phone_id: `phone-workers-${n}`,
	status: 'ready',
	tiktok_username: `workers.${n}`,
}));
const [A, B, C] = pool.map((p) => p.profile_id);

/** n8n's processed-data rows: one list per workflow and context, read, extended and written back whole. */
function n8nDatabase(): IDataDeduplicator {
	const rows = new Map<string, string[]>();
	const rowOf = (context: { workflow: { id: string } }) => context.workflow.id;
	const later = () => new Promise((resolve) => setImmediate(resolve));
	return {
		async checkProcessedAndRecord(items, _scope, context) {
			const read = [...(rows.get(rowOf(context)) ?? [])];
			await later();
			const result = recordInto(read, items);
			rows.set(rowOf(context), read);
			return result;
		},
		async removeProcessed(items, _scope, context) {
			const read = rows.get(rowOf(context)) ?? [];
			await later();
			rows.set(rowOf(context), read.filter((entry) => !items.map(String).includes(entry)));
		},
		async clearAllProcessedItems() {},
		async getProcessedDataCount() {
			return 0;
		},
	};
}

const database = n8nDatabase();

/** A worker: the package and n8n-core in a process memory of their own, on the shared database. */
function startWorker(): typeof RunFarmProfileNode {
	let run: typeof RunFarmProfileNode | undefined;
	jest.isolateModules(() => {
		run = (require('../harness/runWorkflow') as { runFarmProfileNode: typeof RunFarmProfileNode }).runFarmProfileNode;
		void (require('n8n-core') as typeof import('n8n-core')).DataDeduplicationService.init(database);
	});
	return run!;
}

let farm: FarmSandbox;
let worker1: typeof RunFarmProfileNode;
let worker2: typeof RunFarmProfileNode;

beforeAll(async () => {
	jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
	farm = await createFarmSandbox({ apiKeys: KEYS, profiles: pool, callbackDelayMs: 600_000 }).start();
	for (let n = 0; n < 12; n++) farm.serveMedia(`w-${n}.mp4`, { body: makeMp4(20), contentType: 'video/mp4' });
	worker1 = startWorker();
	worker2 = startWorker();
});
afterAll(async () => {
	await farm.stop();
	jest.useRealTimers();
});
beforeEach(() => {
	jest.setSystemTime(NOW);
	farm.reset();
	API_KEY = KEYS[KEYS.indexOf(API_KEY) + 1]; // each test a team of its own, so no test sees another's posts
});

/** A production execution (a trigger started it) of the pool's node on `worker`. */
function across(worker: typeof RunFarmProfileNode, clips: number[], staticData: IDataObject = {}, mode: 'trigger' | 'manual' = 'trigger') {
	return worker({
		items: clips.map((n) => ({ url: `${farm.url}/_media/w-${n}.mp4`, ref: `w-${n}` })),
		credentials: { apiKey: API_KEY, baseUrl: farm.url },
		timezone: 'Europe/Berlin',
		staticData,
		mode,
		continueOnFail: true,
		parameters: {
			operation: 'postAcrossProfiles',
			profileIds: pool.map((p) => p.profile_id).join('\n'),
			mediaType: 'video',
			mediaUrl: '={{ $json.url }}',
			soundId: '7216519837462889218',
			title: 'Two workers',
			webhookUrl: 'https://n8n.example.com/webhook/abc/webhook',
			isLive: true,
			options: { requestsPerMinute: 0, preflight: false, postRef: '={{ $json.ref }}', postingHoursFrom: '09:00', postingHoursTo: '21:00' },
		},
	});
}

/** What the farm received, by profile: the times the posts publish. */
function postedSlots(): Map<string, number[]> {
	const slots = new Map<string, number[]>();
	for (const post of farm.state.posts) {
		const profile = String(post.body.profile_id);
		const slot = post.body.execute_at;
		if (typeof slot !== 'number') throw new Error(`a post without execute_at: ${JSON.stringify(post.body)}`);
		slots.set(profile, [...(slots.get(profile) ?? []), slot].sort((x, y) => x - y));
	}
	return slots;
}

/** Every profile: at most `max` posts in any 24 h, each `gapMs` after the one before. */
function cadenceBreaks(slots: Map<string, number[]>, max: number, gapMs: number): string[] {
	const breaks: string[] = [];
	for (const [profile, times] of slots) {
		times.forEach((time, i) => {
			const inDay = times.filter((other) => other >= time && other < time + DAY).length;
			if (inDay > max) breaks.push(`${profile}: ${inDay} posts in the 24 h from ${new Date(time).toISOString()}`);
			if (i > 0 && time - times[i - 1] < gapMs) breaks.push(`${profile}: ${(time - times[i - 1]) / MIN} min after the post before`);
		});
	}
	return breaks;
}

describe('Post Across Profiles on two workers that share n8n\'s database', () => {
	it('the second worker, which cannot see the first one\'s posts, leaves those profiles out and keeps every rule', async () => {
		const first = await across(worker1, [0, 1]);
		expect(first.output.map((o) => o.profile_id)).toEqual([A, B]);

		// Worker 2 runs the same node with the static data it loaded before worker 1 saved: empty.
		const second = await across(worker2, [2, 3]);
		expect(second.error).toBeUndefined();
		expect(second.output.map((o) => o.profile_id)).toEqual([C, C]);
		expect(second.output[0].notes).toEqual(
			expect.arrayContaining([
				`Profile ${A} was left out: another run of this node, on another n8n worker, posted to it after this run read its queue.`,
				`Profile ${B} was left out: another run of this node, on another n8n worker, posted to it after this run read its queue.`,
			]),
		);
		expect(farm.state.posts).toHaveLength(4);
		expect(cadenceBreaks(postedSlots(), 2, 120 * MIN)).toEqual([]);
	});

	it('two workers that share nothing (two team keys) plan the same profiles at the same times: what the claim prevents', async () => {
		// The same plan, each worker on its own team key: two histories, two chains, nothing shared.
		const first = await across(worker1, [0, 1]);
		API_KEY = KEYS[KEYS.indexOf(API_KEY) + 1];
		const second = await across(worker2, [2, 3]);
		// Both planned the pool's first slots: A and B, twice each, at the same times.
		expect([...first.output, ...second.output].map((o) => o.profile_id)).toEqual([A, B, A, B]);
		expect(first.output.map((o) => o.execute_at)).toEqual(second.output.map((o) => o.execute_at));
	});

	it('when the other worker has posted to every profile of the pool, the item fails on Profile IDs, says what to do, and nothing is sent', async () => {
		await across(worker1, [0, 1, 2]);
		const second = await across(worker2, [3]);
		expect(second.output).toHaveLength(1);
		expect(String(second.output[0].error)).toBe(
			'Profile IDs are all being posted to by another run of this node on another n8n worker (queue mode), whose posts this run cannot see, so it cannot keep the cadence rules on them [item 0]',
		);
		expect(String(second.output[0].description ?? '')).toContain('let that run finish before this one starts');
		expect(farm.state.posts.map((p) => p.body.media_url)).not.toContain(`${farm.url}/_media/w-3.mp4`);
		expect(farm.state.posts).toHaveLength(3);
	});

	it('a number claimed over a day ago by a run whose history was never saved (a worker that died) stops blocking the profile', async () => {
		await across(worker1, [0, 1]); // A and B, numbers 1; its static data is lost
		const leftOut = (result: { output: IDataObject[] }) => result.output.flatMap((o) => (o.notes as string[]) ?? []).filter((note) => note.includes('left out'));

		jest.setSystemTime(NOW + 23 * 60 * MIN);
		const withinADay = await across(worker2, [2]);
		expect(withinADay.output.map((o) => o.profile_id)).toEqual([C]);
		expect(leftOut(withinADay)).toHaveLength(2);

		jest.setSystemTime(NOW + 31 * 60 * MIN);
		const later = await across(worker2, [3]);
		expect(later.error).toBeUndefined();
		expect(later.output.map((o) => o.profile_id)).toEqual([A]);
		expect(leftOut(later)).toEqual([]);
		expect(farm.state.posts).toHaveLength(4);
	});

	it('a run started by hand in the editor claims no numbers (n8n saves no static data of it), so it blocks no later run', async () => {
		const byHand = await across(worker1, [0, 1], {}, 'manual');
		expect(byHand.output.map((o) => o.profile_id)).toEqual([A, B]);
		const production = await across(worker2, [2, 3]);
		// Worker 2 cannot see those two posts (as with a manual run before a restart): it plans A and B again.
		expect(production.output.map((o) => o.profile_id)).toEqual([A, B]);
		expect(production.output.flatMap((o) => (o.notes as string[]) ?? []).filter((note) => note.includes('left out'))).toEqual([]);
	});

	it('a later run on the other worker, with the static data the first run saved, continues the schedule on every profile', async () => {
		const staticData: IDataObject = {};
		await across(worker1, [0, 1, 2], staticData);
		// As n8n saves the static data when an execution ends and the next one loads it.
		const second = await across(worker2, [3, 4, 5], JSON.parse(JSON.stringify(staticData)) as IDataObject);
		expect(second.output.map((o) => o.profile_id)).toEqual([A, B, C]);
		expect(second.output.flatMap((o) => (o.notes as string[]) ?? []).filter((note) => note.includes('left out'))).toEqual([]);
		expect(cadenceBreaks(postedSlots(), 2, 120 * MIN)).toEqual([]);
	});
});

describe('Post on two workers that share n8n\'s database: the daily limit', () => {
	/** Post to Farm Profile, one clip to profile A, as a production execution runs it. */
	const postOf = (clip: number): Parameters<typeof RunFarmProfileNode>[0] => ({
		items: [{ url: `${farm.url}/_media/w-${clip}.mp4` }],
		credentials: { apiKey: API_KEY, baseUrl: farm.url },
		staticData: {},
		mode: 'trigger',
		continueOnFail: true,
		parameters: {
			operation: 'post',
			profileId: A,
			mediaType: 'video',
			mediaUrl: '={{ $json.url }}',
			soundId: '7216519837462889218',
			title: 'Two workers, one profile',
			webhookUrl: 'https://n8n.example.com/webhook/abc/webhook',
			isLive: true,
			options: { requestsPerMinute: 0, preflight: false },
		},
	});
	const single = (worker: typeof RunFarmProfileNode, clip: number) => worker(postOf(clip));

	it('holds across them: a post whose number the other worker won counts that post, and the third post of the day is refused', async () => {
		expect((await single(worker1, 0)).output[0].task_id).toEqual(expect.any(String));
		// Worker 2 cannot see that post: its number is taken, so it counts one post of unknown time, and 2 a day leave room for one.
		expect((await single(worker2, 1)).output[0].task_id).toEqual(expect.any(String));
		// Worker 1 knows its own post; the next number is worker 2's: one more unseen post, and the day is full.
		const third = await single(worker1, 2);
		expect(String(third.output[0].error)).toMatch(/^Profile ID would exceed 2 posts in 24 hours with a post at .* \(counting a post another n8n worker made, at a time this worker cannot see yet\)/);
		// Worker 2 now counts worker 1's first post as unseen, and its own.
		const fourth = await single(worker2, 3);
		expect(String(fourth.output[0].error)).toMatch(/^Profile ID would exceed 2 posts in 24 hours/);
		expect(farm.state.posts.map((p) => p.body.media_url)).toEqual([`${farm.url}/_media/w-0.mp4`, `${farm.url}/_media/w-1.mp4`]);
	});

	it('a new execution that loads the static data the other worker saved sees its posts: nothing is unseen, the limit counts them', async () => {
		const saved: IDataObject = {};
		await worker1({ ...postOf(0), staticData: saved });
		await worker1({ ...postOf(1), staticData: saved });
		const later = await worker2({ ...postOf(2), staticData: JSON.parse(JSON.stringify(saved)) as IDataObject });
		expect(String(later.output[0].error)).toMatch(/^Profile ID would exceed 2 posts in 24 hours with a post at [^(]*\[item 0\]$/);
		expect(farm.state.posts).toHaveLength(2);
	});
});
