// `npm start` as a new user meets it: the playground comes up, the example posting workflow runs in
// real n8n, the sandbox calls back and the example trigger workflow records the live post; the
// binary example uploads a file to the playground's test storage and the farm gets a working link.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

const { N8nInstance, freePort } = require('../../dev/n8nInstance');

jest.setTimeout(15 * 60_000);

let playground: ChildProcess;
let output = '';
let dir: string;
let n8nPort: number;
let sandboxPort: number;
let s3Port: number;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'farm-playground-'));
	n8nPort = await freePort();
	sandboxPort = await freePort();
	s3Port = await freePort();
	playground = spawn(process.execPath, [join(__dirname, '..', '..', 'scripts', 'start.js')], {
		env: {
			...process.env,
			FARM_N8N_PORT: String(n8nPort),
			FARM_SANDBOX_PORT: String(sandboxPort),
			FARM_S3_PORT: String(s3Port),
			FARM_PLAYGROUND_DIR: dir,
			FARM_SKIP_BUILD: '1', // the test run built dist/ already
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	playground.stdout!.on('data', (chunk) => (output += chunk));
	playground.stderr!.on('data', (chunk) => (output += chunk));
	const deadline = Date.now() + 14 * 60_000;
	while (!output.includes('[playground] ready:')) {
		if (playground.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
		if (Date.now() > deadline) throw new Error(`npm start was not ready in time:\n${output}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
});

afterAll(async () => {
	if (playground && playground.exitCode === null) {
		const exited = new Promise((resolve) => playground.once('exit', resolve));
		playground.kill('SIGINT');
		await exited;
	}
	rmSync(dir, { recursive: true, force: true });
});

async function sandboxState() {
	return (await (await fetch(`http://127.0.0.1:${sandboxPort}/_sandbox/state`)).json()) as {
		posts: Array<{ body: Record<string, unknown>; task_id: string }>;
		records: Array<{ body: Record<string, unknown> }>;
	};
}

it('tells the user where to open n8n and how to log in', () => {
	expect(output).toContain(`ready: open http://127.0.0.1:${n8nPort}`);
	expect(output).toContain(`test S3 storage on http://127.0.0.1:${s3Port}`);
	expect(output).toContain('"Farm Profile: generate a video, then post the file"');
	expect(output).toMatch(/log in as \S+@\S+ \/ \S+/);
});

it('runs the example loop: post, notify, callback, correlate, record', async () => {
	// What clicking "Execute workflow" on the example does, through n8n's CLI against the same n8n.
	const cli = await N8nInstance.create({ major: 2, userFolder: join(dir, 'n8n-2'), port: n8nPort });
	const result = await cli.execute('farmExamplePost1');
	if (!result.ok) throw new Error(`${result.stdout}\n${result.stderr}`);

	const deadline = Date.now() + 60_000;
	let state = await sandboxState();
	while (state.records.length < 2 && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 500));
		state = await sandboxState();
	}
	expect(state.posts).toHaveLength(1);
	const ref = new URL(String(state.posts[0].body.webhook_url)).searchParams.get('post_ref');
	expect(ref).toMatch(/^row-\d{8}$/);
	const bodies = state.records.map((record) => record.body);
	expect(bodies).toEqual(
		expect.arrayContaining([
			{ message: expect.stringMatching(/^Queued Morning routine, .* as draft \(task task_\w+, ref row-\d{8}\)$/) },
			expect.objectContaining({ row_id: ref, profile_id: '5b0c8a4e-2f61-4c3a-9d0e-7a1b2c3d4e5f', live_url: expect.stringContaining('tiktok.com') }),
		]),
	);
});

it('runs the wait example: post, wait in the same execution, go on with the live link', async () => {
	const cli = await N8nInstance.create({ major: 2, userFolder: join(dir, 'n8n-2'), port: n8nPort });
	// The CLI reports a run that ends waiting as not successful; the running n8n resumes it.
	await cli.execute('farmExampleWait1');

	const deadline = Date.now() + 60_000;
	const live = (state: Awaited<ReturnType<typeof sandboxState>>) =>
		state.records.map((record) => String(record.body.message)).filter((message) => message.startsWith('Live:'));
	let state = await sandboxState();
	while (live(state).length === 0 && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 500));
		state = await sandboxState();
	}
	const post = state.posts.find((p) => new URL(String(p.body.webhook_url)).pathname.startsWith('/webhook-waiting/'));
	expect(post?.body).toMatchObject({ media_type: 'slideshow', is_live: true });
	expect(live(state)).toEqual([
		expect.stringMatching(new RegExp(`^Live: https://www\\.tiktok\\.com/\\S+ \\(task ${String(post?.task_id)}, ref wait-\\d{8}\\)$`)),
	]);
});

it('runs the binary example: the generated file is uploaded to the test storage and the farm gets a working link', async () => {
	const cli = await N8nInstance.create({ major: 2, userFolder: join(dir, 'n8n-2'), port: n8nPort });
	const result = await cli.execute('farmExampleBin01');
	if (!result.ok) throw new Error(`${result.stdout}\n${result.stderr}`);
	const runData = result.data?.data?.resultData?.runData ?? {};
	const posted = runData['Post to Farm Profile']?.[0]?.data?.main?.[0]?.[0]?.json;
	const shown = runData['Uploaded']?.[0]?.data?.main?.[0]?.[0]?.json;
	expect(shown).toEqual({
		task_id: expect.stringMatching(/^task_\w+$/),
		bucket: 'playground-media',
		key: expect.stringMatching(/^farm\/uploads\/\d{4}\/\d{2}\/\d{2}\/bin-\d{8}-[0-9a-f]{16}\.mp4$/),
		size: expect.any(Number),
		link_expires_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
		post_ref: expect.stringMatching(/^bin-\d{8}$/),
	});

	// The farm got a presigned link to the test storage, and it serves the generated file.
	const state = await sandboxState();
	const post = state.posts.find((p) => p.task_id === shown.task_id);
	const mediaUrl = String(post?.body.media_url);
	expect(post?.body).toMatchObject({ profile_id: '7d3e1f20-8a4b-4c6d-9e0f-1a2b3c4d5e6f', media_type: 'video', is_live: false });
	const link = new URL(mediaUrl);
	expect(link.origin).toBe(`http://127.0.0.1:${s3Port}`);
	expect(link.pathname).toBe(`/playground-media/${shown.key}`);
	expect(link.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
	// The signature stays out of n8n's output.
	expect(JSON.stringify(posted)).not.toContain(link.searchParams.get('X-Amz-Signature'));
	const sample = Buffer.from(await (await fetch(`http://127.0.0.1:${sandboxPort}/_media/morning-routine.mp4`)).arrayBuffer());
	const served = await fetch(mediaUrl);
	expect(served.status).toBe(200);
	expect(Buffer.from(await served.arrayBuffer()).equals(sample)).toBe(true);
	expect(shown.size).toBe(sample.length);

	// The storage holds the object under that key: a HEAD signed with the playground's storage key.
	const signer = new SignatureV4({
		service: 's3',
		region: 'us-east-1',
		sha256: Sha256,
		uriEscapePath: false,
		credentials: { accessKeyId: 'AKIAPLAYGROUND000001', secretAccessKey: 'playground/secret+KEY0123456789abcdefgh' },
	});
	const host = `127.0.0.1:${s3Port}`;
	const signed = await signer.sign({
		method: 'HEAD',
		protocol: 'http:',
		hostname: host,
		path: `/playground-media/${shown.key}`,
		headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
	});
	const { host: _host, ...headers } = signed.headers;
	const head = await fetch(`http://${host}/playground-media/${shown.key}`, { method: 'HEAD', headers });
	expect(head.status).toBe(200);
	expect(head.headers.get('content-type')).toBe('video/mp4');
	expect(Number(head.headers.get('content-length'))).toBe(sample.length);
});

it('runs the fleet example: 12 videos spread over the five ready profiles, 2 a day each, in Berlin posting hours', async () => {
	const cli = await N8nInstance.create({ major: 2, userFolder: join(dir, 'n8n-2'), port: n8nPort });
	const result = await cli.execute('farmExampleFleet1');
	if (!result.ok) throw new Error(`${result.stdout}\n${result.stderr}`);
	const out = (result.data?.data?.resultData?.runData ?? {})['Post across the pool']?.[0]?.data?.main?.[0]?.map((item: { json: Record<string, unknown> }) => item.json) ?? [];
	expect(out).toHaveLength(12);
	const state = await sandboxState();
	const sent = out.map((item: Record<string, unknown>) => state.posts.find((p) => p.task_id === item.task_id)?.body);
	expect(new Set(sent.map((body: Record<string, unknown> | undefined) => body?.profile_id)).size).toBe(5);
	const local = (ms: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', dateStyle: 'short', timeStyle: 'short' }).format(new Date(ms));
	for (const body of sent) {
		const time = local(body?.execute_at as number).slice(11);
		expect(time >= '09:00' && time <= '21:00').toBe(true);
	}
	// No profile has more than two of the batch in any 24 hours.
	for (const profile of new Set(sent.map((body: Record<string, unknown> | undefined) => body?.profile_id))) {
		const slots = sent.filter((body: Record<string, unknown> | undefined) => body?.profile_id === profile).map((body: Record<string, unknown> | undefined) => body?.execute_at as number);
		for (const slot of slots) expect(slots.filter((other: number) => other >= slot && other < slot + 86_400_000).length).toBeLessThanOrEqual(2);
	}
});

it('stops everything on Ctrl-C', async () => {
	const exited = new Promise<number | null>((resolve) => playground.once('exit', resolve));
	playground.kill('SIGINT');
	expect(await exited).toBe(0);
	await expect(fetch(`http://127.0.0.1:${n8nPort}/healthz`)).rejects.toThrow();
	await expect(fetch(`http://127.0.0.1:${sandboxPort}/_sandbox/state`)).rejects.toThrow();
	await expect(fetch(`http://127.0.0.1:${s3Port}/`)).rejects.toThrow();
});
