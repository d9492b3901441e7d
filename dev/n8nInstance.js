'use strict';
// Drives a real n8n, the way a user's n8n runs: a fresh user folder with this package unpacked from
// its `npm pack` tarball into nodes/node_modules (as the Community Nodes installer leaves it), the CLI
// for imports and executions, `n8n start` for webhooks, and n8n's own HTTP endpoints.
// Used by the end-to-end tests and by `npm start`.

const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { ensureN8n, n8nEnv } = require('./n8nHost');

const ROOT = path.join(__dirname, '..');
const PACKAGE_NAME = 'n8n-nodes-farm-profile';
const OWNER = { email: 'owner@farm.test', firstName: 'Farm', lastName: 'Owner', password: 'Playground-1234' };

/** Packs the built package (run `npm run build` first) and returns the tarball's path. */
function packPackage(destination) {
	fs.mkdirSync(destination, { recursive: true });
	const output = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], { cwd: ROOT });
	return path.join(destination, JSON.parse(output.toString())[0].filename);
}

async function freePort() {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

class N8nInstance {
	/**
	 * @param {{major: 1|2, tarball?: string, port?: number, userFolder?: string, log?: (line: string) => void, env?: object}} options
	 */
	static async create(options) {
		const host = ensureN8n(options.major);
		const instance = new N8nInstance(host, options);
		instance.port = options.port ?? (await freePort());
		instance.brokerPort = await freePort();
		if (options.tarball) instance.installPackage(options.tarball);
		return instance;
	}

	constructor(host, options) {
		this.host = host;
		this.log = options.log ?? (() => {});
		this.userFolder = options.userFolder ?? fs.mkdtempSync(path.join(os.tmpdir(), `farm-n8n${host.major}-`));
		this.extraEnv = options.env ?? {};
		this.server = null;
		this.cookie = null;
		this.serverOutput = '';
	}

	get baseUrl() {
		return `http://127.0.0.1:${this.port}`;
	}

	/** Where n8n serves a production webhook of an active workflow. */
	webhookUrl(webhookId, nodePath = 'webhook') {
		return `${this.baseUrl}/webhook/${webhookId}/${nodePath}`;
	}

	installPackage(tarball) {
		const target = path.join(this.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
		fs.rmSync(target, { recursive: true, force: true });
		fs.mkdirSync(target, { recursive: true });
		execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
		// The Community Nodes installer keeps a package.json listing what it installed.
		const manifest = path.join(this.userFolder, '.n8n', 'nodes', 'package.json');
		const version = JSON.parse(fs.readFileSync(path.join(target, 'package.json'), 'utf8')).version;
		fs.writeFileSync(manifest, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: version } }, null, 2));
	}

	env() {
		return n8nEnv(this.host, { userFolder: this.userFolder, port: this.port, brokerPort: this.brokerPort, extra: this.extraEnv });
	}

	/**
	 * Runs an n8n CLI command to completion. With `measureMemory`, GNU time (where installed) reports
	 * the process's peak resident memory as `maxRssKb`.
	 */
	cli(args, { timeoutMs = 180_000, measureMemory = false } = {}) {
		const timed = measureMemory && fs.existsSync('/usr/bin/time');
		const command = timed ? '/usr/bin/time' : this.host.nodeBin;
		const commandArgs = [this.host.nodeBin, this.host.n8nBin, ...args];
		if (timed) commandArgs.unshift('-f', 'FARM_MAX_RSS_KB=%M');
		else commandArgs.shift();
		return new Promise((resolve, reject) => {
			const child = spawn(command, commandArgs, { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk) => (stdout += chunk));
			child.stderr.on('data', (chunk) => (stderr += chunk));
			const timer = setTimeout(() => {
				child.kill('SIGKILL');
				reject(new Error(`n8n ${args.join(' ')} timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`));
			}, timeoutMs);
			child.on('error', reject);
			child.on('close', (code) => {
				clearTimeout(timer);
				const rss = /FARM_MAX_RSS_KB=(\d+)/.exec(stderr);
				resolve({ code, stdout, stderr, maxRssKb: rss ? Number(rss[1]) : null });
			});
		});
	}

	async cliOk(args) {
		const result = await this.cli(args);
		if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
		return result;
	}

	async importCredentials(credentials) {
		await this.importFile('import:credentials', credentials);
	}

	async importWorkflows(workflows) {
		await this.importFile('import:workflow', workflows);
	}

	/** Hands n8n's import command a file holding `entries`, removed afterwards. */
	async importFile(command, entries) {
		const file = path.join(this.userFolder, `${command.replace(':', '-')}.json`);
		fs.writeFileSync(file, JSON.stringify(entries));
		await this.cliOk([command, `--input=${file}`]);
		fs.rmSync(file);
	}

	/** Activates a workflow so `n8n start` registers its production webhooks. */
	async activate(workflowId) {
		if (this.host.major >= 2) await this.cliOk(['publish:workflow', `--id=${workflowId}`]);
		else await this.cliOk(['update:workflow', `--id=${workflowId}`, '--active=true']);
	}

	/**
	 * Runs a workflow with `n8n execute`. Resolves with whether n8n called it successful, the parsed
	 * run data when it printed any, and the raw output.
	 */
	async execute(workflowId, { measureMemory = false, timeoutMs } = {}) {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], { measureMemory, timeoutMs });
		return { ok: result.code === 0, data: printedRun(result.stdout), stdout: result.stdout, stderr: result.stderr, maxRssKb: result.maxRssKb };
	}

	/** Starts `n8n start` and returns once it has finished starting up, not just once it listens. */
	async start({ timeoutMs = 120_000 } = {}) {
		const outputBefore = this.serverOutput.length;
		this.server = spawn(this.host.nodeBin, [this.host.n8nBin, 'start'], { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		// n8n runs in its own process group (so stop() can end its task runner too); never leave it behind.
		const pid = this.server.pid;
		process.once('exit', () => {
			try {
				process.kill(-pid, 'SIGKILL');
			} catch {
				// already stopped
			}
		});
		const collect = (chunk) => {
			this.serverOutput += chunk;
			for (const line of chunk.toString().split('\n')) if (line.trim()) this.log(line);
		};
		this.server.stdout.on('data', collect);
		this.server.stderr.on('data', collect);
		const exited = new Promise((resolve) => this.server.once('exit', resolve));
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const code = await Promise.race([exited.then((c) => ({ exited: c })), sleep(500).then(() => null)]);
			if (code) throw new Error(`n8n start exited (${code.exited})\n${this.serverOutput.slice(-3000)}`);
			// n8n answers health checks and even webhooks before its start-up is done (crash recovery,
			// REST routes); the start command's last line says it is.
			if (this.serverOutput.indexOf(STARTED_LINE, outputBefore) !== -1) return;
		}
		throw new Error(`n8n did not start within ${timeoutMs} ms\n${this.serverOutput.slice(-3000)}`);
	}

	/**
	 * Waits until a production webhook path is registered. n8n activates webhooks after it reports
	 * ready; a CORS preflight answers 204 for a registered path without running anything.
	 */
	async waitForWebhook(url, { timeoutMs = 60_000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			try {
				const response = await fetch(url, {
					method: 'OPTIONS',
					headers: { Origin: this.baseUrl, 'Access-Control-Request-Method': 'POST' },
				});
				if (response.status === 204 || response.status === 200) return;
			} catch {
				// not yet
			}
			await sleep(250);
		}
		throw new Error(`webhook ${url} was not registered within ${timeoutMs} ms`);
	}

	/** Creates the owner account (as the first visit to the editor does) and keeps its session cookie. */
	async setupOwner() {
		const response = await fetch(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		if (!response.ok) throw new Error(`owner setup failed: ${response.status} ${await response.text()}`);
		const setCookie = response.headers.get('set-cookie') ?? '';
		this.cookie = setCookie.split(';')[0];
		return OWNER;
	}

	/** Calls n8n's editor REST API with the owner's session. */
	async rest(method, route, body) {
		if (!this.cookie) await this.setupOwner();
		const response = await fetch(`${this.baseUrl}${route}`, {
			method,
			headers: { Cookie: this.cookie, 'Content-Type': 'application/json', 'browser-id': 'farm-e2e' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		let json = null;
		try {
			json = JSON.parse(text);
		} catch {
			json = null;
		}
		return { status: response.status, json, text };
	}

	/** Executions n8n stored for a workflow (any status). */
	async executions(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const response = await this.rest('GET', `/rest/executions?filter=${filter}&limit=100`);
		if (response.status !== 200) throw new Error(`listing executions failed: ${response.status} ${response.text}`);
		const data = response.json.data ?? response.json;
		return data.results ?? data;
	}

	/** Why an execution failed, as n8n stored it: the error's message and description, or null. */
	async executionError(executionId) {
		const response = await this.rest('GET', `/rest/executions/${executionId}`);
		if (response.status !== 200) throw new Error(`reading execution ${executionId} failed: ${response.status} ${response.text}`);
		const stored = (response.json.data ?? response.json).data;
		const error = (typeof stored === 'string' ? unflatten(JSON.parse(stored)) : stored)?.resultData?.error;
		return error ? { message: error.message ?? null, description: error.description ?? null } : null;
	}

	async stop() {
		if (!this.server || this.server.exitCode !== null) return;
		const exited = new Promise((resolve) => this.server.once('exit', resolve));
		try {
			process.kill(-this.server.pid, 'SIGTERM');
		} catch {
			return;
		}
		const stopped = await Promise.race([exited.then(() => true), sleep(20_000).then(() => false)]);
		if (!stopped) {
			try {
				process.kill(-this.server.pid, 'SIGKILL');
			} catch {
				// already gone
			}
			await exited;
		}
	}

	/** Stops n8n and removes the user folder. */
	async dispose() {
		await this.stop();
		fs.rmSync(this.userFolder, { recursive: true, force: true });
	}
}

const STARTED_LINE = 'Editor is now accessible via';

/**
 * The run data `n8n execute --rawOutput` prints: JSON indented by two spaces, between a `{` and a
 * `}` line. n8n 2.x's own log lines (its task runners start and stop alongside) can come before,
 * after, or in between; they are not indented, so they are left out.
 */
function printedRun(stdout) {
	const lines = stdout.split('\n');
	const start = lines.indexOf('{');
	const end = lines.lastIndexOf('}');
	if (start === -1 || end < start) return null;
	const json = lines.slice(start, end + 1).filter((line, index, all) => line.startsWith(' ') || index === 0 || index === all.length - 1);
	try {
		return JSON.parse(json.join('\n'));
	} catch {
		return null;
	}
}

/**
 * n8n stores run data with `flatted`: one array whose first entry is the root, every string inside
 * an object or array replaced by the index (as a string) of the entry holding it.
 */
function unflatten(entries) {
	const revived = new Map();
	const revive = (index) => {
		const value = entries[index];
		if (typeof value !== 'object' || value === null) return value;
		if (revived.has(index)) return revived.get(index);
		const out = Array.isArray(value) ? [] : {};
		revived.set(index, out);
		for (const [key, inner] of Object.entries(value)) out[key] = typeof inner === 'string' ? revive(Number(inner)) : inner;
		return out;
	};
	return revive(0);
}

/** A pause that never keeps the process alive by itself (several race against a process exit). */
function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

module.exports = { N8nInstance, packPackage, freePort, unflatten, PACKAGE_NAME, OWNER };
