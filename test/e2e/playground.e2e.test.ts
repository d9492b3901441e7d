// `npm start` as a new user meets it: the playground comes up, the example posting workflow runs in
// real n8n, the sandbox calls back and the example trigger workflow records the live post.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { N8nInstance, freePort } = require('../../dev/n8nInstance');

jest.setTimeout(15 * 60_000);

let playground: ChildProcess;
let output = '';
let dir: string;
let n8nPort: number;
let sandboxPort: number;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'farm-playground-'));
	n8nPort = await freePort();
	sandboxPort = await freePort();
	playground = spawn(process.execPath, [join(__dirname, '..', '..', 'scripts', 'start.js')], {
		env: {
			...process.env,
			FARM_N8N_PORT: String(n8nPort),
			FARM_SANDBOX_PORT: String(sandboxPort),
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

it('stops everything on Ctrl-C', async () => {
	const exited = new Promise<number | null>((resolve) => playground.once('exit', resolve));
	playground.kill('SIGINT');
	expect(await exited).toBe(0);
	await expect(fetch(`http://127.0.0.1:${n8nPort}/healthz`)).rejects.toThrow();
	await expect(fetch(`http://127.0.0.1:${sandboxPort}/_sandbox/state`)).rejects.toThrow();
});
