// Posting at the team's rate limit, inside n8n-core: pacing, 429s waited out, and nothing sent twice,
// including under n8n's own "Retry On Fail". The sandbox counts every request it receives.
//
// A fake clock: Date stands still except while the node (or n8n) sleeps, and then moves on by
// exactly the time slept. So the moment the sandbox records for each post is the moment the pacer
// chose, to the millisecond, and a wait of a minute takes none. Timers stay real: the sandbox and
// the HTTP client need them.
jest.mock('n8n-workflow', () => ({
	...jest.requireActual('n8n-workflow'),
	sleep: async (ms: number) => jest.setSystemTime(Date.now() + ms),
}));

import { createFarmSandbox, DEFAULT_PROFILES, type FarmSandbox, type SandboxOptions } from '../../dev/sandbox/farmSandbox';
import { ONLY_THE_POST, runFarmProfileNode } from '../harness/runWorkflow';

const API_KEY = 'sk-pace-0b5e9d2a';
const READY = DEFAULT_PROFILES.find((p) => p.status === 'ready')!.profile_id;
const WARMING = DEFAULT_PROFILES.find((p) => p.status === 'warming')!.profile_id;

const parameters = (options: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	operation: 'post',
	profileId: READY,
	mediaType: 'video',
	mediaUrl: '={{ "https://cdn.example.com/clips/clip-" + $json.n + ".mp4" }}',
	soundId: '7216519837462889218',
	title: '={{ "Clip " + $json.n }}',
	webhookUrl: 'https://n8n.example.com/webhook/abc/webhook',
	options: { ...ONLY_THE_POST, ...options },
	...extra,
});

const items = (count: number) => Array.from({ length: count }, (_, n) => ({ n }));

beforeEach(() =>
	jest.useFakeTimers({
		doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
	}),
);
afterEach(() => jest.useRealTimers());

/** When each post arrived, in ms after the first. */
const arrivals = (farm: FarmSandbox) => farm.state.posts.map((post) => Date.parse(post.received_at) - Date.parse(farm.state.posts[0].received_at));

let sandbox: FarmSandbox | undefined;
async function startSandbox(options: SandboxOptions) {
	sandbox = await createFarmSandbox({ apiKeys: [API_KEY], callbackDelayMs: 60_000, ...options }).start();
	return sandbox;
}
afterEach(async () => {
	await sandbox?.stop();
	sandbox = undefined;
});

const run = (farm: FarmSandbox, count: number, options: Record<string, unknown>, extra = {}) =>
	runFarmProfileNode({
		items: items(count),
		credentials: { apiKey: API_KEY, baseUrl: farm.url },
		parameters: parameters(options, extra),
	});

it('sends a batch within the limit at once, and holds the one past it until the window allows', async () => {
	const farm = await startSandbox({ rateLimit: { limit: 3, windowMs: 1_000 } });
	// The node counts a little more than the farm's 1 s, as the real minute has 1.2 s of headroom:
	// the farm counts arrivals, and a loaded machine delays some more than others.
	const result = await run(farm, 4, { requestsPerMinute: 3, rateLimitWindow: 1.2 });
	expect(result.error).toBeUndefined();
	expect(farm.state.requests).toBe(4); // no 429: the fourth waited for the first to leave the window
	expect(arrivals(farm)).toEqual([0, 0, 0, 1_224]); // the window with the 2% headroom
});

it('spaces requests evenly when asked to', async () => {
	const farm = await startSandbox({});
	const result = await run(farm, 4, { requestsPerMinute: 120, pacing: 'even' });
	expect(result.error).toBeUndefined();
	expect(arrivals(farm)).toEqual([0, 510, 1_020, 1_530]); // a minute and 2% over 120
});

it('waits out 429s as Retry-After asks: every item posted exactly once', async () => {
	const farm = await startSandbox({ rateLimit: { limit: 2, windowMs: 1_000 }, retryAfter: true });
	const result = await run(farm, 5, { requestsPerMinute: 0 });
	expect(result.error).toBeUndefined();
	expect(result.output.map((item) => item.title)).toEqual(['Clip 0', 'Clip 1', 'Clip 2', 'Clip 3', 'Clip 4']);
	expect(farm.state.posts.map((post) => post.body.title)).toEqual(['Clip 0', 'Clip 1', 'Clip 2', 'Clip 3', 'Clip 4']);
	// Two go at once; the third is refused with Retry-After: 1 and goes a second later with the fourth;
	// the fifth is refused the same way and goes a second after that.
	expect(farm.state.requests).toBe(7);
	expect(arrivals(farm)).toEqual([0, 0, 1_000, 1_000, 2_000]);
});

it('backs off on its own when a 429 names no wait', async () => {
	const farm = await startSandbox({ rateLimit: { limit: 1, windowMs: 1_000 }, retryAfter: false });
	const result = await run(farm, 2, { requestsPerMinute: 0 });
	expect(result.error).toBeUndefined();
	expect(farm.state.requests).toBe(3); // the second item: one 429, then after 5 s accepted
	expect(arrivals(farm)).toEqual([0, 5_000]);
});

it('gives up with a clear error once 429s outlast Max Wait on Rate Limit, listing what was posted', async () => {
	const farm = await startSandbox({ rateLimit: { limit: 1, windowMs: 60_000 }, retryAfter: true });
	const result = await run(farm, 3, { requestsPerMinute: 0, maxRateLimitWait: 1 });
	expect(result.error?.message).toBe('Rate limit reached (429): 30 requests per minute per team [item 1]');
	expect(result.error?.description).toMatch(/^Waited 0 s in total/);
	expect(result.error?.description).toContain(`item 0: ${farm.state.posts[0].task_id}`);
	expect(farm.state.posts).toHaveLength(1);
});

it('never re-sends a 502, not even under Retry On Fail', async () => {
	const farm = await startSandbox({});
	farm.injectFault({ mode: '502', count: 5 });
	const result = await run(farm, 1, { requestsPerMinute: 0 }, {});
	const retried = await runFarmProfileNode({
		items: items(1),
		credentials: { apiKey: API_KEY, baseUrl: farm.url },
		parameters: parameters({ requestsPerMinute: 0 }, { title: 'Retried clip' }),
		nodeSettings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
	});
	expect(result.error?.message).toBe('The farm API answered 502 Bad Gateway [item 0]');
	expect(retried.error?.message).toBe('Not sent again: an earlier attempt of this run failed ambiguously (502) [item 0]');
	expect(retried.error?.description).toContain('may still go up');
	// One request for the plain run, one for the retried run's first try; its two retries sent nothing.
	expect(farm.state.requests).toBe(2);
	expect(farm.state.posts.map((post) => post.body.title)).toEqual(['Clip 0', 'Retried clip']);
});

it('under Retry On Fail, items already posted are not sent again when a later item fails', async () => {
	const farm = await startSandbox({});
	const result = await runFarmProfileNode({
		items: [{ n: 0, profile: READY }, { n: 1, profile: READY }, { n: 2, profile: WARMING }],
		credentials: { apiKey: API_KEY, baseUrl: farm.url },
		parameters: parameters({ requestsPerMinute: 0 }, { profileId: '={{ $json.profile }}' }),
		nodeSettings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
	});
	expect(result.error?.message).toBe('The farm profile is not ready to post (409) [item 2]');
	expect(result.error?.description).toContain(
		`Already posted by this run (not sent again if the node is retried): item 0: ${farm.state.posts[0].task_id}, item 1: ${farm.state.posts[1].task_id}.`,
	);
	expect(farm.state.posts).toHaveLength(2);
	// Items 0 and 1 went out once; item 2 was refused (409, nothing posted) on each of the 3 tries.
	expect(farm.state.requests).toBe(2 + 3);
});
