// "Post and Wait for Publish" inside n8n-core: the signed resume URL is what the farm receives as
// webhook_url, and the execution is put to wait. The resume call's handling runs against a mocked
// n8n webhook context, as the trigger's does.

import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { FarmProfile } from '../../nodes/FarmProfile/FarmProfile.node';
import { rememberWaitingPost, takeWaitingPost } from '../../nodes/FarmProfile/helpers/waitingPosts';
import { waitUntil } from '../../nodes/FarmProfile/operations/postAndWait.operation';
import { createFarmSandbox, DEFAULT_PROFILES, type FarmSandbox } from '../sandbox/farmSandbox';
import { ONLY_THE_POST, runFarmProfileNode } from '../harness/runWorkflow';
import { recordingResponse } from '../harness/webhookResponse';

const API_KEY = 'sk-wait-2a4b6c8d';
const READY = DEFAULT_PROFILES.find((p) => p.status === 'ready')!.profile_id;
const H = 3_600_000;

let farm: FarmSandbox;
beforeAll(async () => {
	farm = await createFarmSandbox({ apiKeys: [API_KEY], callbackDelayMs: 600_000 }).start();
});
afterAll(async () => farm.stop());
beforeEach(() => farm.reset());

const parameters = (options: IDataObject = {}, extra: IDataObject = {}) => ({
	operation: 'sendAndWait',
	profileId: READY,
	mediaType: 'video',
	mediaUrl: 'https://cdn.example.com/clips/clip-1.mp4',
	soundId: '7216519837462889218',
	title: 'Waiting clip',
	options: { ...ONLY_THE_POST, postRef: 'row-9', ...options },
	...extra,
});

const run = (items: IDataObject[], options?: IDataObject, extra?: IDataObject) =>
	runFarmProfileNode({ items, credentials: { apiKey: API_KEY, baseUrl: farm.url }, parameters: parameters(options, extra) });

describe('posting and waiting', () => {
	it("sends n8n's signed resume URL as webhook_url, with the reference and profile signed in, and waits", async () => {
		const before = Date.now();
		const result = await run([{}], { waitLimitHours: 2 });
		expect(result.error).toBeUndefined();
		const sent = new URL(String(farm.state.posts[0].body.webhook_url));
		expect(sent.pathname).toMatch(/^\/webhook-waiting\/[0-9a-f-]{36}\/farm$/);
		expect(sent.searchParams.get('post_ref')).toBe('row-9');
		expect(sent.searchParams.get('profile_id')).toBe(READY);
		expect(sent.searchParams.get('signature')).toMatch(/^[0-9a-f]{64}$/);
		expect(result.run.status).toBe('waiting');
		const waitTill = new Date(result.run.waitTill!).getTime();
		expect(waitTill - before).toBeGreaterThanOrEqual(2 * H - 1_000);
		expect(waitTill - before).toBeLessThan(2 * H + 60_000);
		expect(result.output[0]).toMatchObject({ task_id: farm.state.posts[0].task_id, waiting_until: new Date(waitTill).toISOString() });
		expect(JSON.stringify(result.output)).not.toContain(sent.searchParams.get('signature')!);
	});

	it('refuses several items before sending anything, and says how to loop', async () => {
		const result = await run([{}, {}]);
		expect(result.error?.message).toBe('Post and Wait for Publish takes one item per run; this run got 2');
		expect(result.error?.description).toContain('Loop Over Items');
		expect(farm.state.requests).toBe(0);
	});

	it('does not wait when the post fails, and keeps the resume URL out of the error', async () => {
		farm.injectFault({ mode: 'status', status: 400, body: { detail: 'echo' } });
		const result = await run([{}]);
		expect(result.error?.message).toBe('The farm API rejected the request (400 Bad Request) [item 0]');
		expect(result.run.status).toBe('error');
		expect(farm.state.requests).toBe(1);
		const { node: _configured, ...error } = result.error as unknown as Record<string, unknown>;
		expect(JSON.stringify(error)).not.toContain('/webhook-waiting/');
	});

	it('counts the limit from the scheduled time', () => {
		expect(waitUntil({ execute_at: 10 * H }, 24, 1 * H).getTime()).toBe(34 * H);
		expect(waitUntil({}, 24, 1 * H).getTime()).toBe(25 * H);
		expect(waitUntil({ execute_at: 0 }, 1, 5 * H).getTime()).toBe(6 * H);
	});
});

describe('the resume call', () => {
	function resume(body: unknown, query: IDataObject = {}) {
		const { res, response } = recordingResponse();
		const context = {
			getBodyData: () => body,
			getQueryData: () => query,
			getResponseObject: () => res,
		} as unknown as IWebhookFunctions;
		return new FarmProfile().webhook.call(context).then((result) => ({ result, response }));
	}

	const published = { event: 'post.published', phone_id: 'phone-ready-1', post_url: 'https://www.tiktok.com/@rita.ready/video/7300000000000000007' };

	it('resumes with the live URL, the task id, and the signed reference, never the signature', async () => {
		rememberWaitingPost('f'.repeat(64), 'task_00007_abc', Date.now() + H);
		const { result } = await resume(published, { post_ref: 'row-9', profile_id: READY, signature: 'f'.repeat(64) });
		expect(result.workflowData?.[0][0].json).toEqual({
			event: 'post.published',
			phone_id: 'phone-ready-1',
			post_url: published.post_url,
			post_ref: 'row-9',
			profile_id: READY,
			task_id: 'task_00007_abc',
			status: 'published',
			query: {},
			received_at: expect.stringMatching(/^\d{4}-/),
		});
		expect(JSON.stringify(result)).not.toContain('f'.repeat(64));
		expect(takeWaitingPost('f'.repeat(64))).toBeNull(); // taken once
	});

	it('has no task id for a post this process does not know (restart, another process)', async () => {
		const { result } = await resume(published, { post_ref: 'row-9', profile_id: READY, signature: 'e'.repeat(64) });
		expect(result.workflowData?.[0][0].json).toMatchObject({ task_id: null, post_ref: 'row-9', post_url: published.post_url });
	});

	it('does not resume on a malformed body (400) or another event (ignored)', async () => {
		const malformed = await resume({ event: 'post.published', phone_id: 'x' });
		expect(malformed.result).toEqual({ noWebhookResponse: true });
		expect(malformed.response.statusCode).toBe(400);
		const other = await resume({ ...published, event: 'post.failed' });
		expect(other.result.workflowData).toBeUndefined();
		expect(other.result.webhookResponse).toEqual({ received: true, ignored: 'event post.failed is not post.published' });
	});
});
