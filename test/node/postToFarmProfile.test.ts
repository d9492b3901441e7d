// "Post to Farm Profile" end to end inside n8n-core: real WorkflowExecute, real HTTP to the
// loopback sandbox. Every assertion on the body is on what the sandbox received.

import { createFarmSandbox, DEFAULT_PROFILES, type FarmSandbox } from '../../dev/sandbox/farmSandbox';
import { ONLY_THE_POST, runFarmProfileNode, type RunOptions } from '../harness/runWorkflow';

const API_KEY = 'sk-live-4f9a2c7e81d3b605';
const TOKEN = 'trigger-token-93ab17';
const READY = DEFAULT_PROFILES.find((p) => p.status === 'ready')!.profile_id;
const WARMING = DEFAULT_PROFILES.find((p) => p.status === 'warming')!.profile_id;
const UNKNOWN = '99999999-9999-4999-8999-999999999999';

let sandbox: FarmSandbox;

beforeAll(async () => {
	sandbox = await createFarmSandbox({ apiKeys: [API_KEY], callbackDelayMs: 60_000 }).start();
});
afterAll(async () => sandbox.stop());
beforeEach(() => sandbox.reset());

const baseParameters = {
	operation: 'post',
	profileId: READY,
	mediaType: 'video',
	mediaUrl: 'https://cdn.example.com/clips/clip-42.mp4',
	soundId: '7216519837462889218',
	title: 'Morning routine, part 3',
	webhookUrl: `https://n8n.example.com/webhook/abc/webhook?token=${TOKEN}`,
};

// Pacing and the guards are off here (they have their own suites): these tests are about what is
// sent and what comes back.
function run(parameters: Record<string, unknown> = {}, extra: Partial<RunOptions> = {}) {
	const options = { ...ONLY_THE_POST, ...(parameters.options as object) };
	return runFarmProfileNode({
		items: [{ n: 0 }],
		credentials: { apiKey: API_KEY, baseUrl: sandbox.url },
		parameters: { ...baseParameters, ...parameters, options },
		...extra,
	});
}

/**
 * Neither the node's output nor its error may contain a secret. The error's `node` is left out: it is
 * the node as the user configured it (the token is in the Webhook URL they typed), which n8n attaches.
 */
function expectNoSecrets(result: { output: unknown; error?: object }) {
	const { node: _configuredNode, ...error } = (result.error ?? {}) as Record<string, unknown>;
	const text = JSON.stringify([result.output, error]);
	expect(text).not.toContain(API_KEY);
	expect(text).not.toContain(TOKEN);
}

describe('request body', () => {
	it('sends every field under its API name and type', async () => {
		const result = await run({
			isLive: true,
			additionalFields: { description: 'Three calm tips', scheduledTime: '2099-06-01T18:00:00' },
			options: { postRef: 'row-17' },
		}, { timezone: 'Europe/Berlin' });

		expect(result.error).toBeUndefined();
		expect(sandbox.state.posts).toHaveLength(1);
		const body = sandbox.state.posts[0].body;
		expect(body).toEqual({
			profile_id: READY,
			media_type: 'video',
			media_url: baseParameters.mediaUrl,
			sound_id: '7216519837462889218',
			title: 'Morning routine, part 3',
			webhook_url: `${baseParameters.webhookUrl}&post_ref=row-17&profile_id=${READY}`,
			is_live: true,
			description: 'Three calm tips',
			execute_at: Date.parse('2099-06-01T16:00:00Z'),
		});
		expect(Number.isInteger(body.execute_at)).toBe(true);
		expect(result.output).toEqual([
			expect.objectContaining({
				task_id: sandbox.state.posts[0].task_id,
				profile_id: READY,
				delivery: 'live',
				is_live: true,
				scheduled_at: '2099-06-01T16:00:00.000Z',
				execute_at: Date.parse('2099-06-01T16:00:00Z'),
				post_ref: 'row-17',
			}),
		]);
	});

	it('omits unset optional fields, sends is_live false, and says the post is a draft', async () => {
		const result = await run();
		const body = sandbox.state.posts[0].body;
		expect(Object.keys(body).sort()).toEqual(
			['is_live', 'media_type', 'media_url', 'profile_id', 'sound_id', 'title', 'webhook_url'],
		);
		expect(body.is_live).toBe(false);
		expect(result.output[0]).toMatchObject({ delivery: 'draft', status: expect.stringContaining('draft') });
		expect(result.output[0].post_ref).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
		expectNoSecrets(result);
	});

	it('takes a scheduled time as epoch milliseconds from an expression', async () => {
		await run({ additionalFields: { scheduledTime: '={{ 4102444800000 }}' } });
		expect(sandbox.state.posts[0].body.execute_at).toBe(4102444800000);
	});

	it('takes a Luxon DateTime from an expression ($now)', async () => {
		const before = Date.now();
		await run({ additionalFields: { scheduledTime: '={{ $now.plus({ days: 1 }) }}' } });
		const executeAt = sandbox.state.posts[0].body.execute_at as number;
		expect(Number.isInteger(executeAt)).toBe(true);
		// $now is read during the run, before the request leaves.
		expect(executeAt - 86_400_000).toBeGreaterThanOrEqual(before);
		expect(executeAt - 86_400_000).toBeLessThanOrEqual(Date.parse(sandbox.state.posts[0].received_at));
	});

	it('tolerates a trailing slash in Base URL', async () => {
		const result = await run({}, { credentials: { apiKey: API_KEY, baseUrl: `${sandbox.url}//` } });
		expect(result.error).toBeUndefined();
		expect(sandbox.state.posts).toHaveLength(1);
	});

	it('sends the webhook URL untouched when correlation is off', async () => {
		await run({ options: { correlate: false } });
		expect(sandbox.state.posts[0].body.webhook_url).toBe(baseParameters.webhookUrl);
	});
});

describe('checks before sending', () => {
	it('stops on the first invalid item, names field, problem, fix and item, and sends nothing for it', async () => {
		const result = await runFarmProfileNode({
			items: [{ url: baseParameters.mediaUrl }, { url: 'http://cdn.example.com/a.mp4' }],
			credentials: { apiKey: API_KEY, baseUrl: sandbox.url },
			parameters: { ...baseParameters, mediaUrl: '={{ $json.url }}', options: ONLY_THE_POST },
		});
		expect(result.error?.message).toBe('Media URL uses http:// [item 1]');
		expect(result.error?.description).toContain('use https://');
		expect(result.error?.description).toContain('Nothing was sent');
		expect(result.error?.context?.itemIndex).toBe(1);
		expect(sandbox.state.requests).toBe(1);
	});

	it('reports all problems of one item together', async () => {
		const result = await run({ profileId: 'rita.ready', title: '={{ "" }}', additionalFields: { scheduledTime: 1700000000 } });
		expect(result.error?.message).toBe('Profile ID, Title, Scheduled Time need fixing before posting [item 0]');
		expect(result.error?.description).toContain('multiply it by 1000');
		expect(sandbox.state.requests).toBe(0);
	});

	it('refuses a scheduled time in the past', async () => {
		const result = await run({ additionalFields: { scheduledTime: '2020-01-01T00:00:00Z' } });
		expect(result.error?.message).toContain('Scheduled Time 2020-01-01T00:00:00.000Z is not in the future');
		expect(sandbox.state.requests).toBe(0);
	});
});

describe('answers from the API', () => {
	it('404: profile not found or not on the team', async () => {
		const result = await run({ profileId: UNKNOWN });
		expect(result.error?.message).toBe('Farm profile not found (404) [item 0]');
		expect(result.error?.description).toContain('Server said: Farm profile not found');
		expect(result.error?.httpCode).toBe('404');
	});

	it('409: profile not ready', async () => {
		const result = await run({ profileId: WARMING });
		expect(result.error?.message).toBe('The farm profile is not ready to post (409) [item 0]');
		expect(result.error?.description).toContain('status: warming');
	});

	it('401: the key is refused, and the key never shows', async () => {
		const result = await run({}, { credentials: { apiKey: 'sk-wrong-key-0000', baseUrl: sandbox.url } });
		expect(result.error?.message).toBe('The farm API refused the API key (401) [item 0]');
		expect(JSON.stringify(result.run)).not.toContain('sk-wrong-key-0000');
	});

	it('422: the server list is shown by field', async () => {
		sandbox.injectFault({
			mode: 'status',
			status: 422,
			body: { detail: [{ loc: ['body', 'sound_id'], msg: 'Unknown sound', type: 'value_error' }] },
		});
		const result = await run();
		expect(result.error?.message).toBe('The farm API could not accept these fields (422) [item 0]');
		expect(result.error?.description).toContain('Server said: Sound ID: Unknown sound');
	});

	it('400: malformed request', async () => {
		sandbox.injectFault({ mode: 'status', status: 400, body: { detail: 'Bad payload' } });
		const result = await run();
		expect(result.error?.message).toContain('(400 Bad Request)');
	});

	it('429 beyond the allowed wait: nothing posted, safe to retry after a pause', async () => {
		const limited = await createFarmSandbox({ apiKeys: [API_KEY], rateLimit: { limit: 1, windowMs: 60_000 } }).start();
		try {
			const result = await runFarmProfileNode({
				items: [{ n: 0 }, { n: 1 }],
				credentials: { apiKey: API_KEY, baseUrl: limited.url },
				parameters: { ...baseParameters, options: { ...ONLY_THE_POST, maxRateLimitWait: 0 } },
			});
			expect(result.error?.message).toBe('Rate limit reached (429): 30 requests per minute per team [item 1]');
			expect(result.error?.description).toContain('safe to run again');
			expect(result.error?.description).toContain(`Already posted by this run (not sent again if the node is retried): item 0: ${limited.state.posts[0].task_id}.`);
			expect(limited.state.posts).toHaveLength(1);
		} finally {
			await limited.stop();
		}
	});

	it('502: warns the post may still go up, and is never retried', async () => {
		sandbox.injectFault({ mode: '502' });
		const result = await run();
		expect(result.error?.message).toBe('The farm API answered 502 Bad Gateway [item 0]');
		expect(result.error?.description).toContain('Do not retry blindly');
		expect(sandbox.state.requests).toBe(1);
		expect(sandbox.state.posts).toHaveLength(1); // the sandbox queued it: the warning is real
	});

	it('other 5xx: may have posted', async () => {
		sandbox.injectFault({ mode: 'status', status: 503, body: { detail: 'Service Unavailable' } });
		const result = await run();
		expect(result.error?.message).toBe('The farm API failed (503) [item 0]');
		expect(result.error?.description).toContain('may still go up');
	});

	it('an HTML error page is named as such, not dumped', async () => {
		sandbox.injectFault({ mode: 'html' });
		const result = await run();
		expect(result.error?.description).toContain('HTML page');
		expect(result.error?.description).not.toContain('<html>');
	});

	it('a timeout warns the post may still go up', async () => {
		sandbox.injectFault({ mode: 'slow', delayMs: 1500 });
		const result = await run({ options: { timeout: 1000 } });
		expect(result.error?.message).toBe('The farm API did not answer in time [item 0]');
		expect(result.error?.description).toMatch(/^Network error: E[A-Z]+\./);
		expect(result.error?.description).toContain('may still go up');
		expectNoSecrets(result);
	});

	it('a dropped connection warns the post may still go up', async () => {
		sandbox.injectFault({ mode: 'drop' });
		const result = await run();
		expect(result.error?.message).toBe('The connection to the farm API broke before it answered [item 0]');
		expectNoSecrets(result);
	});

	it('an unreachable host says nothing was posted', async () => {
		const result = await run({}, { credentials: { apiKey: API_KEY, baseUrl: 'http://127.0.0.1:1' } });
		expect(result.error?.message).toBe('Could not reach the farm API [item 0]');
		expect(result.error?.description).toContain('Network error: ECONNREFUSED. Nothing was posted');
		expectNoSecrets(result);
	});

	it('a Base URL that is not a URL says so, and nothing was posted', async () => {
		const result = await run({}, { credentials: { apiKey: API_KEY, baseUrl: 'api.algorhythm.app' } });
		expect(result.error?.message).toBe('Could not reach the farm API [item 0]');
		expect(result.error?.description).toContain('Nothing was posted. Check Base URL');
		expectNoSecrets(result);
	});

	it('a server that echoes the key or the token has them masked', async () => {
		sandbox.injectFault({ mode: 'status', status: 400, body: { detail: `bad key ${API_KEY} for ${TOKEN}` } });
		const result = await run();
		expect(result.error?.description).toContain('bad key [redacted] for [redacted]');
		expectNoSecrets(result);
	});
});

describe('continue on fail', () => {
	it('gives one error item per failed item and keeps the others', async () => {
		const result = await runFarmProfileNode({
			items: [{ profile: READY }, { profile: WARMING }, { profile: 'nope' }, { profile: READY }],
			credentials: { apiKey: API_KEY, baseUrl: sandbox.url },
			parameters: { ...baseParameters, profileId: '={{ $json.profile }}', options: ONLY_THE_POST },
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(4);
		expect(result.output[0].task_id).toBe(sandbox.state.posts[0].task_id);
		expect(result.output[1]).toMatchObject({ error: expect.stringContaining('not ready'), code: '409', may_have_posted: false });
		expect(result.output[2]).toMatchObject({ error: 'Profile ID is not a UUID [item 2]' });
		expect(result.output[3].task_id).toBe(sandbox.state.posts[1].task_id);
		const paired = result.run.data.resultData.runData['Farm Profile'][0].data!.main[0]!.map((item) => item.pairedItem);
		expect(paired).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expectNoSecrets(result);
	});
});
