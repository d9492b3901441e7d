// The posting guards inside n8n-core: duplicate, cadence and media preflight, on by default. The
// sandbox serves the media and counts the API requests.

import { createFarmSandbox, DEFAULT_PROFILES, type FarmSandbox } from '../sandbox/farmSandbox';
import { makeMp4, makeZip } from '../sandbox/media';
import { runFarmProfileNode } from '../harness/runWorkflow';

const API_KEY = 'sk-guard-5c6d7e8f';
const READY = DEFAULT_PROFILES.find((p) => p.status === 'ready')!.profile_id;
const DAY = 24 * 3_600_000;

let farm: FarmSandbox;
beforeAll(async () => {
	farm = await createFarmSandbox({ apiKeys: [API_KEY], callbackDelayMs: 600_000 }).start();
	for (const n of [1, 2, 3]) farm.serveMedia(`clip-${n}.mp4`, { body: makeMp4(20), contentType: 'video/mp4' });
	farm.serveMedia('set.zip', { body: makeZip(['slide-1.jpg', 'slide-2.jpg']), contentType: 'application/zip' });
	farm.serveMedia('png-set.zip', { body: makeZip(['slide-1.png', 'slide-2.jpg']), contentType: 'application/zip' });
});
afterAll(async () => farm.stop());
beforeEach(() => farm.reset());

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
		const result = await run(['clip-1.mp4', 'clip-2.mp4', 'clip-3.mp4'], { overLimit: 'schedule' });
		expect(result.error).toBeUndefined();
		const [first, , third] = farm.state.posts;
		expect(first.body.execute_at).toBeUndefined();
		const scheduled = third.body.execute_at as number;
		// The first post leaves its 24-hour window a day after it was sent.
		expect(Math.abs(scheduled - (Date.parse(first.received_at) + DAY))).toBeLessThan(2_000);
		expect(result.output[2]).toMatchObject({ execute_at: scheduled, notes: [expect.stringContaining('the next free slot')] });
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
