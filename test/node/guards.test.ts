// The posting guards inside n8n-core: duplicate, cadence and media preflight, on by default. The
// sandbox serves the media and counts the API requests.

import { createFarmSandbox, DEFAULT_PROFILES, type FarmSandbox } from '../../dev/sandbox/farmSandbox';
import { makeMp4, makeZip } from '../../dev/sandbox/media';
import { runFarmProfileNode } from '../harness/runWorkflow';

// The guards remember per team key, across workflows: each test posts with a key of its own.
const KEYS = Array.from({ length: 20 }, (_, n) => `sk-guard-${n}-5c6d7e8f`);
let API_KEY = KEYS[0];
const READY = DEFAULT_PROFILES.find((p) => p.status === 'ready')!.profile_id;
const DAY = 24 * 3_600_000;

let farm: FarmSandbox;
beforeAll(async () => {
	farm = await createFarmSandbox({ apiKeys: KEYS, callbackDelayMs: 600_000 }).start();
	for (const n of [1, 2, 3, 4]) farm.serveMedia(`clip-${n}.mp4`, { body: makeMp4(20), contentType: 'video/mp4' });
	farm.serveMedia('set.zip', { body: makeZip(['slide-1.jpg', 'slide-2.jpg']), contentType: 'application/zip' });
	farm.serveMedia('png-set.zip', { body: makeZip(['slide-1.png', 'slide-2.jpg']), contentType: 'application/zip' });
});
afterAll(async () => farm.stop());
beforeEach(() => {
	farm.reset();
	API_KEY = KEYS[KEYS.indexOf(API_KEY) + 1];
});

const media = (name: string) => `${farm.url}/_media/${name}`;

function run(clips: string[], options: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
	return runFarmProfileNode({
		items: clips.map((clip) => ({ url: media(clip) })),
		credentials: { apiKey: API_KEY, baseUrl: farm.url },
		parameters: {
			operation: 'post',
			profileId: READY,
			mediaType: 'video',
			mediaUrl: '={{ $json.url }}',
			soundId: '7216519837462889218',
			title: 'Guarded',
			webhookUrl: 'https://n8n.example.com/webhook/abc/webhook',
			options: { requestsPerMinute: 0, ...options },
		},
		...extra,
	});
}

describe('duplicate guard', () => {
	it('refuses the same media to the same profile twice in one run, naming the earlier post', async () => {
		const result = await run(['clip-1.mp4', 'clip-1.mp4']);
		expect(farm.state.posts).toHaveLength(1);
		expect(result.error?.message).toMatch(new RegExp(`^Media URL was already posted to this profile at \\S+ \\(task ${farm.state.posts[0].task_id}\\) \\[item 1\\]$`));
		expect(result.error?.description).toContain('Duplicate Window to 0');
	});

	it('holds across executions through the workflow static data, and after an unclear 502', async () => {
		const staticData = {};
		farm.injectFault({ mode: '502' });
		const first = await run(['clip-2.mp4'], {}, { staticData });
		expect(first.error?.message).toContain('502');
		const second = await run(['clip-2.mp4'], {}, { staticData });
		expect(second.error?.message).toContain('left open whether it was posted');
		expect(farm.state.requests).toBe(1);
	});

	it('lets the same media through with the window at 0', async () => {
		const result = await run(['clip-1.mp4', 'clip-1.mp4'], { duplicateWindowHours: 0 });
		expect(result.error).toBeUndefined();
		expect(farm.state.posts).toHaveLength(2);
	});
});

describe('cadence guard', () => {
	it('refuses a third post in 24 hours, saying when the next slot opens', async () => {
		const result = await run(['clip-1.mp4', 'clip-2.mp4', 'clip-3.mp4']);
		expect(farm.state.posts).toHaveLength(2);
		expect(result.error?.message).toMatch(/^Profile ID would exceed 2 posts in 24 hours with a post at \S+ \[item 2\]$/);
		expect(result.error?.description).toMatch(/post at \S+ or later \(the next free slot\)/);
	});

	it('or schedules it into the next free slot, and says so', async () => {
		const before = Date.now();
		const result = await run(['clip-1.mp4', 'clip-2.mp4', 'clip-3.mp4'], { overLimit: 'schedule' });
		expect(result.error).toBeUndefined();
		const [first, , third] = farm.state.posts;
		expect(first.body.execute_at).toBeUndefined();
		const scheduled = third.body.execute_at as number;
		// The first post leaves its 24-hour window a day after the node counted it: after the run
		// began, and before the farm received it.
		expect(scheduled - DAY).toBeGreaterThanOrEqual(before);
		expect(scheduled - DAY).toBeLessThanOrEqual(Date.parse(first.received_at));
		expect(result.output[2]).toMatchObject({ execute_at: scheduled, notes: [expect.stringContaining('the next free slot')] });
	});
});

describe('overlapping executions (each with its own static data, as n8n loads it at the start)', () => {
	// The sandbox answers after a delay, so every execution has checked its guards before any post returns.
	const slowly = () => farm.injectFault({ mode: 'slow', delayMs: 300, count: 10, path: '/v1/posts' });

	it('five identical posts at once: one is sent, four refused with the usual error', async () => {
		slowly();
		const results = await Promise.all([1, 2, 3, 4, 5].map(() => run(['clip-1.mp4'], {}, { staticData: {} })));
		expect(farm.state.posts).toHaveLength(1);
		const refused = results.filter((result) => result.error);
		expect(refused).toHaveLength(4);
		for (const { error } of refused) {
			expect(error?.message).toMatch(/^Media URL (is being posted to this profile right now by another execution|was already posted to this profile)/);
		}
	});

	it('four posts to one profile at once under 2 a day: two sent, two refused', async () => {
		slowly();
		const results = await Promise.all(['clip-1.mp4', 'clip-2.mp4', 'clip-3.mp4', 'clip-4.mp4'].map((clip) => run([clip], { preflight: false }, { staticData: {} })));
		expect(farm.state.posts).toHaveLength(2);
		expect(results.filter((result) => result.error?.message.startsWith('Profile ID would exceed 2 posts in 24 hours'))).toHaveLength(2);
	});

	it('or, scheduling into free slots: two go now, two get distinct slots that keep the minimum gap', async () => {
		slowly();
		await Promise.all(
			['clip-1.mp4', 'clip-2.mp4', 'clip-3.mp4', 'clip-4.mp4'].map((clip) => run([clip], { preflight: false, overLimit: 'schedule', minGapMinutes: 90 }, { staticData: {} })),
		);
		expect(farm.state.posts).toHaveLength(4);
		const slot = (post: (typeof farm.state.posts)[number]) => (post.body.execute_at as number | undefined) ?? Date.parse(post.received_at);
		const scheduled = farm.state.posts.filter((post) => post.body.execute_at !== undefined);
		expect(scheduled).toHaveLength(2);
		// The two sent now are about a day before the two scheduled; the scheduled ones are exactly the gap apart.
		for (const post of scheduled) {
			for (const other of farm.state.posts.filter((p) => p !== post)) expect(Math.abs(slot(post) - slot(other))).toBeGreaterThanOrEqual(90 * 60_000);
		}
	});

	it('a post refused by the API frees its reservation; nothing saved is lost by another execution\'s save', async () => {
		farm.setProfileStatus(READY, 'warming'); // 409: nothing posted
		const refused = await run(['clip-1.mp4'], {}, { staticData: {} });
		expect(refused.error?.message).toContain('409');
		farm.setProfileStatus(READY, 'ready');
		slowly();
		// n8n keeps a node's static data under "node:<node name>".
		const [storeA, storeB] = [{}, {}] as Array<Record<string, { farmProfilePosts: { [profile: string]: Array<{ media: string }> } }>>;
		await Promise.all([run(['clip-1.mp4'], {}, { staticData: storeA }), run(['clip-2.mp4'], {}, { staticData: storeB })]);
		expect(farm.state.posts).toHaveLength(2);
		// Whichever of the two n8n saves last holds both posts.
		for (const store of [storeA, storeB]) expect(store['node:Farm Profile'].farmProfilePosts[READY].map((r) => r.media).sort()).toEqual([media('clip-1.mp4'), media('clip-2.mp4')]);
	});

	it('guards the profile across workflows that use the same key', async () => {
		const first = await run(['clip-3.mp4'], {}, { staticData: {} });
		const otherWorkflow = await run(['clip-3.mp4'], {}, { staticData: {} });
		expect(first.error).toBeUndefined();
		expect(otherWorkflow.error?.message).toContain('was already posted to this profile');
		expect(farm.state.posts).toHaveLength(1);
	});
});

describe('media preflight', () => {
	it('refuses a slideshow zip holding slide-1.png before any request to the API', async () => {
		const result = await runFarmProfileNode({
			items: [{}],
			credentials: { apiKey: API_KEY, baseUrl: farm.url },
			parameters: {
				operation: 'post',
				profileId: READY,
				mediaType: 'slideshow',
				mediaUrl: media('png-set.zip'),
				soundId: '7216519837462889218',
				title: 'Slides',
				webhookUrl: 'https://n8n.example.com/webhook/abc/webhook',
				options: { requestsPerMinute: 0 },
			},
		});
		expect(result.error?.message).toBe('Media URL holds "slide-1.png": only .jpg slides are supported (no PNG, AVIF or .jpeg names) [item 0]');
		expect(result.error?.description).toContain('convert it to JPG and name it slide-1.jpg');
		expect(farm.state.requests).toBe(0);
	});

	it('can be turned off', async () => {
		const result = await run(['missing.mp4'], { preflight: false });
		expect(result.error).toBeUndefined();
		expect(farm.state.mediaRequests).toHaveLength(0);
	});
});
