// The end-to-end suite, run once per n8n major version: the packed package inside real n8n, against
// the sandbox farm API on loopback.

import { join } from 'node:path';
import { tmpdir } from 'node:os';

import { createFarmSandbox, DEFAULT_PROFILES, type FarmSandbox } from '../../dev/sandbox/farmSandbox';
import { makeMp4, makeZip } from '../../dev/sandbox/media';
import { fleetCases, fleetSetup, type FleetSetup } from './fleetCases';
import { profileCases, profileSetup, type ProfileSetup } from './profileCases';
import { mcpCases, mcpSetup, type McpSetup } from './mcpCases';

const { N8nInstance, packPackage } = require('../../dev/n8nInstance');
const wf = require('../../dev/workflows');

const API_KEY = 'sk-e2e-7c1f0a9b3d';
const TOKEN = 'e2e-trigger-token-5521';
const READY = DEFAULT_PROFILES.find((p) => p.status === 'ready')!;
const WARMING = DEFAULT_PROFILES.find((p) => p.status === 'warming')!;
const TRIGGER_HOOK = 'a1b2c3d4-0000-4000-8000-0000000000f1';
const POST_HOOK = 'a1b2c3d4-0000-4000-8000-0000000000f2';
const WAIT_HOOK = 'a1b2c3d4-0000-4000-8000-0000000000f3';
const TIMEOUT_HOOK = 'a1b2c3d4-0000-4000-8000-0000000000f4';
const DAY = 24 * 3_600_000;
// How the guards word a refusal: the duplicate guard (in one process it sees the rival's reservation
// or its post) and the cadence guard.
const DUPLICATE = /^Media URL (is being posted to this profile right now by another execution|was already posted to this profile)/;
const OVER_CADENCE = /^Profile ID would exceed 2 posts in 24 hours/;
// Overlapping executions: one team key per case, so the cases do not count each other's posts.
const OVERLAP = {
	duplicate: { key: 'sk-overlap-dup-1', credential: 'e2eOverlapCred01', hook: 'a1b2c3d4-0000-4000-8000-0000000000d1', workflow: 'e2eOverlapDup001' },
	otherWorkflow: { key: 'sk-overlap-dup-1', credential: 'e2eOverlapCred01', hook: 'a1b2c3d4-0000-4000-8000-0000000000d2', workflow: 'e2eOverlapDup002' },
	refuse: { key: 'sk-overlap-cad-2', credential: 'e2eOverlapCred02', hook: 'a1b2c3d4-0000-4000-8000-0000000000d3', workflow: 'e2eOverlapCad001' },
	schedule: { key: 'sk-overlap-sch-3', credential: 'e2eOverlapCred03', hook: 'a1b2c3d4-0000-4000-8000-0000000000d4', workflow: 'e2eOverlapSch001' },
};

const fullPost = (webhookUrl: string, mediaUrl: string) => ({
	profileId: READY.profile_id,
	mediaType: 'slideshow',
	mediaUrl,
	soundId: '7216519837462889218',
	title: 'Morning routine, part 3',
	webhookUrl,
	isLive: true,
	additionalFields: { description: 'Three calm tips', scheduledTime: '2099-06-01T18:00:00' },
	options: { postRef: 'e2e-full', timeout: 20000 },
});

export function endToEndSuite(major: 1 | 2) {
	jest.setTimeout(15 * 60_000);

	let sandbox: FarmSandbox;
	// A farm whose limit is 30 requests per 6 s (the per-minute limit, ten times faster), for pacing.
	let fastFarm: FarmSandbox;
	// The farm for the overlap cases: its answers are slow, so executions really overlap.
	let overlapFarm: FarmSandbox;
	let n8n: InstanceType<typeof N8nInstance>;
	let fleet: FleetSetup;
	let profile: ProfileSetup;
	let mcp: McpSetup;

	beforeAll(async () => {
		fleet = await fleetSetup();
		profile = await profileSetup();
		mcp = await mcpSetup();
		sandbox = await createFarmSandbox({ apiKeys: [API_KEY], callbackDelayMs: 300 }).start();
		overlapFarm = await createFarmSandbox({
			apiKeys: [...new Set(Object.values(OVERLAP).map((c) => c.key))],
			callbackDelayMs: 600_000,
			rateLimit: { limit: 0, windowMs: 60_000 },
		}).start();
		for (const n of [1, 2, 3, 4, 5, 6]) overlapFarm.serveMedia(`gen-${n}.mp4`, { body: makeMp4(25), contentType: 'video/mp4' });
		fastFarm = await createFarmSandbox({ apiKeys: [API_KEY], callbackDelayMs: 600_000, rateLimit: { limit: 30, windowMs: 6_000 } }).start();
		const tarball = packPackage(join(tmpdir(), `farm-pack-e2e-${major}-${process.pid}`));
		n8n = await N8nInstance.create({ major, tarball });
		process.stdout.write(`end-to-end: n8n ${n8n.host.version} on Node ${n8n.host.nodeVersion}${n8n.host.installedNow ? ` (installed now in ${Math.round(n8n.host.seconds)} s)` : ''}\n`);
		const triggerUrl = n8n.webhookUrl(TRIGGER_HOOK);
		// The sandbox stands in for the user's CDN too (base URL on loopback, so the preflight allows it).
		const slides = `${sandbox.url}/_media/morning-set.zip`;
		const clip = `${sandbox.url}/_media/morning-routine.mp4`;
		for (const n of [0, 1, 2]) sandbox.serveMedia(`clip-${n}.mp4`, { body: makeMp4(30), contentType: 'video/mp4' });
		sandbox.serveMedia('png-set.zip', { body: makeZip(['slide-1.png']), contentType: 'application/zip' });
		const guarded = (mediaUrl: string, options = {}) => ({
			...fullPost('https://n8n.example.com/webhook/x/webhook', mediaUrl),
			mediaType: 'video',
			additionalFields: {},
			options,
		});
		await n8n.importCredentials([
			wf.credential({ baseUrl: sandbox.url, apiKey: API_KEY }),
			wf.credential({ baseUrl: fastFarm.url, apiKey: API_KEY, id: 'e2eFastFarmCred1' }),
			...[...new Map(Object.values(OVERLAP).map((c) => [c.credential, c])).values()].map((c) =>
				wf.credential({ baseUrl: overlapFarm.url, apiKey: c.key, id: c.credential }),
			),
			...fleet.credentials,
			...profile.credentials,
			...mcp.credentials,
		]);
		// One post per call, its media named in the call, as a generator's webhook would send it.
		const overlapPost = (options: object) => ({
			...guarded(`={{ "${overlapFarm.url}/_media/" + $json.body.media }}`, options),
			webhookUrl: 'https://n8n.example.com/webhook/x/webhook',
		});
		await n8n.importWorkflows([
			wf.postWorkflow('e2eFullPost00001', fullPost(`${triggerUrl}?token=${TOKEN}`, slides)),
			wf.batchPostWorkflow(
				'e2eBatchOf40Post',
				40,
				{
					...guarded('={{ "https://cdn.example.com/clips/clip-" + $json.n + ".mp4" }}', {
						requestsPerMinute: 300,
						// 40 posts to one profile in a minute is exactly what the guards are for; here it is about pacing.
						maxPostsPerDay: 0,
						preflight: false,
					}),
				},
				'e2eFastFarmCred1',
			),
			wf.postWorkflow('e2eNotReady00001', { ...fullPost(triggerUrl, slides), profileId: WARMING.profile_id, additionalFields: {} }),
			wf.batchPostWorkflow('e2eSameMediaTwic', 2, guarded(clip), wf.CREDENTIAL_ID),
			wf.batchPostWorkflow(
				'e2eCadenceSchedu',
				3,
				guarded(`={{ "${sandbox.url}/_media/clip-" + $json.n + ".mp4" }}`, { overLimit: 'schedule' }),
				wf.CREDENTIAL_ID,
			),
			wf.postWorkflow('e2ePngSlideshow1', { ...guarded(`${sandbox.url}/_media/png-set.zip`), mediaType: 'slideshow' }),
			wf.triggerWorkflow('e2eTrigger000001', TRIGGER_HOOK, { secretToken: TOKEN, recordUrl: `${sandbox.url}/_sandbox/records` }),
			// The guards are tested above; these posts share one profile and one clip on purpose.
			wf.postAndWaitWorkflow(
				'e2ePostAndWait01',
				WAIT_HOOK,
				{ ...guarded(clip, { postRef: '={{ $json.body.ref }}', maxPostsPerDay: 0, duplicateWindowHours: 0 }) },
				`${sandbox.url}/_sandbox/records`,
			),
			wf.postAndWaitWorkflow(
				'e2eWaitTimeout01',
				TIMEOUT_HOOK,
				{ ...guarded(clip, { postRef: '={{ $json.body.ref }}', maxPostsPerDay: 0, duplicateWindowHours: 0, waitLimitHours: 0.01 }) },
				`${sandbox.url}/_sandbox/records`,
			),
			wf.postOnWebhookWorkflow(OVERLAP.duplicate.workflow, OVERLAP.duplicate.hook, overlapPost({}), OVERLAP.duplicate.credential),
			wf.postOnWebhookWorkflow(OVERLAP.otherWorkflow.workflow, OVERLAP.otherWorkflow.hook, overlapPost({}), OVERLAP.otherWorkflow.credential),
			wf.postOnWebhookWorkflow(OVERLAP.refuse.workflow, OVERLAP.refuse.hook, overlapPost({}), OVERLAP.refuse.credential),
			wf.postOnWebhookWorkflow(
				OVERLAP.schedule.workflow,
				OVERLAP.schedule.hook,
				overlapPost({ overLimit: 'schedule', minGapMinutes: 90 }),
				OVERLAP.schedule.credential,
			),
			wf.postOnWebhookWorkflow('e2ePostOnHook001', POST_HOOK, {
				...fullPost(`${triggerUrl}?token=${TOKEN}&campaign=fall`, clip),
				mediaType: 'video',
				additionalFields: {},
				options: { postRef: '={{ $json.body.ref }}' },
			}),
			...fleet.workflows,
			...profile.workflows,
			...mcp.workflows,
		]);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await sandbox?.stop();
		await fastFarm?.stop();
		await overlapFarm?.stop();
		await fleet?.farm.stop();
		await profile?.stop();
		await mcp?.farm.stop();
	});

	describe('n8n execute', () => {
		beforeEach(() => sandbox.reset());

		it('posts with every field set, and the sandbox receives exactly the expected body', async () => {
			const result = await n8n.execute('e2eFullPost00001');
			expect(result.ok).toBe(true);
			expect(sandbox.state.posts).toHaveLength(1);
			const triggerUrl = n8n.webhookUrl(TRIGGER_HOOK);
			expect(sandbox.state.posts[0].body).toEqual({
				profile_id: READY.profile_id,
				media_type: 'slideshow',
				media_url: `${sandbox.url}/_media/morning-set.zip`,
				sound_id: '7216519837462889218',
				title: 'Morning routine, part 3',
				webhook_url: `${triggerUrl}?token=${TOKEN}&post_ref=e2e-full&profile_id=${READY.profile_id}`,
				is_live: true,
				description: 'Three calm tips',
				execute_at: Date.parse('2099-06-01T18:00:00Z'),
			});
			const output = result.data.data.resultData.runData['Farm Profile'][0].data.main[0][0].json;
			expect(output).toMatchObject({ task_id: sandbox.state.posts[0].task_id, delivery: 'live', post_ref: 'e2e-full' });
			expect(JSON.stringify(output)).not.toContain(TOKEN);
		});

		it('40 items against a limit of 30 per window all go out, each exactly once', async () => {
			const result = await n8n.execute('e2eBatchOf40Post');
			expect(result.ok).toBe(true);
			const output = result.data.data.resultData.runData['Farm Profile'][0].data.main[0];
			expect(output).toHaveLength(40);
			expect(output.filter((item: { json: { error?: string } }) => item.json.error)).toEqual([]);
			const urls = fastFarm.state.posts.map((post) => post.body.media_url);
			expect(urls).toHaveLength(40);
			expect(new Set(urls).size).toBe(40);
		});

		it('the same media twice in one run: one post and a clear error', async () => {
			const result = await n8n.execute('e2eSameMediaTwic');
			expect(result.ok).toBe(false);
			expect(sandbox.state.posts).toHaveLength(1);
			expect(result.stdout + result.stderr).toContain(`Media URL was already posted to this profile at`);
			expect(result.stdout + result.stderr).toContain(`(task ${sandbox.state.posts[0].task_id}) [item 1]`);
		});

		it('three posts to one profile with cadence 2 and "schedule": the third goes to the next free slot', async () => {
			const before = Date.now();
			const result = await n8n.execute('e2eCadenceSchedu');
			expect(result.ok).toBe(true);
			const [first, second, third] = sandbox.state.posts;
			expect(first.body.execute_at).toBeUndefined();
			expect(second.body.execute_at).toBeUndefined();
			// A day after the node counted the first post: during the run, before the farm received it.
			const counted = (third.body.execute_at as number) - DAY;
			expect(counted).toBeGreaterThanOrEqual(before);
			expect(counted).toBeLessThanOrEqual(Date.parse(first.received_at));
		});

		it('a slideshow zip holding slide-1.png is refused before any request to the API', async () => {
			const result = await n8n.execute('e2ePngSlideshow1');
			expect(result.ok).toBe(false);
			expect(result.stdout + result.stderr).toContain('Media URL holds "slide-1.png": only .jpg slides are supported');
			expect(sandbox.state.requests).toBe(0);
			expect(sandbox.state.mediaRequests.length).toBeGreaterThan(0);
		});

		it('a post to a profile that is not ready ends in the mapped error', async () => {
			const result = await n8n.execute('e2eNotReady00001');
			expect(result.ok).toBe(false);
			expect(result.stdout + result.stderr).toContain('The farm profile is not ready to post (409) [item 0]');
			expect(result.stdout + result.stderr).not.toContain(API_KEY);
			expect(sandbox.state.posts).toHaveLength(0);
			expect(sandbox.state.rejected).toEqual([expect.objectContaining({ status: 409 })]);
		});
	});

	describe('n8n start', () => {
		beforeAll(async () => {
			await n8n.activate('e2eTrigger000001');
			await n8n.activate('e2ePostOnHook001');
			await n8n.activate('e2ePostAndWait01');
			await n8n.activate('e2eWaitTimeout01');
			for (const c of Object.values(OVERLAP)) await n8n.activate(c.workflow);
			for (const { workflow } of [...fleet.webhooks, ...profile.webhooks]) await n8n.activate(workflow);
			await n8n.activate(mcp.workflow);
			await n8n.start();
			await n8n.waitForWebhook(n8n.webhookUrl(TRIGGER_HOOK));
			await n8n.waitForWebhook(`${n8n.baseUrl}/webhook/${POST_HOOK}`);
			await n8n.waitForWebhook(`${n8n.baseUrl}/webhook/${WAIT_HOOK}`);
			await n8n.waitForWebhook(`${n8n.baseUrl}/webhook/${TIMEOUT_HOOK}`);
			for (const c of Object.values(OVERLAP)) await n8n.waitForWebhook(`${n8n.baseUrl}/webhook/${c.hook}`);
			for (const { hook } of [...fleet.webhooks, ...profile.webhooks]) await n8n.waitForWebhook(`${n8n.baseUrl}/webhook/${hook}`);
			await n8n.waitForWebhook(mcp.endpoint(n8n.baseUrl));
			await n8n.setupOwner();
		});

		describe('Post Across Profiles', () => fleetCases(() => ({ baseUrl: n8n.baseUrl, farm: fleet.farm })));
		describe('Profile resource and Sound list', () =>
			profileCases(() => ({
				baseUrl: n8n.baseUrl,
				rest: n8n.rest.bind(n8n),
				// A CLI of its own (its own task-runner port) on the running n8n's data, as the playground test does.
				execute: async (id) => await (await N8nInstance.create({ major, userFolder: n8n.userFolder, port: n8n.port })).execute(id),
				setup: profile,
			})));
		describe('AI-agent tool over MCP', () => mcpCases(() => ({ baseUrl: n8n.baseUrl, farm: mcp.farm })));
		beforeEach(() => sandbox.reset());

		it('lists the credential, the action and the trigger', async () => {
			const nodes = await n8n.rest('GET', '/types/nodes.json');
			const names = nodes.json.map((node: { name: string }) => node.name);
			expect(names).toEqual(expect.arrayContaining(['n8n-nodes-farm-profile.farmProfile', 'n8n-nodes-farm-profile.farmProfileTrigger']));
			const credentials = await n8n.rest('GET', '/types/credentials.json');
			expect(credentials.json.map((credential: { name: string }) => credential.name)).toContain('farmProfileApi');
		});

		it("the trigger receives the sandbox's callback for a post made by another workflow, with the correlation", async () => {
			const response = await fetch(`${n8n.baseUrl}/webhook/${POST_HOOK}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ ref: `loop-${major}` }),
			});
			expect(response.status).toBe(200);
			const posted = (await response.json()) as { task_id: string; post_ref: string; delivery: string };
			expect(posted).toMatchObject({ post_ref: `loop-${major}`, delivery: 'live' });

			const [record] = await sandbox.waitForRecords(1);
			expect(sandbox.state.callbacks[0]).toMatchObject({ status: 200, task_id: posted.task_id });
			expect(record.body).toMatchObject({
				event: 'post.published',
				phone_id: READY.phone_id,
				post_url: expect.stringMatching(/^https:\/\/www\.tiktok\.com\/@rita\.ready\/video\/\d+$/),
				post_ref: `loop-${major}`,
				profile_id: READY.profile_id,
				query: { campaign: 'fall' },
			});
			expect(JSON.stringify(record.body)).not.toContain(TOKEN);
		});

		it('a forged callback without the right token is refused and starts no execution', async () => {
			const before = (await n8n.executions('e2eTrigger000001')).length;
			const forged = { event: 'post.published', phone_id: 'phone-x', post_url: 'https://www.tiktok.com/@x/video/1' };
			for (const url of [n8n.webhookUrl(TRIGGER_HOOK), `${n8n.webhookUrl(TRIGGER_HOOK)}?token=guess`]) {
				const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(forged) });
				expect(response.status).toBe(401);
			}
			const malformed = await fetch(`${n8n.webhookUrl(TRIGGER_HOOK)}?token=${TOKEN}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ event: 'post.published' }),
			});
			expect(malformed.status).toBe(400);
			// Then a real callback: an execution a refused call had started would have started before this
			// one's, and recorded before it.
			const real = { event: 'post.published', phone_id: 'phone-after-the-forged', post_url: 'https://www.tiktok.com/@x/video/2' };
			const accepted = await fetch(`${n8n.webhookUrl(TRIGGER_HOOK)}?token=${TOKEN}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(real) });
			expect(accepted.status).toBe(200);
			const records = await sandbox.waitForRecords(1);
			expect(records.map((record) => record.body.phone_id)).toEqual([real.phone_id]);
			expect((await n8n.executions('e2eTrigger000001')).length).toBe(before + 1);
		});

		const startWaiting = async (hook: string, ref: string) => {
			const response = await fetch(`${n8n.baseUrl}/webhook/${hook}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ ref }),
			});
			expect(response.status).toBe(200);
			const [post] = await sandbox.waitForPosts(1);
			return post;
		};
		const callBack = (url: string, body: unknown) =>
			fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

		it('Post and Wait for Publish: posts, waits, and resumes with the live post_url', async () => {
			const post = await startWaiting(WAIT_HOOK, `wait-${major}`);
			expect(new URL(String(post.body.webhook_url)).pathname).toMatch(/^\/webhook-waiting\//);
			const [record] = await sandbox.waitForRecords(1);
			expect(sandbox.state.callbacks[0].status).toBe(200);
			expect(record.body).toMatchObject({
				event: 'post.published',
				status: 'published',
				phone_id: READY.phone_id,
				post_url: expect.stringMatching(/^https:\/\/www\.tiktok\.com\//),
				post_ref: `wait-${major}`,
				profile_id: READY.profile_id,
				task_id: post.task_id,
				published: true,
			});
			expect(JSON.stringify(record.body)).not.toContain('signature');
		});

		it('Post and Wait for Publish: a forged or malformed resume does not resume; the real one does', async () => {
			sandbox.config.callbackDelayMs = 600_000;
			try {
				const post = await startWaiting(WAIT_HOOK, `forged-${major}`);
				const resumeUrl = new URL(String(post.body.webhook_url));
				const published = { event: 'post.published', phone_id: READY.phone_id, post_url: 'https://www.tiktok.com/@rita.ready/video/1' };
				const forged = { ...published, post_url: 'https://www.tiktok.com/@rita.ready/video/666' };

				const badSignature = new URL(resumeUrl);
				badSignature.searchParams.set('signature', '0'.repeat(64));
				const otherRef = new URL(resumeUrl);
				otherRef.searchParams.set('post_ref', 'someone-else');
				expect((await callBack(badSignature.toString(), forged)).status).toBe(401);
				expect((await callBack(otherRef.toString(), forged)).status).toBe(401);
				expect((await callBack(resumeUrl.toString(), { event: 'post.published' })).status).toBe(400);

				// Had a refused call resumed the execution, this one would find nothing waiting, and the
				// record would carry the forged post_url or none.
				expect((await callBack(resumeUrl.toString(), published)).status).toBe(200);
				const records = await sandbox.waitForRecords(1);
				expect(records.map((record) => record.body.post_url)).toEqual([published.post_url]);
				expect(records[0].body).toMatchObject({ post_ref: `forged-${major}`, task_id: post.task_id });
			} finally {
				sandbox.config.callbackDelayMs = 300;
			}
		});

		it('Post and Wait for Publish: when the limit passes first, the workflow goes on with "not confirmed" and the task id', async () => {
			sandbox.config.callbackDelayMs = 600_000;
			try {
				const post = await startWaiting(TIMEOUT_HOOK, `timeout-${major}`);
				// Limit 0.01 h = 36 s; n8n looks for due executions about once a minute.
				const [record] = await sandbox.waitForRecords(1, 150_000);
				expect(record.body).toMatchObject({
					status: 'not_confirmed',
					published: false,
					task_id: post.task_id,
					post_ref: `timeout-${major}`,
					profile_id: READY.profile_id,
					message: expect.stringContaining(`Not confirmed live: the farm did not call back by`),
				});
				expect(record.body.post_url).toBeUndefined();
				expect(sandbox.state.posts).toHaveLength(1);
			} finally {
				sandbox.config.callbackDelayMs = 300;
			}
		});

		it('the credential test succeeds with the right key and fails with a wrong one', async () => {
			const test = (apiKey: string) =>
				n8n.rest('POST', '/rest/credentials/test', {
					credentials: { id: wf.CREDENTIAL_ID, name: 'Farm Profile API (sandbox)', type: 'farmProfileApi', data: { apiKey, baseUrl: sandbox.url } },
				});
			const good = await test(API_KEY);
			expect(good.json.data).toMatchObject({ status: 'OK' });
			const bad = await test('sk-wrong-key-000');
			// n8n 2.x shows the credential's own words for a 401; 1.x its generic ones (its tester does not
			// reach the rules for this kind of error).
			const refused = major === 2 ? "The farm API refused this API key (401): copy your team's key again" : 'Authorization failed - please check your credentials';
			expect(bad.json.data).toMatchObject({ status: 'Error', message: refused });
			expect(sandbox.state.posts).toHaveLength(0);
		});

		describe('overlapping executions (regular mode, one process)', () => {
			const post = (hook: string, media: string) =>
				fetch(`${n8n.baseUrl}/webhook/${hook}`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify({ media }),
				}).then(async (response) => ({ status: response.status, text: await response.text() }));
			const slowAnswers = () => overlapFarm.injectFault({ mode: 'slow', delayMs: 800, count: 20, path: '/v1/posts' });
			/** Runs `calls`, then gives the error message of each execution of `workflow` they ended in error. */
			const refusals = async (workflow: string, calls: () => Promise<unknown>) => {
				const before = new Set((await n8n.executions(workflow)).map((e: { id: string }) => e.id));
				await calls();
				// With Respond: When Last Node Finishes, n8n answers once the execution is over and saved.
				const failed = (await n8n.executions(workflow)).filter((e: { id: string; status: string }) => !before.has(e.id) && e.status === 'error');
				return await Promise.all(failed.map(async (e: { id: string }) => (await n8n.executionError(e.id))?.message));
			};
			beforeEach(() => overlapFarm.reset());

			it('five identical posts at once: exactly one is sent, four refused with the usual error', async () => {
				slowAnswers();
				let answers: Array<{ status: number }> = [];
				const refused = await refusals(OVERLAP.duplicate.workflow, async () => {
					answers = await Promise.all([1, 2, 3, 4, 5].map(() => post(OVERLAP.duplicate.hook, 'gen-1.mp4')));
				});
				expect(overlapFarm.state.posts).toHaveLength(1);
				expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
				expect(refused).toEqual(Array(4).fill(expect.stringMatching(DUPLICATE)));
			});

			it('the same media from another workflow with the same key is a duplicate too', async () => {
				const refused = await refusals(OVERLAP.otherWorkflow.workflow, () => post(OVERLAP.otherWorkflow.hook, 'gen-1.mp4'));
				expect(refused).toEqual([expect.stringMatching(DUPLICATE)]);
				expect(overlapFarm.state.posts).toHaveLength(0);
			});

			it('four posts to one profile at once under 2 a day: two sent, two refused', async () => {
				slowAnswers();
				let answers: Array<{ status: number }> = [];
				const refused = await refusals(OVERLAP.refuse.workflow, async () => {
					answers = await Promise.all([2, 3, 4, 5].map((n) => post(OVERLAP.refuse.hook, `gen-${n}.mp4`)));
				});
				expect(overlapFarm.state.posts).toHaveLength(2);
				expect(answers.filter((a) => a.status === 200)).toHaveLength(2);
				expect(refused).toEqual(Array(2).fill(expect.stringMatching(OVER_CADENCE)));
			});

			it('with "Schedule in the Next Free Slot": two now, two in distinct slots that keep the minimum gap', async () => {
				slowAnswers();
				const answers = await Promise.all([2, 3, 4, 5].map((n) => post(OVERLAP.schedule.hook, `gen-${n}.mp4`)));
				expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
				const posts = overlapFarm.state.posts;
				expect(posts).toHaveLength(4);
				const slot = (p: (typeof posts)[number]) => (p.body.execute_at as number | undefined) ?? Date.parse(p.received_at);
				const scheduled = posts.filter((p) => p.body.execute_at !== undefined);
				expect(scheduled).toHaveLength(2);
				// The two sent now are about a day before the two scheduled; the scheduled ones are exactly the gap apart.
				for (const p of scheduled) for (const other of posts.filter((o) => o !== p)) expect(Math.abs(slot(p) - slot(other))).toBeGreaterThanOrEqual(90 * 60_000);
			});

			it('after a restart, every overlapping post is still remembered (static data merged, not overwritten)', async () => {
				await n8n.stop();
				await n8n.start();
				for (const c of Object.values(OVERLAP)) await n8n.waitForWebhook(`${n8n.baseUrl}/webhook/${c.hook}`);
				// Both posts of the refuse case survived: a third media is over the daily limit, not let through.
				expect(await refusals(OVERLAP.refuse.workflow, () => post(OVERLAP.refuse.hook, 'gen-6.mp4'))).toEqual([expect.stringMatching(OVER_CADENCE)]);
				// And the one sent in the duplicate case is still a duplicate.
				expect(await refusals(OVERLAP.duplicate.workflow, () => post(OVERLAP.duplicate.hook, 'gen-1.mp4'))).toEqual([expect.stringMatching(DUPLICATE)]);
				expect(overlapFarm.state.posts).toHaveLength(0);
			});
		});

		it('Post and Wait for Publish: a post waiting through an n8n restart resumes with its task id', async () => {
			sandbox.config.callbackDelayMs = 600_000;
			try {
				const post = await startWaiting(WAIT_HOOK, `restart-${major}`);
				await n8n.stop();
				await n8n.start(); // returns once n8n has fully started: see N8nInstance.start
				const published = { event: 'post.published', phone_id: READY.phone_id, post_url: 'https://www.tiktok.com/@rita.ready/video/2' };
				expect((await callBack(String(post.body.webhook_url), published)).status).toBe(200);
				const [record] = await sandbox.waitForRecords(1);
				expect(record.body).toMatchObject({ status: 'published', post_ref: `restart-${major}`, task_id: post.task_id, post_url: published.post_url });
			} finally {
				sandbox.config.callbackDelayMs = 300;
			}
		});
	});
}
