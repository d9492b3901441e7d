// n8n's scale-out engine for real (issue #11, items 4 and 5): Redis, Postgres, an n8n main and two
// `n8n worker`s sharing one encryption key and database, the packed package loaded in each, in
// both n8n majors. Executions start through webhooks: `n8n execute` never runs on a worker (it
// falls back to regular mode). Both majors run in queue mode here (1.123.81 on Node 20, 2.41.1 on
// Node 24); the cluster is test/e2e/queueCluster.js.
//
// The figures asked for (time against the ceiling, 429s met, the 429 share with two workers and
// with one, how many of five identical posts went out, where each execution ran) are printed as
// `[queue n8n N.x] …` lines, to be quoted.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

import { createFarmSandbox, DEFAULT_PROFILES, type FarmSandbox } from '../../dev/sandbox/farmSandbox';
import { makeMp4 } from '../../dev/sandbox/media';

const { QueueCluster } = require('../../dev/queueCluster');
const { packPackage } = require('../../dev/n8nInstance');
const wf = require('../../dev/workflows');

const API_KEY = 'sk-queue-4b8e2d1a6c';
const READY = DEFAULT_PROFILES.find((p) => p.status === 'ready')!;
// The team limit, ten times faster (30 requests per 6 s instead of per minute), and the node's
// Rate Limit Window set to match, as in bench/run.js: 100 posts take tens of seconds, not minutes.
const WINDOW = { limit: 30, windowMs: 6_000 };
const PACE = { requestsPerMinute: WINDOW.limit, rateLimitWindow: WINDOW.windowMs / 1000 };
const CALLS = 4;
const ITEMS_PER_CALL = 25;
const POSTS = CALLS * ITEMS_PER_CALL;
// The least time POSTS posts can take under the window: the last batch of 30 goes once the ones
// before it have left the window (as bench/run.js reckons it).
const CEILING_MS = (Math.ceil(POSTS / WINDOW.limit) - 1) * WINDOW.windowMs;

/**
 * Of five overlapping identical posts (same media, same profile, guards at their defaults) spread
 * over both workers, at most this many may reach the API. Each worker's guards see only their own
 * process; across workers the claim in n8n's deduplication store stops the rest (one went out in
 * every run measured), but it is not absolute (README, "Across workers"): one per worker.
 */
const MAX_SENT_OF_FIVE_IDENTICAL = 2;

const BATCH_HOOK = 'b7e0c1d2-0000-4000-8000-0000000000a1';
const WAIT_HOOK = 'b7e0c1d2-0000-4000-8000-0000000000a2';
const GUARD_HOOK = 'b7e0c1d2-0000-4000-8000-0000000000a3';
const GUARD_WAIT_ID = 'b7e0c1d2-0000-4000-8000-0000000000a4';
const GUARD_HOLD_S = 2;
// How the duplicate guard (or, behind it, the cadence guard) words a refusal.
const GUARD_REFUSAL = /posted to this profile|was sent to this profile|would exceed \d+ posts? in 24 hours|another n8n worker made/;
const FLEET_HOOK = 'b7e0c1d2-0000-4000-8000-0000000000a5';
const FLEET_WAIT_ID = 'b7e0c1d2-0000-4000-8000-0000000000a6';
const TWIN_HOOK = 'b7e0c1d2-0000-4000-8000-0000000000a7';
const TWIN_WAIT_ID = 'b7e0c1d2-0000-4000-8000-0000000000a8';
const BATCH_WF = 'queueBatch100Pst';
const WAIT_WF = 'queuePostAndWait';
const GUARD_WF = 'queueGuardFive01';
const FLEET_WF = 'queueFleetAcross';
const TWIN_WF = 'queueFleetTwin01';
/** Post Across Profiles' rules here: the defaults (2 a day, 120 min apart), all day long. */
const FLEET_RULES = { max: 2, gapMs: 120 * 60_000 };
const FLEET_ITEMS = 10;
// The refusal of an item whose every profile another worker's run is posting to.
const CONTENDED = /Profile IDs are all being posted to by another run of this node on another n8n worker/;

// Fresh ready profiles, one per guard round, so that rounds do not see each other's posts.
const ROUND_PROFILES = [1, 2, 3, 4].map((n) => ({
	profile_id: `9a8b7c6d-5e4f-4a3b-8c2d-00000000000${n}`,
	profile_name: `Round ${n}`,
	phone_id: `phone-round-${n}`,
	status: 'ready',
	tiktok_username: `round.${n}`,
}));

// Fresh ready profiles for the daily limit's rounds.
const CADENCE_PROFILES = [5, 6, 7, 8].map((n) => ({ ...ROUND_PROFILES[0], profile_id: `9a8b7c6d-5e4f-4a3b-8c2d-00000000000${n}`, profile_name: `Round ${n}`, phone_id: `phone-round-${n}`, tiktok_username: `round.${n}` }));

// Fresh ready pools of five, one per fleet round, so that rounds do not see each other's posts.
const FLEET_POOLS = Array.from({ length: 8 }, (_, pool) =>
	Array.from({ length: 5 }, (_, n) => ({
		profile_id: `9a8b7c6d-5e4f-4a3b-8c2d-0000000${String(pool).padStart(2, '0')}${n}00`,
		profile_name: `Fleet ${pool}.${n}`,
		phone_id: `phone-fleet-${pool}-${n}`,
		status: 'ready',
		tiktok_username: `fleet.${pool}.${n}`,
	})),
);

function farmNode(parameters: Record<string, unknown>, x = 240, extra: Record<string, unknown> = {}) {
	return wf.node('Farm Profile', 'n8n-nodes-farm-profile.farmProfile', 1, x, { operation: 'post', ...parameters }, {
		credentials: { farmProfileApi: { id: wf.CREDENTIAL_ID, name: 'Farm Profile API (sandbox)' } },
		...extra,
	});
}

function webhookNode(webhookId: string) {
	return wf.node('Start Webhook', 'n8n-nodes-base.webhook', 2, 0, { httpMethod: 'POST', path: webhookId, responseMode: 'onReceived', options: {} }, { webhookId });
}

function workflow(id: string, nodes: unknown[], chain: string[]) {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i + 1 < chain.length; i++) connections[chain[i]] = { main: [[{ node: chain[i + 1], type: 'main', index: 0 }]] };
	return { id, name: `Queue ${id}`, active: false, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

const baseFields = {
	profileId: READY.profile_id,
	mediaType: 'video',
	soundId: '7216519837462889218',
	webhookUrl: 'https://n8n.example.com/webhook/queue/webhook',
	isLive: true,
};

/** Webhook (answers at once, so calls overlap) → Split Out body.items → Farm Profile: one post per item. */
function batchWorkflow() {
	const split = wf.node('Split Items', 'n8n-nodes-base.splitOut', 1, 120, { fieldToSplitOut: 'body.items', include: 'noOtherFields', options: {} });
	const farm = farmNode({
		...baseFields,
		mediaUrl: '={{ "https://cdn.example.com/queue/" + $json.run + "/clip-" + $json.n + ".mp4" }}',
		title: '={{ "Clip " + $json.n }}',
		// 100 posts to one profile in a minute is what the cadence guard is for; here it is about
		// pacing. The media is not reachable, so no preflight either.
		options: { ...PACE, maxPostsPerDay: 0, preflight: false },
	});
	return workflow(BATCH_WF, [webhookNode(BATCH_HOOK), split, farm], ['Start Webhook', 'Split Items', 'Farm Profile']);
}

/** Webhook → Post and Wait → Record (what it resumed with, and the execution's id) at the sandbox. */
function waitWorkflow(recordUrl: string, mediaUrl: string) {
	const farm = farmNode({
		...baseFields,
		operation: 'sendAndWait',
		mediaUrl,
		title: 'Wait across workers',
		options: { ...PACE, postRef: '={{ $json.body.ref }}', maxPostsPerDay: 0, duplicateWindowHours: 0 },
	});
	const record = wf.node('Record', 'n8n-nodes-base.httpRequest', 4.2, 480, {
		method: 'POST',
		url: recordUrl,
		sendBody: true,
		specifyBody: 'json',
		jsonBody: '={{ JSON.stringify({ ...$json, execution_id: $execution.id }) }}',
		options: {},
	});
	return workflow(WAIT_WF, [webhookNode(WAIT_HOOK), farm, record], ['Start Webhook', 'Farm Profile', 'Record']);
}

/**
 * Webhook → Wait 2 s → Farm Profile with the profile and media from the call, every guard at its
 * default. The wait (in the worker's process: n8n sleeps for waits under 65 s) holds every execution
 * of a round in flight until all have started, so that they really overlap when they post.
 */
function guardWorkflow() {
	const hold = wf.node('Hold', 'n8n-nodes-base.wait', 1.1, 120, { resume: 'timeInterval', amount: GUARD_HOLD_S, unit: 'seconds' }, { webhookId: GUARD_WAIT_ID });
	const farm = farmNode({ ...baseFields, profileId: '={{ $json.body.profile }}', mediaUrl: '={{ $json.body.media }}', title: 'Same post five times', options: PACE });
	return workflow(GUARD_WF, [webhookNode(GUARD_HOOK), hold, farm], ['Start Webhook', 'Hold', 'Farm Profile']);
}

/**
 * Webhook → Wait 2 s (so that two calls' executions overlap) → Split Out body.items → Post Across
 * Profiles over the pool each item names, at the default rules all day long; an item that cannot be
 * placed becomes an error item (Continue On Fail), so every item's fate is in the output.
 */
function fleetWorkflow(id: string, hook: string, waitId: string) {
	const hold = wf.node('Hold', 'n8n-nodes-base.wait', 1.1, 120, { resume: 'timeInterval', amount: GUARD_HOLD_S, unit: 'seconds' }, { webhookId: waitId });
	const split = wf.node('Split Items', 'n8n-nodes-base.splitOut', 1, 240, { fieldToSplitOut: 'body.items', include: 'noOtherFields', options: {} });
	const farm = farmNode(
		{
			operation: 'postAcrossProfiles',
			profileIds: '={{ $json.pool }}',
			mediaType: 'video',
			soundId: baseFields.soundId,
			webhookUrl: baseFields.webhookUrl,
			isLive: true,
			mediaUrl: '={{ "https://cdn.example.com/fleet/" + $json.run + "/clip-" + $json.n + ".mp4" }}',
			title: '={{ "Fleet clip " + $json.n }}',
			options: { ...PACE, preflight: false, postRef: '={{ $json.run + "-" + $json.n }}', postingHoursFrom: '00:00', postingHoursTo: '00:00' },
		},
		360,
		{ onError: 'continueRegularOutput' },
	);
	return workflow(id, [webhookNode(hook), hold, split, farm], ['Start Webhook', 'Hold', 'Split Items', 'Farm Profile']);
}

/** Every profile: at most `max` posts in any 24 h, each `gapMs` after the one before; what breaks it. */
function cadenceBreaks(posts: Array<{ body: Record<string, unknown> }>, { max, gapMs }: typeof FLEET_RULES): string[] {
	const byProfile = new Map<string, number[]>();
	for (const { body } of posts) {
		if (typeof body.execute_at !== 'number') throw new Error(`a post without execute_at: ${JSON.stringify(body)}`);
		byProfile.set(String(body.profile_id), [...(byProfile.get(String(body.profile_id)) ?? []), body.execute_at]);
	}
	const breaks: string[] = [];
	for (const [profile, slots] of byProfile) {
		slots.sort((a, b) => a - b);
		slots.forEach((slot, i) => {
			const inDay = slots.filter((other) => other >= slot && other < slot + 86_400_000).length;
			if (inDay > max) breaks.push(`${profile.slice(-6)}: ${inDay} in 24 h`);
			if (i > 0 && slot - slots[i - 1] < gapMs) breaks.push(`${profile.slice(-6)}: ${Math.round((slot - slots[i - 1]) / 60_000)} min apart`);
		});
	}
	return breaks;
}

async function post(url: string, body: unknown) {
	const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
	await response.arrayBuffer();
	return response.status;
}

function queueModeSuite(major: 1 | 2) {
	let farm: FarmSandbox;
	let cluster: InstanceType<typeof QueueCluster>;
	const report = (line: string) => console.log(`[queue n8n ${major}.x] ${line}`);

	beforeAll(async () => {
		farm = await createFarmSandbox({
			apiKeys: [API_KEY],
			profiles: [...DEFAULT_PROFILES, ...ROUND_PROFILES, ...CADENCE_PROFILES, ...FLEET_POOLS.flat()],
			rateLimit: WINDOW,
			// Retry-After on every 429, so the test shows whether the pacers honour it.
			retryAfter: true,
			callbackDelayMs: 3_600_000,
		}).start();
		const packDir = join(tmpdir(), `farm-pack-queue-${major}-${process.pid}`);
		const started = Date.now();
		try {
			cluster = await QueueCluster.create({ major, tarball: packPackage(packDir), workers: 2, concurrency: 5 });
		} finally {
			// Unpacked into every process's user folder by now.
			rmSync(packDir, { recursive: true, force: true });
		}
		await cluster.importCredentials([wf.credential({ baseUrl: farm.url, apiKey: API_KEY })]);
		await cluster.importWorkflows([
			batchWorkflow(),
			waitWorkflow(`${farm.url}/_sandbox/records`, `${farm.url}/_media/morning-routine.mp4`),
			guardWorkflow(),
			fleetWorkflow(FLEET_WF, FLEET_HOOK, FLEET_WAIT_ID),
			fleetWorkflow(TWIN_WF, TWIN_HOOK, TWIN_WAIT_ID),
		]);
		for (const id of [BATCH_WF, WAIT_WF, GUARD_WF, FLEET_WF, TWIN_WF]) await cluster.activate(id);
		await cluster.start();
		for (const hook of [BATCH_HOOK, WAIT_HOOK, GUARD_HOOK, FLEET_HOOK, TWIN_HOOK]) await cluster.waitForWebhook(`${cluster.baseUrl}/webhook/${hook}`);
		report(`n8n ${cluster.host.version} on Node ${cluster.host.nodeVersion}: Redis, Postgres 15, main + 2 workers (concurrency 5) up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	});

	afterAll(async () => {
		await cluster?.dispose();
		await farm?.stop();
	});

	beforeEach(() => farm.reset());

	/** Four overlapping calls of 25 items each; returns the figures and checks every post went out once. */
	async function hundredPosts(run: string) {
		farm.config.callbackDelayMs = 3_600_000;
		const before = new Set((await cluster.executions(BATCH_WF)).map((e: { id: string }) => e.id));
		const jobsBefore = cluster.jobsPerWorker();
		const started = Date.now();
		const statuses = await Promise.all(
			Array.from({ length: CALLS }, (_, call) =>
				post(`${cluster.baseUrl}/webhook/${BATCH_HOOK}`, {
					items: Array.from({ length: ITEMS_PER_CALL }, (_, i) => ({ run, n: call * ITEMS_PER_CALL + i })),
				}),
			),
		);
		expect(statuses).toEqual(Array(CALLS).fill(200));
		const all = await cluster.waitForExecutions(BATCH_WF, before.size + CALLS, { timeoutMs: 300_000 });
		const mine = all.filter((e: { id: string }) => !before.has(e.id));
		const lastPost = Math.max(...farm.state.posts.map((p) => Date.parse(p.received_at)));
		const urls = farm.state.posts.map((p) => String(p.body.media_url));
		const tooMany = farm.state.requests - farm.state.posts.length - farm.state.rejected.length;
		const jobsAfter = cluster.jobsPerWorker();
		const spread = Object.fromEntries(Object.keys(jobsAfter).map((w) => [w, jobsAfter[w] - (jobsBefore[w] ?? 0)]));
		const figures = {
			executions: mine.map((e: { status: string }) => e.status),
			failed: mine.filter((e: { status: string }) => e.status !== 'success').length,
			posted: urls.length,
			duplicates: urls.length - new Set(urls).size,
			elapsedMs: lastPost - started,
			ceilingMs: CEILING_MS,
			requests: farm.state.requests,
			answered429: tooMany,
			share429: tooMany / farm.state.requests,
			executionsPerWorker: spread,
		};
		const errors = [];
		for (const execution of mine.filter((e: { status: string }) => e.status !== 'success')) errors.push((await cluster.executionError(execution.id))?.message ?? null);
		expect(errors).toEqual([]);
		expect(figures.failed).toBe(0);
		expect(figures.posted).toBe(POSTS);
		expect(figures.duplicates).toBe(0);
		expect(farm.state.rejected).toEqual([]);
		return figures;
	}

	const describeFigures = (f: Awaited<ReturnType<typeof hundredPosts>>) =>
		`${f.posted} posted, ${f.failed} failed executions, ${f.duplicates} duplicate media_urls; last post ${(f.elapsedMs / 1000).toFixed(1)} s after the first call ` +
		`(ceiling ${(f.ceilingMs / 1000).toFixed(0)} s at ${WINDOW.limit} per ${WINDOW.windowMs / 1000} s, ${(f.elapsedMs / f.ceilingMs).toFixed(2)}x); ` +
		`${f.answered429} of ${f.requests} requests answered 429 (${(f.share429 * 100).toFixed(1)} %); executions per worker ${JSON.stringify(f.executionsPerWorker)}`;

	let twoWorkers: Awaited<ReturnType<typeof hundredPosts>> | undefined;

	it('100 posts from four overlapping executions with one key, over two workers: 0 failed, 0 duplicates', async () => {
		twoWorkers = await hundredPosts('two-workers');
		report(`100 posts, two workers: ${describeFigures(twoWorkers)}`);
	});

	it('Post and Wait started on one worker resumes on the other with the task id', async () => {
		// Long enough for the execution to be stored as waiting before the farm calls back.
		farm.config.callbackDelayMs = 3_000;
		const outcomes: Array<{ ref: string; runs: Array<{ worker: string }>; crossed: boolean }> = [];
		// n8n enqueues the resume as a new job that any worker may take: try a few batches of four.
		for (let batch = 0; batch < 4 && !outcomes.some((o) => o.crossed); batch++) {
			farm.reset();
			const refs = [0, 1, 2, 3].map((n) => `wait-${major}-${batch}-${n}`);
			expect(await Promise.all(refs.map((ref) => post(`${cluster.baseUrl}/webhook/${WAIT_HOOK}`, { ref })))).toEqual([200, 200, 200, 200]);
			const records = await farm.waitForRecords(refs.length, 120_000);
			expect(farm.state.callbacks.map((c) => c.status)).toEqual([200, 200, 200, 200]);
			for (const ref of refs) {
				const sent = farm.state.posts.find((p) => String(p.body.webhook_url).includes(`post_ref=${ref}`));
				const record = records.find((r) => r.body.post_ref === ref);
				expect(sent).toBeDefined();
				expect(new URL(String(sent!.body.webhook_url)).pathname).toMatch(/^\/webhook-waiting\//);
				expect(record?.body).toMatchObject({ event: 'post.published', status: 'published', published: true, post_ref: ref, task_id: sent!.task_id });
				const runs = cluster.workerRuns(record!.body.execution_id);
				expect(runs).toHaveLength(2);
				outcomes.push({ ref, runs, crossed: runs[0].worker !== runs[1].worker });
			}
		}
		const executions = await cluster.waitForExecutions(WAIT_WF, outcomes.length, { timeoutMs: 60_000 });
		expect(executions.map((e: { status: string }) => e.status)).toEqual(Array(outcomes.length).fill('success'));
		report(
			`Post and Wait: ${outcomes.filter((o) => o.crossed).length} of ${outcomes.length} resumed on the other worker; ` +
				outcomes.map((o) => `${o.ref}: ${o.runs.map((r) => r.worker).join(' -> ')}`).join(', '),
		);
		expect(outcomes.some((o) => o.crossed)).toBe(true);
	});

	type Round = { sent: number; perWorker: Record<string, number>; overlapped: boolean; refusals: string[]; otherErrors: string[] };

	/**
	 * Five overlapping calls of the guard workflow, each posting `mediaOf(round)[call]` to the round's
	 * fresh profile, repeated until a round spreads over both workers (Bull hands each job to
	 * whichever worker asks first). Returns what each round sent and why the rest stopped.
	 */
	async function fiveOverlappingPosts(profiles: typeof ROUND_PROFILES, mediaOf: (round: number) => string[]): Promise<Round[]> {
		const rounds: Round[] = [];
		for (const [round, profile] of profiles.entries()) {
			farm.reset();
			const media = mediaOf(round);
			const before = new Set((await cluster.executions(GUARD_WF)).map((e: { id: string }) => e.id));
			const calls = media.map((url) => post(`${cluster.baseUrl}/webhook/${GUARD_HOOK}`, { profile: profile.profile_id, media: url }));
			expect(await Promise.all(calls)).toEqual(Array(5).fill(200));
			const mine = (await cluster.waitForExecutions(GUARD_WF, before.size + 5, { timeoutMs: 120_000 })).filter((e: { id: string }) => !before.has(e.id));
			const perWorker: Record<string, number> = {};
			for (const execution of mine) for (const run of cluster.workerRuns(execution.id)) perWorker[run.worker] = (perWorker[run.worker] ?? 0) + 1;
			const refusals: string[] = [];
			const otherErrors: string[] = [];
			for (const execution of mine.filter((e: { status: string }) => e.status !== 'success')) {
				const error = await cluster.executionError(execution.id);
				const text = `${error?.message ?? ''} ${error?.description ?? ''}`;
				(GUARD_REFUSAL.test(text) ? refusals : otherErrors).push((error?.message ?? text).trim().slice(0, 200));
			}
			rounds.push({
				sent: farm.state.posts.filter((p) => p.body.profile_id === profile.profile_id).length,
				perWorker,
				// All five were running at one moment: every one started before any one ended.
				overlapped: Math.max(...mine.map((e: { startedAt: number }) => e.startedAt)) < Math.min(...mine.map((e: { stoppedAt: number }) => e.stoppedAt)),
				refusals,
				otherErrors,
			});
			if (Object.keys(perWorker).length > 1) break;
		}
		return rounds;
	}

	const describeGuardRounds = (rounds: Round[]) =>
		rounds
			.map((r) => `${r.sent} sent (executions per worker ${JSON.stringify(r.perWorker)}, all five in flight at once: ${r.overlapped}, ${r.refusals.length} refused by a guard${r.refusals[0] ? `: "${r.refusals[0]}"` : ''})`)
			.join('; ');

	it('five overlapping identical posts spread over both workers: at most MAX_SENT_OF_FIVE_IDENTICAL go out', async () => {
		const rounds = await fiveOverlappingPosts(ROUND_PROFILES, (round) => Array(5).fill(farm.serveMedia(`guard-${major}-${round}.mp4`, { body: makeMp4(20), contentType: 'video/mp4' })));
		report(`guards: five identical overlapping posts → ${describeGuardRounds(rounds)}; bound ${MAX_SENT_OF_FIVE_IDENTICAL}`);
		expect(rounds.some((r) => Object.keys(r.perWorker).length > 1)).toBe(true);
		for (const r of rounds) {
			// Every execution either posted or was refused by a guard: nothing else stopped them.
			expect(r.otherErrors).toEqual([]);
			expect(r.sent + r.refusals.length).toBe(5);
			expect(r.sent).toBeGreaterThanOrEqual(1);
			expect(r.sent).toBeLessThanOrEqual(MAX_SENT_OF_FIVE_IDENTICAL);
		}
	});

	it('five overlapping posts of different media to one profile, over both workers: the daily limit (2) holds across them', async () => {
		const rounds = await fiveOverlappingPosts(CADENCE_PROFILES, (round) =>
			Array.from({ length: 5 }, (_, call) => farm.serveMedia(`cadence-${major}-${round}-${call}.mp4`, { body: makeMp4(20), contentType: 'video/mp4' })),
		);
		report(`cadence: five overlapping posts of different media to one profile at 2 a day → ${describeGuardRounds(rounds)}`);
		expect(rounds.some((r) => Object.keys(r.perWorker).length > 1)).toBe(true);
		for (const r of rounds) {
			expect(r.otherErrors).toEqual([]);
			expect(r.sent + r.refusals.length).toBe(5);
			expect(r.sent).toBeGreaterThanOrEqual(1);
			// Each worker alone lets 2 through: without the chain, 4 could go out.
			expect(r.sent).toBeLessThanOrEqual(2);
		}
	});

	/**
	 * Two batches of FLEET_ITEMS started at once on one fresh pool, through `hooks` (one workflow
	 * twice, or two workflows), repeated with a fresh pool until the two executions ran on different
	 * workers at the same time. Returns what each execution did and what the farm received.
	 */
	async function overlappingBatches(hooks: [string, string], workflows: [string, string]) {
		const rounds = [];
		for (let round = 0; round < 4; round++) {
			farm.reset();
			const pools = hooks[0] === hooks[1] ? FLEET_POOLS.slice(0, 4) : FLEET_POOLS.slice(4);
			const pool = pools[round].map((p) => p.profile_id);
			const before = new Map<string, Set<string>>();
			for (const id of new Set(workflows)) before.set(id, new Set((await cluster.executions(id)).map((e: { id: string }) => e.id)));
			const calls = hooks.map((hook, call) =>
				post(`${cluster.baseUrl}/webhook/${hook}`, {
					items: Array.from({ length: FLEET_ITEMS }, (_, n) => ({ run: `fleet-${major}-${round}-${call}-${workflows[call]}`, n, pool: pool.join(',') })),
				}),
			);
			expect(await Promise.all(calls)).toEqual([200, 200]);
			const executions: Array<{ id: string; startedAt: number; stoppedAt: number; status: string }> = [];
			for (const id of new Set(workflows)) {
				const all = await cluster.waitForExecutions(id, before.get(id)!.size + workflows.filter((w) => w === id).length, { timeoutMs: 180_000 });
				executions.push(...all.filter((e: { id: string }) => !before.get(id)!.has(e.id)));
			}
			const runs = [];
			for (const execution of executions) {
				const data = await cluster.executionData(execution.id);
				const items: Array<{ json: Record<string, unknown> }> = data?.resultData?.runData?.['Farm Profile']?.[0]?.data?.main?.[0] ?? [];
				runs.push({
					worker: cluster.workerRuns(execution.id).map((r: { worker: string }) => r.worker).join('+'),
					status: execution.status,
					posted: items.filter((i) => typeof i.json.task_id === 'string').length,
					contended: items.filter((i) => CONTENDED.test(String(i.json.error ?? ''))).length,
					otherErrors: items.filter((i) => i.json.error !== undefined && !CONTENDED.test(String(i.json.error))).map((i) => String(i.json.error)),
					leftOut: new Set(items.flatMap((i) => ((i.json.notes as string[]) ?? []).filter((note) => note.includes('was left out')))).size,
				});
			}
			const overlapped = Math.max(...executions.map((e) => e.startedAt)) < Math.min(...executions.map((e) => e.stoppedAt));
			rounds.push({ runs, overlapped, posts: farm.state.posts.filter((p) => pool.includes(String(p.body.profile_id))) });
			if (overlapped && new Set(runs.map((r) => r.worker)).size > 1) break;
		}
		return rounds;
	}

	/** The pool's posts against the rules: profiles over the limit, the most in any 24 h, gaps too short. */
	function cadenceSummary(posts: Array<{ body: Record<string, unknown> }>) {
		const breaks = cadenceBreaks(posts, FLEET_RULES);
		const over = new Set(breaks.filter((b) => b.includes('in 24 h')).map((b) => b.split(':')[0]));
		const most = Math.max(FLEET_RULES.max, ...breaks.filter((b) => b.includes('in 24 h')).map((b) => Number(/: (\d+) in 24 h/.exec(b)![1])));
		const gaps = breaks.filter((b) => b.includes('apart')).length;
		return `${over.size} of 5 profiles over ${FLEET_RULES.max} a day (most in 24 h: ${most}), ${gaps} gaps under ${FLEET_RULES.gapMs / 60_000} min`;
	}

	const describeRounds = (rounds: Awaited<ReturnType<typeof overlappingBatches>>) =>
		rounds
			.map(
				(r) =>
					`[${r.runs.map((run) => `${run.worker}: ${run.posted} posted, ${run.contended} refused (pool taken), ${run.leftOut} profiles left out`).join('; ')}; ` +
					`overlapped: ${r.overlapped}; ${r.posts.length} posts: ${cadenceSummary(r.posts)}]`,
			)
			.join(' ');

	it('Post Across Profiles: two overlapping batches of one workflow on one pool, on both workers: no profile over 2 a day, no gap under 120 min', async () => {
		const rounds = await overlappingBatches([FLEET_HOOK, FLEET_HOOK], [FLEET_WF, FLEET_WF]);
		report(`Post Across Profiles, one workflow, two overlapping batches of ${FLEET_ITEMS}: ${describeRounds(rounds)}`);
		expect(rounds.some((r) => r.overlapped && new Set(r.runs.map((run) => run.worker)).size > 1)).toBe(true);
		for (const round of rounds) {
			expect(cadenceBreaks(round.posts, FLEET_RULES)).toEqual([]);
			// Every item either went out or was refused because the other run had the whole pool.
			for (const run of round.runs) expect(run.otherErrors).toEqual([]);
			expect(round.runs.reduce((sum, run) => sum + run.posted + run.contended, 0)).toBe(2 * FLEET_ITEMS);
			expect(round.posts).toHaveLength(round.runs.reduce((sum, run) => sum + run.posted, 0));
		}
	});

	it('Post Across Profiles: two different workflows on one pool hold nothing across workers (measured); both post every item', async () => {
		const rounds = await overlappingBatches([FLEET_HOOK, TWIN_HOOK], [FLEET_WF, TWIN_WF]);
		report(`Post Across Profiles, two workflows, two overlapping batches of ${FLEET_ITEMS}: ${describeRounds(rounds)}`);
		for (const round of rounds) {
			// Each workflow claims in its own list: neither leaves a profile out for the other.
			expect(round.runs.map((run) => [run.posted, run.contended, run.otherErrors])).toEqual([
				[FLEET_ITEMS, 0, []],
				[FLEET_ITEMS, 0, []],
			]);
		}
	});

	it('with one worker, no request is answered 429 (one pacer keeps the window); the 429 shares with two workers and one are reported', async () => {
		// Worker 2 stops (finishing what it runs); every execution now goes to worker 1.
		await cluster.stopWorker('worker2');
		const oneWorker = await hundredPosts('one-worker');
		report(`100 posts, one worker: ${describeFigures(oneWorker)}`);
		// Two workers each keep the limit alone, so together they can exceed it: that share is a measurement, not a promise.
		if (twoWorkers) {
			report(
				`429 share: two workers ${(twoWorkers.share429 * 100).toFixed(1)} % (${twoWorkers.answered429}/${twoWorkers.requests}), ` +
					`one worker ${(oneWorker.share429 * 100).toFixed(1)} % (${oneWorker.answered429}/${oneWorker.requests})`,
			);
		}
		expect(Object.keys(oneWorker.executionsPerWorker).filter((w) => oneWorker.executionsPerWorker[w] > 0)).toEqual(['worker1']);
		expect(oneWorker.answered429).toBe(0);
	});
}

jest.setTimeout(20 * 60_000);

describe('queue mode: n8n 1.x (1.123.81), main + two workers, Redis, Postgres', () => queueModeSuite(1));
describe('queue mode: n8n 2.x (2.41.1), main + two workers, Redis, Postgres', () => queueModeSuite(2));
