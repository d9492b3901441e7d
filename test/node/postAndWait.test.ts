// "Post and Wait for Publish" inside n8n-core: the signed resume URL is what the farm receives as
// webhook_url, and the execution is put to wait. Both ways n8n resumes it run for real over the
// stored execution: the resume call (n8n's signature check is n8n's, proven end to end) and the
// wait limit passing.

import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { heldTaskId } from '../../nodes/FarmProfile/state/waitingExecution';
import { waitUntil } from '../../nodes/FarmProfile/actions/postAndWait.operation';
import { createFarmSandbox, DEFAULT_PROFILES, type FarmSandbox } from '../../dev/sandbox/farmSandbox';
import { ONLY_THE_POST, resumeAfterTimeout, resumeWithCall, runFarmProfileNode } from '../harness/runWorkflow';

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
	isLive: true,
	options: { ...ONLY_THE_POST, postRef: 'row-9', ...options },
	...extra,
});

const run = (items: IDataObject[], options?: IDataObject, extra?: IDataObject) =>
	runFarmProfileNode({ items, credentials: { apiKey: API_KEY, baseUrl: farm.url }, parameters: parameters(options, extra) });

describe('posting and waiting', () => {
	it("sends n8n's signed resume URL as webhook_url, with the reference and profile signed in, and waits", async () => {
		const result = await run([{}], { waitLimitHours: 2 });
		const after = Date.now();
		expect(result.error).toBeUndefined();
		const sent = new URL(String(farm.state.posts[0].body.webhook_url));
		expect(sent.pathname).toMatch(/^\/webhook-waiting\/[0-9a-f-]{36}\/farm$/);
		expect(sent.searchParams.get('post_ref')).toBe('row-9');
		expect(sent.searchParams.get('profile_id')).toBe(READY);
		expect(sent.searchParams.get('signature')).toMatch(/^[0-9a-f]{64}$/);
		expect(result.run.status).toBe('waiting');
		// Two hours from when the farm took the post (it has no scheduled time), at the latest from the run's end.
		const waitTill = new Date(result.run.waitTill!).getTime();
		expect(waitTill - 2 * H).toBeGreaterThanOrEqual(Date.parse(farm.state.posts[0].received_at));
		expect(waitTill - 2 * H).toBeLessThanOrEqual(after);
		expect(result.output[0]).toMatchObject({ task_id: farm.state.posts[0].task_id, waiting_until: new Date(waitTill).toISOString() });
		expect(JSON.stringify(result.output)).not.toContain(sent.searchParams.get('signature')!);
	});

	it('refuses several items before sending anything, and says how to loop', async () => {
		const result = await run([{}, {}]);
		expect(result.error?.message).toBe('Post and Wait for Publish takes one item per run; this run got 2');
		expect(result.error?.description).toContain('Loop Over Items');
		expect(farm.state.requests).toBe(0);
	});

	it('refuses a draft before sending anything: it would never go live', async () => {
		const result = await run([{}], {}, { isLive: false });
		expect(result.error?.message).toBe('Publish Live is off, so the post would be saved as a draft and never go live [item 0]');
		expect(result.error?.description).toContain('turn on Publish Live');
		expect(farm.state.requests).toBe(0);
	});

	it("refuses before sending when n8n's resume URL is on this machine and the farm API is not", async () => {
		// The harness's n8n gives resume URLs on 127.0.0.1, as an n8n without WEBHOOK_URL gives localhost ones.
		const result = await runFarmProfileNode({
			items: [{}],
			credentials: { apiKey: API_KEY, baseUrl: 'https://farm-api.invalid' },
			parameters: parameters(),
		});
		expect(result.error?.message).toBe("n8n's WEBHOOK_URL gives resume URLs on 127.0.0.1, which the farm API cannot reach [item 0]");
		expect(result.error?.description).toContain('Nothing was sent');
		expect(result.run.status).toBe('error');
		expect(JSON.stringify(result.error)).not.toContain('/webhook-waiting/');
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

describe('resuming', () => {
	const published = { event: 'post.published', phone_id: 'phone-ready-1', post_url: 'https://www.tiktok.com/@rita.ready/video/7300000000000000007' };
	const query = { post_ref: 'row-9', profile_id: READY, signature: 'f'.repeat(64) };
	// The previous node's output, which holding the answer must leave as it was.
	const itemsOutput = (result: { run: { data: { resultData: { runData: IDataObject } } } }) =>
		(result.run.data.resultData.runData.Items as Array<{ data: { main: IDataObject[][] } }>)[0].data.main[0].map((item) => item.json);

	it('the callback resumes with the live URL, the task id kept in the execution, and the signed reference', async () => {
		const waiting = await run([{ row: 9 }]);
		const taskId = farm.state.posts[0].task_id;
		const { webhook, resumed } = await resumeWithCall(waiting, { body: published, query });
		expect(resumed?.run.status).toBe('success');
		expect(resumed?.output).toEqual([
			{
				event: 'post.published',
				phone_id: 'phone-ready-1',
				post_url: published.post_url,
				post_ref: 'row-9',
				profile_id: READY,
				task_id: taskId,
				status: 'published',
				published: true,
				query: {},
				received_at: expect.stringMatching(/^\d{4}-/),
			},
		]);
		expect(JSON.stringify(webhook)).not.toContain('f'.repeat(64));
		expect(itemsOutput(waiting)).toEqual([{ row: 9 }]);
		expect(itemsOutput(resumed!)).toEqual([{ row: 9 }]);
	});

	it('a malformed body gets 400 and another event is ignored: neither resumes', async () => {
		const waiting = await run([{}]);
		const malformed = await resumeWithCall(waiting, { body: { event: 'post.published', phone_id: 'x' }, query });
		expect(malformed.webhook).toEqual({ noWebhookResponse: true });
		expect(malformed.response.statusCode).toBe(400);
		expect(malformed.resumed).toBeUndefined();
		const other = await resumeWithCall(waiting, { body: { ...published, event: 'post.failed' }, query });
		expect(other.webhook).toEqual({ webhookResponse: { received: true, ignored: 'event post.failed is not post.published' } });
		expect(other.resumed).toBeUndefined();
	});

	it('when the limit passes first, the workflow goes on with "not confirmed" and the task id', async () => {
		const waiting = await run([{ row: 9 }], { waitLimitHours: 2 });
		const taskId = farm.state.posts[0].task_id;
		const until = new Date(waiting.run.waitTill!).toISOString();
		const resumed = await resumeAfterTimeout(waiting);
		expect(resumed.run.status).toBe('success');
		expect(resumed.output).toEqual([
			{
				status: 'not_confirmed',
				published: false,
				task_id: taskId,
				post_ref: 'row-9',
				profile_id: READY,
				waited_until: until,
				message: `Not confirmed live: the farm did not call back by ${until}. The post may still go live later (task ${taskId}); raise Limit Wait Time if posts take longer.`,
			},
		]);
		const [item] = resumed.run.data.resultData.runData['Farm Profile'].at(-1)!.data!.main[0]!;
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(itemsOutput(resumed)).toEqual([{ row: 9 }]);
		expect(farm.state.requests).toBe(1); // going on is not posting again
	});

	it('has no task id for an execution that holds none (e.g. one that began waiting before this version)', () => {
		const holding = (value: unknown) => ({ evaluateExpression: () => value }) as unknown as IWebhookFunctions;
		expect(heldTaskId(holding({ status: 'not_confirmed', task_id: 'task_1' }))).toBe('task_1');
		expect(heldTaskId(holding({ body: { ref: 'row-9' } }))).toBeNull();
		expect(heldTaskId(holding({ status: 'not_confirmed', task_id: 7 }))).toBeNull();
		const failing = { evaluateExpression: () => { throw new Error('no input'); } } as unknown as IWebhookFunctions;
		expect(heldTaskId(failing)).toBeNull();
	});
});
