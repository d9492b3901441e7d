'use strict';
// `npm run bench`: posting at the team's rate limit, measured in real n8n 2.x against the sandbox,
// beside n8n's own HTTP Request and Webhook nodes in the same run, uploading a 100 MB video
// beside n8n's own S3 node (part 5), planning a batch across a pool of profiles (part 6, no n8n
// needed), and sending such a planned batch at the team limit (part 7). Not a test: it prints a
// summary and writes bench/results.json.
//
// The sandbox's window is shortened to 30 requests per 6 s (the per-minute limit ten times faster)
// and the Farm Profile node's Rate Limit Window set to match (6 s), so the run takes minutes
// (BENCH_WINDOW_SECONDS sets another window, e.g. 60 for the real limit).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, execSync } = require('node:child_process');

const { createFarmSandbox, DEFAULT_PROFILES } = require('../dev/sandbox/farmSandbox');
const { makeMp4 } = require('../dev/sandbox/media');
const { startS3Server } = require('../dev/s3Server');
const { N8nInstance, packPackage } = require('../dev/n8nInstance');
const wf = require('../dev/workflows');

const ROOT = path.join(__dirname, '..');
// BENCH_PARTS=3 runs only the callback part, e.g.; the default runs all seven.
const ALL_PARTS = '1234567';
const PARTS = (process.env.BENCH_PARTS ?? ALL_PARTS).split('');
const API_KEY = 'sk-bench-1f2e3d4c';
const READY = '5b0c8a4e-2f61-4c3a-9d0e-7a1b2c3d4e5f';
// The team's 30 requests per minute, ten times faster by default; BENCH_WINDOW_SECONDS=60 is the real limit.
const WINDOW = { limit: 30, windowMs: Number(process.env.BENCH_WINDOW_SECONDS ?? 6) * 1000 };
const PACE = { requestsPerMinute: WINDOW.limit, rateLimitWindow: WINDOW.windowMs / 1000 };
const SPACING_MS = Math.ceil((WINDOW.windowMs / WINDOW.limit) * 1.02); // what even spacing waits, for the batched HTTP Request
/** The least time `count` posts can take under the window: the last batch goes once the ones before have left it. */
const ceilingMs = (count) => (Math.ceil(count / WINDOW.limit) - 1) * WINDOW.windowMs;
/** Part 7's batch and pool: 50 ready profiles of the rate-limited sandbox, beside its usual ones. */
const FLEET_POSTS = 100;
const FLEET = Array.from({ length: 50 }, (_, i) => {
	const n = String(i + 1).padStart(2, '0');
	return { profile_id: `f1ee7000-0000-4000-8000-0000000000${n}`, profile_name: `Fleet ${n}`, phone_id: `phone-fleet-${n}`, status: 'ready', tiktok_username: `fleet.${n}` };
});

function log(line) {
	process.stdout.write(`[bench] ${line}\n`);
}

const postFields = {
	profileId: READY,
	mediaType: 'video',
	mediaUrl: '={{ "https://cdn.example.com/bench/clip-" + $json.n + ".mp4" }}',
	soundId: '7216519837462889218',
	title: '={{ "Clip " + $json.n }}',
	webhookUrl: 'https://n8n.example.com/webhook/bench/webhook',
	isLive: true,
};

/** n8n's HTTP Request node sending the same body, as a user would wire it by hand. */
function httpRequestWorkflow(id, count, baseUrl, options = {}, nodeSettings = {}) {
	const base = wf.batchPostWorkflow(id, count, {}, wf.CREDENTIAL_ID);
	// Named like our node so both workflows are measured the same way.
	const http = wf.node(
		'Farm Profile',
		'n8n-nodes-base.httpRequest',
		4.2,
		240,
		{
			method: 'POST',
			url: `${baseUrl}/v1/posts`,
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'X-API-Key', value: API_KEY }] },
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={{ JSON.stringify({ profile_id: "${READY}", media_type: "video", media_url: "https://cdn.example.com/bench/clip-" + $json.n + ".mp4", sound_id: "7216519837462889218", title: "Clip " + $json.n, webhook_url: "https://n8n.example.com/webhook/bench/webhook", is_live: true }) }}`,
			options,
		},
		nodeSettings,
	);
	base.nodes = base.nodes.map((node) => (node.name === 'Farm Profile' ? http : node));
	return base;
}

// The cadence guard (2 posts per profile per day) and the media preflight would rightly stop 100
// posts of unreachable media to one profile; they are off here, as this measures sending.
function ourWorkflow(id, count, credentialId, pace) {
	const options = { ...pace, maxPostsPerDay: 0, duplicateWindowHours: 0, preflight: false };
	return wf.batchPostWorkflow(id, count, { ...postFields, options }, credentialId);
}

/** Runs a workflow with `n8n execute`; reports wall time, the node's own time, output and failures. */
async function measure(n8n, farm, workflowId) {
	farm.reset();
	const started = Date.now();
	// A run lasts about four windows (minutes at the real limit) besides n8n's start.
	const result = await n8n.execute(workflowId, { measureMemory: true, timeoutMs: 180_000 + 8 * WINDOW.windowMs });
	const wallMs = Date.now() - started;
	const task = result.data?.data?.resultData?.runData?.['Farm Profile']?.[0];
	const output = task?.data?.main?.[0] ?? [];
	const urls = farm.state.posts.map((post) => post.body.media_url);
	return {
		ok: result.ok,
		wallMs,
		nodeMs: task?.executionTime ?? null,
		outputItems: output.length,
		failedItems: output.filter((item) => item.json.error).length,
		posted: urls.length,
		duplicates: urls.length - new Set(urls).size,
		requests: farm.state.requests,
		maxRssMb: result.maxRssKb === null ? null : Math.round(result.maxRssKb / 1024),
		error: result.ok ? null : (result.stdout + result.stderr).match(/(NodeApiError|Error): ([^\n]+)/)?.[2] ?? 'failed',
	};
}

/** POSTs `count` calls at `concurrency` to a URL and returns calls per second. */
async function fire(url, body, count, concurrency) {
	let sent = 0;
	let failed = 0;
	const started = process.hrtime.bigint();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (sent < count) {
				sent++;
				const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
				await response.arrayBuffer();
				if (response.status !== 200) failed++;
			}
		}),
	);
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	return { calls: count, failed, seconds, perSecond: count / seconds };
}

async function main() {
	execSync('npm run build --silent', { cwd: ROOT, stdio: 'inherit' });
	const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`;
	// Part 6 times a pure function in this process: it runs first, and alone needs no n8n.
	const planning = PARTS.includes('6') ? planningPart() : undefined;
	if (PARTS.every((part) => part === '6')) return finish({ date: new Date().toISOString(), machine, planning });
	const tarball = packPackage(path.join(os.tmpdir(), `farm-bench-pack-${process.pid}`));
	const limited = await createFarmSandbox({ apiKeys: [API_KEY], rateLimit: WINDOW, callbackDelayMs: 3_600_000, profiles: [...DEFAULT_PROFILES, ...FLEET] }).start();
	const open = await createFarmSandbox({ apiKeys: [API_KEY], rateLimit: { limit: 0 }, callbackDelayMs: 3_600_000 }).start();
	let n8n = await N8nInstance.create({ major: 2, tarball });
	for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));
	const results = { date: new Date().toISOString(), machine, n8n: n8n.host.version, node: n8n.host.nodeVersion, window: WINDOW, planning };
	try {
		await n8n.importCredentials([
			wf.credential({ baseUrl: limited.url, apiKey: API_KEY }),
			wf.credential({ baseUrl: open.url, apiKey: API_KEY, id: 'benchOpenFarmCrd' }),
		]);
		await n8n.importWorkflows([
			ourWorkflow('benchOurs100Item', 100, wf.CREDENTIAL_ID, PACE),
			...[10, 40, 100].flatMap((count) => [
				ourWorkflow(`benchWindow${String(count).padStart(4, '0')}`, count, wf.CREDENTIAL_ID, { ...PACE, pacing: 'window' }),
				ourWorkflow(`benchEvenly${String(count).padStart(4, '0')}`, count, wf.CREDENTIAL_ID, { ...PACE, pacing: 'even' }),
			]),
			httpRequestWorkflow('benchHttpDef100I', 100, limited.url),
			httpRequestWorkflow('benchHttpRetry1I', 100, limited.url, {}, { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 }),
			httpRequestWorkflow('benchHttpBatch1I', 100, limited.url, { batching: { batch: { batchSize: 1, batchInterval: SPACING_MS } } }),
			ourWorkflow('benchOurs1000Itm', 1000, 'benchOpenFarmCrd', { requestsPerMinute: 0 }),
			fleetWorkflow('benchFleet100Itm', FLEET_POSTS),
			fleetWorkflow('benchFleetNoDup1', FLEET_POSTS, { duplicateWindowHours: 0 }),
			httpRequestWorkflow('benchHttp1000Itm', 1000, open.url),
		]);

		if (PARTS.includes('1')) {
		log(`1. 100 posts against ${WINDOW.limit} requests per ${WINDOW.windowMs / 1000} s`);
		results.limited = {
			ceilingMs: ceilingMs(100),
			ours: await measure(n8n, limited, 'benchOurs100Item'),
			httpRequestDefault: await measure(n8n, limited, 'benchHttpDef100I'),
			httpRequestRetryOnFail: await measure(n8n, limited, 'benchHttpRetry1I'),
			httpRequestBatched: await measure(n8n, limited, 'benchHttpBatch1I'),
		};
		log(JSON.stringify(results.limited, null, 1));
		}

		if (PARTS.includes('4')) {
		log('4. keeping the limit per window against even spacing: 10, 40 and 100 posts');
		results.pacing = [];
		for (const count of [10, 40, 100]) {
			const id = (mode) => `bench${mode}${String(count).padStart(4, '0')}`;
			// Let the previous run's requests leave the window first, so each starts with the full budget.
			await new Promise((resolve) => setTimeout(resolve, WINDOW.windowMs * 1.1));
			const window = await measure(n8n, limited, id('Window'));
			await new Promise((resolve) => setTimeout(resolve, WINDOW.windowMs * 1.1));
			const even = await measure(n8n, limited, id('Evenly'));
			results.pacing.push({ count, ceilingMs: ceilingMs(count), window, even });
		}
		log(JSON.stringify(results.pacing, null, 1));
		}

		if (PARTS.includes('7')) {
			log(`7. Post Across Profiles: 100 planned posts over 50 profiles against ${WINDOW.limit} requests per ${WINDOW.windowMs / 1000} s`);
			const fleetRun = async (workflowId) => {
				// As in part 4: the window empties of earlier requests first.
				await new Promise((resolve) => setTimeout(resolve, WINDOW.windowMs * 1.1));
				return fleetSending(await measure(n8n, limited, workflowId), limited);
			};
			results.fleetSending = { defaults: await fleetRun('benchFleet100Itm'), duplicateWindowOff: await fleetRun('benchFleetNoDup1') };
			log(JSON.stringify(results.fleetSending, null, 1));
		}

		if (PARTS.includes('2')) {
		log('2. 1,000 posts, no limit, pacing off');
		const ours = await measure(n8n, open, 'benchOurs1000Itm');
		const http = await measure(n8n, open, 'benchHttp1000Itm');
		results.unlimited = {
			ours,
			httpRequest: http,
			perItemRatio: ours.nodeMs / http.nodeMs,
			peakMemoryRatio: ours.maxRssMb && http.maxRssMb ? ours.maxRssMb / http.maxRssMb : null,
		};
		log(JSON.stringify(results.unlimited, null, 1));
		}

		if (PARTS.includes('5')) {
			log('5. a 100 MB video uploaded by the Farm Profile node (Binary File) and by n8n\'s S3 node, memory and filesystem binary modes');
			results.binaryUpload = await binaryUploadPart(tarball, open);
			log(JSON.stringify(results.binaryUpload, null, 1));
		}

		if (PARTS.includes('3')) {
		log('3. callbacks per second: Farm Profile Trigger against n8n\'s Webhook node');
		// A fresh n8n: the one above holds thousands of stored executions.
		await n8n.dispose();
		n8n = await N8nInstance.create({ major: 2, tarball, log: (line) => process.env.BENCH_VERBOSE && log(`n8n: ${line}`) });
		await n8n.importWorkflows([
			wf.triggerWorkflow('benchTriggerFlow', 'bench-trigger-hook', { recordUrl: `${open.url}/_sandbox/records` }),
			plainWebhookWorkflow('benchWebhookFlow', 'bench-plain-hook', `${open.url}/_sandbox/records`),
		]);
		await n8n.activate('benchTriggerFlow');
		await n8n.activate('benchWebhookFlow');
		await n8n.start();
		const triggerUrl = n8n.webhookUrl('bench-trigger-hook');
		const webhookUrl = `${n8n.baseUrl}/webhook/bench-plain-hook`;
		await n8n.waitForWebhook(triggerUrl);
		await n8n.waitForWebhook(webhookUrl);
		const payload = { event: 'post.published', phone_id: 'phone-ready-1', post_url: 'https://www.tiktok.com/@rita.ready/video/1' };
		await fire(triggerUrl, payload, 30, 4); // warm-up, both
		await fire(webhookUrl, payload, 30, 4);
		// Interleaved rounds, so neither side gets the warmer process or the quieter moment.
		const rounds = { trigger: [], webhook: [] };
		for (let round = 0; round < 4; round++) {
			rounds.trigger.push(await fire(triggerUrl, payload, 100, 8));
			rounds.webhook.push(await fire(webhookUrl, payload, 100, 8));
		}
		const total = (list) => {
			const calls = list.reduce((sum, r) => sum + r.calls, 0);
			const seconds = list.reduce((sum, r) => sum + r.seconds, 0);
			return { calls, failed: list.reduce((sum, r) => sum + r.failed, 0), seconds, perSecond: calls / seconds };
		};
		const trigger = total(rounds.trigger);
		const webhook = total(rounds.webhook);
		results.callbacks = { trigger, webhook, ratio: trigger.perSecond / webhook.perSecond };
		log(JSON.stringify(results.callbacks, null, 1));
		}
	} finally {
		await n8n.dispose();
		await limited.stop();
		await open.stop();
	}
	finish(results);
}

function finish(results) {
	const file = path.join(__dirname, PARTS.join('') === ALL_PARTS ? 'results.json' : `results.parts-${PARTS.join('')}.tmp.json`);
	fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
	log(`written to ${path.relative(ROOT, file)}`);
	summarise(results);
}

// Part 6: the planner of Post Across Profiles (issue #18) on 1,000 posts over 200 profiles whose
// last 24 h are full (2 posts each at 2 per day), 120 min apart, 09:00–21:00 Europe/Berlin, a
// 6-day horizon. Beside it, in the same rounds, the same 1,000 placements by the cadence guard's
// nextFreeSlot going round the pool: what a Code node written by hand does, choosing no profile
// and knowing no Posting Hours. Its first call in this process is reported apart (JIT, time zone data).
const PLANNING_ROUNDS = Number(process.env.BENCH_PLANNING_ROUNDS ?? 50);

function planningPart() {
	log('6. planning 1,000 posts over 200 profiles with a full history');
	const { planBatch } = require('../dist/nodes/FarmProfile/planning/planner');
	const { nextFreeSlot } = require('../dist/nodes/FarmProfile/posting/cadenceGuard');
	const now = Date.parse('2026-12-01T10:00:00Z');
	const hour = 3_600_000;
	const rules = { maxPostsPerDay: 2, minGapMinutes: 120, postingHours: { from: '09:00', to: '21:00' }, timezone: 'Europe/Berlin', randomOffsetMinutes: 0, sameMedia: 'refuse', duplicateWindowHours: 48 };
	const window = { earliest: now, latest: now + 6 * 24 * hour };
	const pool = Array.from({ length: 200 }, (_, i) => `profile-${i}`);
	const history = Object.fromEntries(
		pool.map((id, i) => {
			const first = now - 23 * hour + (i % 100) * 6 * 60_000;
			return [id, [{ slot: first, media: `old-${i}-a` }, { slot: first + 3 * hour, media: `old-${i}-b` }]];
		}),
	);
	const posts = Array.from({ length: 1000 }, (_, i) => ({ ref: `bench-post-${i}`, media: `https://cdn.example.com/bench/${i}.mp4` }));
	const plan = () => planBatch(posts, pool, history, rules, window);
	const roundRobin = () => {
		const slots = Object.fromEntries(pool.map((id) => [id, history[id].map((record) => record.slot)]));
		return posts.map((_, i) => {
			const id = pool[i % pool.length];
			const slot = nextFreeSlot(slots[id], now, rules.maxPostsPerDay, rules.minGapMinutes * 60_000);
			slots[id].push(slot);
			return { profileId: id, slot };
		});
	};
	const timed = (fn) => {
		const started = process.hrtime.bigint();
		const out = fn();
		return { ms: Number(process.hrtime.bigint() - started) / 1e6, out };
	};
	const first = timed(plan);
	const times = { planner: [], baseline: [] };
	for (let round = 0; round < PLANNING_ROUNDS; round++) {
		times.planner.push(timed(plan).ms);
		times.baseline.push(timed(roundRobin).ms);
	}
	const stats = (list) => {
		const sorted = [...list].sort((a, b) => a - b);
		return { medianMs: sorted[Math.floor(sorted.length / 2)], minMs: sorted[0], maxMs: sorted[sorted.length - 1] };
	};
	const placed = first.out.filter((placement) => placement.ok);
	const localHour = new Intl.DateTimeFormat('en-GB', { timeZone: rules.timezone, hour: '2-digit', hourCycle: 'h23' });
	const outsideHours = (plan) => plan.filter(({ slot }) => Number(localHour.format(slot)) < 9 || Number(localHour.format(slot)) >= 21).length;
	const part = {
		profiles: pool.length,
		posts: posts.length,
		rules,
		rounds: PLANNING_ROUNDS,
		node: process.version,
		firstCallMs: first.ms,
		planner: stats(times.planner),
		baseline: { ...stats(times.baseline), outsidePostingHours: outsideHours(roundRobin()) },
		placed: placed.length,
		outsidePostingHours: outsideHours(placed),
		lastSlot: new Date(Math.max(...placed.map((placement) => placement.slot))).toISOString(),
	};
	part.ratio = part.planner.medianMs / part.baseline.medianMs;
	log(JSON.stringify(part, null, 1));
	return part;
}

// Part 7: Post Across Profiles (issue #18) posting 100 items over a pool of 50 profiles at 2 a day
// (the planner's defaults otherwise), paced like part 1. Measured at the farm: from the first post
// it received to the last, against the ceiling of 100 requests under the window. Guards and the
// planner work as in production; only the media preflight is off (the media URLs are not served).
// Run twice: with the defaults, and with Duplicate Window 0, which leaves out the duplicate guard's
// claim across processes (crossProcessClaim.ts: one settle wait per post, in series).
function fleetWorkflow(id, count, extraOptions = {}) {
	const pool = FLEET.map((profile) => profile.profile_id).join('\n');
	const fields = { ...postFields, operation: 'postAcrossProfiles', profileIds: pool };
	delete fields.profileId; // the planner chooses it
	const options = { ...PACE, postRef: '={{ "bench-fleet-" + $json.n }}', preflight: false, ...extraOptions };
	return wf.batchPostWorkflow(id, count, { ...fields, options }, wf.CREDENTIAL_ID);
}

function fleetSending(run, farm) {
	const received = farm.state.posts.map((post) => Date.parse(post.received_at));
	const perProfile = new Map();
	for (const post of farm.state.posts) perProfile.set(post.body.profile_id, (perProfile.get(post.body.profile_id) ?? 0) + 1);
	const spanMs = received.length ? Math.max(...received) - Math.min(...received) : null;
	const ceiling = ceilingMs(FLEET_POSTS);
	return {
		profiles: FLEET.length,
		posts: FLEET_POSTS,
		ceilingMs: ceiling,
		firstToLastMs: spanMs,
		ratio: spanMs === null ? null : spanMs / ceiling,
		refused429: run.requests - run.posted - farm.state.rejected.length,
		profilesUsed: perProfile.size,
		mostPerProfile: Math.max(0, ...perProfile.values()),
		scheduled: farm.state.posts.filter((post) => Number.isInteger(post.body.execute_at)).length,
		run,
	};
}

// Part 5: the same 100 MB MP4, downloaded by an HTTP Request node (File) and uploaded to the same
// test S3 server, by our node (Media Source Binary File, then the post) and by n8n's S3 node.
const VIDEO_BYTES = 100 * 2 ** 20;
const S3_BUCKET = 'bench-media';
const STORAGE_CREDENTIAL_ID = 'benchStorageCrd1';
const N8N_S3_CREDENTIAL_ID = 'benchN8nS3Cred01';
/** n8n's binary data modes: memory is `default`; n8n 2.x uses filesystem when the variable is unset. */
const BINARY_MODES = (process.env.BENCH_BINARY_MODES ?? 'default,filesystem').split(',');
const UPLOAD_ROUNDS = Number(process.env.BENCH_UPLOAD_ROUNDS ?? 3);

function uploadWorkflow(id, videoUrl, upload) {
	const start = wf.node('Start', 'n8n-nodes-base.manualTrigger', 1, 0, {});
	const download = wf.node('Download', 'n8n-nodes-base.httpRequest', 4.2, 120, {
		url: videoUrl,
		options: { response: { response: { responseFormat: 'file', outputPropertyName: 'data' } } },
	});
	return {
		id,
		name: `Upload ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
		nodes: [start, download, upload],
		connections: {
			Start: { main: [[{ node: 'Download', type: 'main', index: 0 }]] },
			Download: { main: [[{ node: 'Upload', type: 'main', index: 0 }]] },
		},
	};
}

/** Our node: check, upload, post the link; guards and preflight off. Named "Upload" like the S3 node. */
function ourUploadNode() {
	return wf.node(
		'Upload',
		'n8n-nodes-farm-profile.farmProfile',
		1,
		240,
		{
			operation: 'post',
			profileId: READY,
			mediaType: 'video',
			mediaSource: 'binaryFile',
			binaryProperty: 'data',
			soundId: '7216519837462889218',
			title: 'Bench upload',
			webhookUrl: 'https://n8n.example.com/webhook/bench/webhook',
			isLive: true,
			additionalFields: {},
			// A key of its own per run: the same bytes under the same key would be recognised as uploaded.
			options: { postRef: '={{ "bench-" + $now.toMillis() }}', maxPostsPerDay: 0, duplicateWindowHours: 0, preflight: false, requestsPerMinute: 0 },
		},
		{
			credentials: {
				farmProfileApi: { id: 'benchOpenFarmCrd', name: 'Farm Profile API (sandbox)' },
				farmProfileStorageApi: { id: STORAGE_CREDENTIAL_ID, name: 'Bench storage' },
			},
		},
	);
}

/** n8n's S3 node uploading the same binary to the same bucket. */
function n8nS3UploadNode() {
	return wf.node(
		'Upload',
		'n8n-nodes-base.s3',
		1,
		240,
		{
			resource: 'file',
			operation: 'upload',
			bucketName: S3_BUCKET,
			fileName: '={{ "s3node/bench-" + $now.toMillis() + ".mp4" }}',
			binaryData: true,
			binaryPropertyName: 'data',
			tagsUi: {},
			additionalFields: {},
		},
		{ credentials: { s3: { id: N8N_S3_CREDENTIAL_ID, name: 'Bench S3 (n8n)' } } },
	);
}

/** One `n8n execute` of an upload workflow: the upload node's own time, the process's peak memory. */
async function measureUpload(n8n, s3, workflowId) {
	const before = s3.requests.length;
	const result = await n8n.execute(workflowId, { measureMemory: true });
	const runData = result.data?.data?.resultData?.runData ?? {};
	let task = runData.Upload?.[0];
	let download = runData.Download?.[0];
	let timesFrom = 'stdout';
	if (!task) {
		// In memory mode the printed run data holds the video in base64 and reaches us cut short;
		// the execution n8n stored has the same timings.
		const stored = storedNodeTimes(n8n, workflowId);
		task = stored.Upload;
		download = stored.Download;
		timesFrom = 'database';
	}
	const stored = s3.requests.slice(before).filter((r) => r.method === 'PUT' && r.outcome === 'Stored');
	return {
		ok: result.ok,
		uploadMs: task?.executionTime ?? null,
		downloadMs: download?.executionTime ?? null,
		timesFrom,
		maxRssMb: result.maxRssKb === null ? null : Math.round(result.maxRssKb / 1024),
		storedBytes: stored.reduce((sum, r) => sum + r.bodyBytes, 0),
		signedPuts: stored.filter((r) => r.auth === 'header').length,
		error: result.ok ? null : (task?.error?.message ?? (result.stdout + result.stderr).match(/(NodeApiError|NodeOperationError|Error): ([^\n]+)/)?.[2] ?? 'failed'),
	};
}

/**
 * The nodes' executionTime (and error) of the workflow's latest stored execution, read from n8n's
 * SQLite database with n8n's own Node (node:sqlite) and its `flatted` (the stored format).
 */
function storedNodeTimes(n8n, workflowId) {
	const database = path.join(n8n.userFolder, '.n8n', 'database.sqlite');
	const flatted = require.resolve('flatted', { paths: [path.dirname(n8n.host.n8nBin)] });
	const script = `
		const { DatabaseSync } = require('node:sqlite');
		const { parse } = require(process.argv[3]);
		const db = new DatabaseSync(process.argv[1], { readOnly: true });
		const row = db.prepare('SELECT d.data AS data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ? ORDER BY e.id DESC LIMIT 1').get(process.argv[2]);
		const runData = row ? parse(row.data).resultData.runData : {};
		const out = {};
		for (const [name, tasks] of Object.entries(runData)) out[name] = { executionTime: tasks[0].executionTime, error: tasks[0].error ? { message: tasks[0].error.message } : undefined };
		process.stdout.write(JSON.stringify(out));`;
	try {
		const output = execFileSync(n8n.host.nodeBin, ['--no-warnings', '-e', script, database, workflowId, flatted], { maxBuffer: 1 << 20, timeout: 120_000 });
		return JSON.parse(output.toString());
	} catch (error) {
		log(`  could not read the stored execution: ${error.message.split('\n')[0]}`);
		return {};
	}
}

async function binaryUploadPart(tarball, farm) {
	const s3 = await startS3Server({ buckets: [S3_BUCKET], storeBodies: false });
	const video = makeMp4(30, { mdatBytes: VIDEO_BYTES });
	const videoUrl = farm.serveMedia('bench-100mb.mp4', { body: video, contentType: 'video/mp4' });
	const part = { videoBytes: video.length, rounds: UPLOAD_ROUNDS, modes: {} };
	try {
		for (const mode of BINARY_MODES) {
			const n8n = await N8nInstance.create({ major: 2, tarball, env: { N8N_DEFAULT_BINARY_DATA_MODE: mode } });
			try {
				await n8n.importCredentials([
					wf.credential({ baseUrl: farm.url, apiKey: API_KEY, id: 'benchOpenFarmCrd' }),
					{
						id: STORAGE_CREDENTIAL_ID,
						name: 'Bench storage',
						type: 'farmProfileStorageApi',
						data: { endpoint: s3.endpoint, region: s3.config.region, bucket: S3_BUCKET, accessKeyId: s3.config.accessKeyId, secretAccessKey: s3.config.secretAccessKey, sessionToken: '', forcePathStyle: true, pathPrefix: 'ours', publicBaseUrl: '' },
					},
					{
						id: N8N_S3_CREDENTIAL_ID,
						name: 'Bench S3 (n8n)',
						type: 's3',
						data: { endpoint: s3.endpoint, region: s3.config.region, accessKeyId: s3.config.accessKeyId, secretAccessKey: s3.config.secretAccessKey, forcePathStyle: true, ignoreSSLIssues: false },
					},
				]);
				await n8n.importWorkflows([uploadWorkflow('benchUploadOurs1', videoUrl, ourUploadNode()), uploadWorkflow('benchUploadS3No1', videoUrl, n8nS3UploadNode())]);
				const runs = { ours: [], s3Node: [] };
				// Interleaved rounds, so neither side gets the quieter moment of the shared machine.
				for (let round = 0; round < UPLOAD_ROUNDS; round++) {
					farm.reset();
					runs.ours.push(await measureUpload(n8n, s3, 'benchUploadOurs1'));
					runs.s3Node.push(await measureUpload(n8n, s3, 'benchUploadS3No1'));
					log(`  ${mode} round ${round + 1}: ours ${JSON.stringify(runs.ours.at(-1))}; S3 node ${JSON.stringify(runs.s3Node.at(-1))}`);
				}
				const best = (list, field) => {
					const values = list.filter((r) => r.ok && r[field] !== null).map((r) => r[field]);
					return values.length ? Math.min(...values) : null;
				};
				const summary = {
					ours: { uploadMs: best(runs.ours, 'uploadMs'), maxRssMb: best(runs.ours, 'maxRssMb') },
					s3Node: { uploadMs: best(runs.s3Node, 'uploadMs'), maxRssMb: best(runs.s3Node, 'maxRssMb') },
				};
				summary.timeRatio = summary.ours.uploadMs && summary.s3Node.uploadMs ? summary.ours.uploadMs / summary.s3Node.uploadMs : null;
				summary.peakMemoryRatio = summary.ours.maxRssMb && summary.s3Node.maxRssMb ? summary.ours.maxRssMb / summary.s3Node.maxRssMb : null;
				part.modes[mode] = { ...summary, runs };
			} finally {
				await n8n.dispose();
			}
		}
	} finally {
		await s3.close();
	}
	return part;
}

/** Webhook → HTTP Request recording the body: the hand-wired equivalent of the trigger workflow. */
function plainWebhookWorkflow(id, webhookId, recordUrl) {
	const trigger = wf.triggerWorkflow(id, webhookId, { recordUrl });
	trigger.nodes[0] = wf.node('Farm Profile Trigger', 'n8n-nodes-base.webhook', 2, 0, { httpMethod: 'POST', path: webhookId, options: {} }, { webhookId });
	trigger.nodes[1].parameters.jsonBody = '={{ JSON.stringify($json.body) }}';
	return trigger;
}

function summarise(r) {
	const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
	log('summary');
	const l = r.limited;
	if (l) {
	log(`  100 posts at ${WINDOW.limit} per ${WINDOW.windowMs / 1000} s (ceiling ${s(l.ceilingMs)}):`);
	log(`    Farm Profile node:              ${s(l.ours.wallMs)} wall, ${l.ours.failedItems} failed, ${l.ours.posted} posted, ${l.ours.duplicates} duplicates`);
	log(`    HTTP Request, defaults:         ${l.httpRequestDefault.ok ? 'ok' : `stopped: ${l.httpRequestDefault.error}`}; ${l.httpRequestDefault.posted} posted, output kept: ${l.httpRequestDefault.outputItems} items`);
	log(`    HTTP Request, Retry On Fail:    ${l.httpRequestRetryOnFail.ok ? 'ok' : 'stopped'}; ${l.httpRequestRetryOnFail.posted} posted, ${l.httpRequestRetryOnFail.duplicates} duplicates, ${l.httpRequestRetryOnFail.requests} requests`);
	log(`    HTTP Request, batched 1/${SPACING_MS} ms: ${s(l.httpRequestBatched.wallMs)} wall, ${l.httpRequestBatched.posted} posted`);
	}
	for (const p of r.pacing ?? []) {
		const status = (m) => `${s(m.nodeMs)} (${m.posted} posted, ${m.requests - m.posted} refused with 429)`;
		log(`  ${p.count} posts, ceiling ${s(p.ceilingMs)}: per window ${status(p.window)}; evenly ${status(p.even)}`);
	}
	if (r.fleetSending) {
		const { defaults } = r.fleetSending;
		log(`  Post Across Profiles, ${defaults.posts} posts over ${defaults.profiles} profiles at ${WINDOW.limit} per ${WINDOW.windowMs / 1000} s (ceiling ${s(defaults.ceilingMs)}), first to last post:`);
		for (const [label, f] of [['defaults', defaults], ['Duplicate Window 0', r.fleetSending.duplicateWindowOff]]) {
			log(`    ${label}: ${s(f.firstToLastMs)}, ratio ${f.ratio.toFixed(2)}; node time ${s(f.run.nodeMs)}; ${f.run.posted} posted (${f.scheduled} with execute_at) on ${f.profilesUsed} profiles, at most ${f.mostPerProfile} each; ${f.run.duplicates} duplicates; ${f.refused429} refused with 429; ${f.run.failedItems} failed`);
		}
	}
	const u = r.unlimited;
	if (u) {
		log(`  1,000 posts, no limit: node time ${s(u.ours.nodeMs)} vs HTTP Request ${s(u.httpRequest.nodeMs)}: ratio ${u.perItemRatio.toFixed(2)}`);
		if (u.peakMemoryRatio) log(`    peak memory of the n8n execute process: ${u.ours.maxRssMb} MB vs ${u.httpRequest.maxRssMb} MB: ratio ${u.peakMemoryRatio.toFixed(2)}`);
	}
	const b = r.binaryUpload;
	if (b) {
		log(`  ${(b.videoBytes / 2 ** 20).toFixed(0)} MB video uploaded, best of ${b.rounds}:`);
		for (const [mode, m] of Object.entries(b.modes)) {
			const ratio = (x) => (x === null ? 'n/a' : x.toFixed(2));
			log(`    ${mode === 'default' ? 'memory (default)' : mode} mode: upload node time ${m.ours.uploadMs} ms vs S3 node ${m.s3Node.uploadMs} ms: ratio ${ratio(m.timeRatio)}; peak memory ${m.ours.maxRssMb} MB vs ${m.s3Node.maxRssMb} MB: ratio ${ratio(m.peakMemoryRatio)}`);
		}
	}
	const c = r.callbacks;
	if (c) log(`  callbacks: trigger ${c.trigger.perSecond.toFixed(0)}/s vs Webhook node ${c.webhook.perSecond.toFixed(0)}/s: ratio ${c.ratio.toFixed(2)}`);
	const p = r.planning;
	if (p) {
		log(`  planning ${p.posts} posts over ${p.profiles} profiles: median ${p.planner.medianMs.toFixed(1)} ms (first call ${p.firstCallMs.toFixed(0)} ms) vs nextFreeSlot round the pool ${p.baseline.medianMs.toFixed(1)} ms: ratio ${p.ratio.toFixed(2)}; ${p.placed} placed (${p.outsidePostingHours} outside Posting Hours; round the pool: ${p.baseline.outsidePostingHours}), the last at ${p.lastSlot}`);
	}
}

main().catch((error) => {
	process.stderr.write(`[bench] failed: ${error.stack}\n`);
	process.exit(1);
});
