'use strict';
// n8n's scale-out engine ("queue mode") on this machine, for end-to-end tests: Redis, Postgres 15,
// one `n8n start` (main: editor, webhooks, enqueues executions) and `n8n worker`s (run them), all
// on loopback and free ports, in one temp folder of the cluster's own. Every n8n process shares
// EXECUTIONS_MODE=queue, the Redis, the database and one N8N_ENCRYPTION_KEY, has its own user
// folder with this package unpacked into it (as N8nInstance does) and its own task-broker port.
//
// Measured with 1.123.81 and 2.41.1 (both run in queue mode here):
// - Per-process ports: in 2.x every process, workers included, opens a task broker on
//   N8N_RUNNERS_BROKER_PORT; with one port for all, the second process exits ("n8n Task Broker's
//   port … is already in use"). 1.123.81 opens none (task runners are off there by default). The
//   main listens on N8N_PORT; workers listen on nothing else (their health server is off unless
//   QUEUE_HEALTH_CHECK_ACTIVE, and would take port 5678).
// - User folders: one shared folder also runs, but then both workers write one event log
//   (n8nEventLog-worker.log); a folder each avoids that.
// - Workers build URLs from WEBHOOK_URL (Post and Wait's resume URL): it must be the main's.
//
// Nothing is left behind: n8n processes and Redis run in process groups of their own, Postgres as
// its own postmaster; dispose() stops them all and removes the folder, an exit handler kills them
// if the test process exits first, and a small detached reaper does the same if it is killed.

const { execFile, execFileSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { N8nInstance, freePort, unflatten } = require('./n8nInstance');
const { ensureN8n } = require('./n8nHost');

const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';
const DATABASE = 'n8n';
const MAIN_READY_LINE = 'Editor is now accessible via';
const WORKER_READY_LINE = 'n8n worker is now ready';
// Written by n8n's job processor (1.123.81 and 2.41.1) at info level, on the worker that took the job.
const STARTED_RE = /Worker started execution (\d+) \(job (\w+)\)/g;

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function onPath(command) {
	try {
		execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

/** Installs a Debian package when the machine lacks it (these machines reach the Debian mirror). */
function aptInstall(pkg) {
	if (process.getuid?.() !== 0) throw new Error(`${pkg} is not installed, and only root can install it: apt-get install -y ${pkg}`);
	process.stderr.write(`[queue-cluster] installing ${pkg} (apt-get)\n`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	execFileSync('apt-get', ['update'], { stdio: 'ignore', env });
	execFileSync('apt-get', ['install', '-y', pkg], { stdio: 'ignore', env });
}

function ensureSystemPackages() {
	if (!onPath('redis-server')) aptInstall('redis-server');
	if (!fs.existsSync(path.join(POSTGRES_BIN, 'postgres'))) aptInstall('postgresql');
	if (!fs.existsSync(path.join(POSTGRES_BIN, 'postgres'))) throw new Error(`no Postgres 15 in ${POSTGRES_BIN} after installing postgresql`);
}

/**
 * Postgres refuses to run as root. As root, its programs run as the `postgres` user: `setpriv`
 * execs in place, so the process we spawn is the postmaster itself (no su/runuser in between).
 */
function asPostgres(command, args) {
	if (process.getuid?.() !== 0) return { command, args };
	return { command: 'setpriv', args: ['--reuid=postgres', '--regid=postgres', '--init-groups', command, ...args] };
}

// Runs detached: when the test process is gone (killed, not only exited), it stops what the
// cluster left running and removes the folder. It ends by itself once the state file is removed.
const REAPER = `
const fs = require('node:fs');
const [parent, stateFile] = [Number(process.argv[1]), process.argv[2]];
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const kill = (pid, signal) => { try { process.kill(pid, signal); } catch {} };
setInterval(() => {
	let state;
	try { state = JSON.parse(fs.readFileSync(stateFile, 'utf8')); } catch { process.exit(0); }
	if (alive(parent)) return;
	for (const group of state.groups) kill(-group, 'SIGKILL');
	if (state.postgres) kill(state.postgres, 'SIGQUIT');
	setTimeout(() => { fs.rmSync(state.folder, { recursive: true, force: true }); process.exit(0); }, 3000);
}, 1000);
`;

class QueueCluster {
	/**
	 * Prepares Redis, Postgres and the n8n user folders (package installed); `start()` then starts
	 * n8n. Import workflows and credentials in between (the CLI works against the shared database).
	 * @param {{major: 1|2, tarball: string, workers?: number, concurrency?: number, env?: object, log?: (line: string) => void}} options
	 */
	static async create(options) {
		ensureSystemPackages();
		const host = ensureN8n(options.major);
		const cluster = new QueueCluster(host, options);
		try {
			await cluster.prepare(options.tarball);
		} catch (error) {
			await cluster.dispose();
			throw error;
		}
		return cluster;
	}

	constructor(host, options) {
		this.host = host;
		this.log = options.log ?? (() => {});
		this.workerCount = options.workers ?? 2;
		this.concurrency = options.concurrency ?? 5;
		this.extraEnv = options.env ?? {};
		this.folder = fs.mkdtempSync(path.join(os.tmpdir(), `farm-queue${host.major}-`));
		// The postgres user must reach its data folder inside.
		fs.chmodSync(this.folder, 0o711);
		this.stateFile = path.join(this.folder, 'cluster-state.json');
		this.encryptionKey = crypto.randomBytes(24).toString('hex');
		this.children = new Map(); // name -> {child, output, exited}
		this.postgresPid = null;
		this.main = null;
		this.workers = [];
		this.disposed = false;
		this.exitHandler = () => this.killNow();
		process.once('exit', this.exitHandler);
	}

	get baseUrl() {
		return this.main.baseUrl;
	}

	webhookUrl(webhookId, nodePath = 'webhook') {
		return this.main.webhookUrl(webhookId, nodePath);
	}

	async prepare(tarball) {
		this.writeState();
		const reaper = spawn(process.execPath, ['-e', REAPER, String(process.pid), this.stateFile], { detached: true, stdio: 'ignore' });
		reaper.unref();

		this.redisPort = await freePort();
		await this.startRedis();
		this.postgresPort = await freePort();
		await this.startPostgres();

		const mainPort = await freePort();
		const makeInstance = async (name) => {
			const userFolder = path.join(this.folder, name);
			fs.mkdirSync(userFolder);
			// Workers never listen on N8N_PORT; they share the main's port so that the URLs they build
			// (WEBHOOK_URL: Post and Wait's resume URL) point at the main, which serves webhooks.
			const instance = await N8nInstance.create({ major: this.host.major, tarball, userFolder, port: mainPort, env: this.queueEnv() });
			instance.name = name;
			return instance;
		};
		this.main = await makeInstance('main');
		for (let n = 1; n <= this.workerCount; n++) this.workers.push(await makeInstance(`worker${n}`));
	}

	queueEnv() {
		return {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(this.redisPort),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.postgresPort),
			DB_POSTGRESDB_DATABASE: DATABASE,
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			N8N_LOG_OUTPUT: 'console',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			...this.extraEnv,
		};
	}

	/** Spawns a long-running process in a process group of its own and keeps its output. */
	spawnChild(name, command, args, { env, cwd } = {}) {
		const child = spawn(command, args, { env: env ?? process.env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		const entry = { child, output: '', exited: null };
		entry.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
		const collect = (chunk) => {
			entry.output += chunk;
			for (const line of chunk.toString().split('\n')) if (line.trim()) this.log(`[${name}] ${line}`);
		};
		child.stdout.on('data', collect);
		child.stderr.on('data', collect);
		child.on('error', (error) => (entry.output += `\nspawn error: ${error.message}\n`));
		this.children.set(name, entry);
		this.writeState();
		return entry;
	}

	/** Waits until `ready()` holds, failing early when the process exits. */
	async waitFor(name, ready, what, timeoutMs) {
		const entry = this.children.get(name);
		const deadline = Date.now() + timeoutMs;
		let exited = null;
		entry.exited.then((status) => (exited = status));
		while (Date.now() < deadline) {
			if (await ready()) return;
			if (exited) throw new Error(`${name} exited (${exited.code ?? exited.signal}) before ${what}\n${entry.output.slice(-3000)}`);
			await sleep(250);
		}
		throw new Error(`${name}: no ${what} within ${timeoutMs} ms\n${entry.output.slice(-3000)}`);
	}

	async startRedis() {
		const dir = path.join(this.folder, 'redis');
		fs.mkdirSync(dir);
		const args = ['--port', String(this.redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
		const entry = this.spawnChild('redis', 'redis-server', args);
		await this.waitFor('redis', () => entry.output.includes('Ready to accept connections'), 'Redis ready', 30_000);
	}

	async startPostgres() {
		const dir = path.join(this.folder, 'postgres');
		fs.mkdirSync(dir);
		if (process.getuid?.() === 0) {
			const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
			const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
			fs.chownSync(dir, uid, gid);
		}
		fs.chmodSync(dir, 0o700);
		const data = path.join(dir, 'data');
		const initdb = asPostgres(path.join(POSTGRES_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
		execFileSync(initdb.command, initdb.args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
		// The socket lives in the cluster's folder; durability is not wanted for a test database.
		const postgres = asPostgres(path.join(POSTGRES_BIN, 'postgres'), [
			'-D', data, '-p', String(this.postgresPort), '-k', dir,
			'-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
			'-c', 'max_connections=200',
		]);
		const entry = this.spawnChild('postgres', postgres.command, postgres.args, { cwd: dir });
		this.postgresPid = entry.child.pid;
		this.writeState();
		await this.waitFor('postgres', () => entry.output.includes('database system is ready to accept connections'), 'Postgres ready', 60_000);
		execFileSync(path.join(POSTGRES_BIN, 'createdb'), ['-h', '127.0.0.1', '-p', String(this.postgresPort), '-U', 'postgres', DATABASE], { stdio: 'ignore' });
	}

	/** Runs SQL against n8n's database; resolves with the rows as arrays of strings. */
	async sql(query) {
		const args = ['-h', '127.0.0.1', '-p', String(this.postgresPort), '-U', 'postgres', '-d', DATABASE, '-At', '-F', '\t', '-c', query];
		const stdout = await new Promise((resolve, reject) =>
			execFile(path.join(POSTGRES_BIN, 'psql'), args, { maxBuffer: 64 * 1024 * 1024 }, (error, out, err) =>
				error ? reject(new Error(`psql: ${err || error.message}`)) : resolve(out),
			),
		);
		return stdout.split('\n').filter((line) => line !== '').map((line) => line.split('\t'));
	}

	// The n8n CLI's import and activation commands run against the shared database with the main's environment.
	async importCredentials(credentials) {
		await this.main.importCredentials(credentials);
	}

	async importWorkflows(workflows) {
		await this.main.importWorkflows(workflows);
	}

	async activate(workflowId) {
		await this.main.activate(workflowId);
	}

	/** Starts the main, then the workers; returns once every one has finished starting. */
	async start({ timeoutMs = 180_000 } = {}) {
		await this.startMain(timeoutMs);
		await Promise.all(this.workers.map((worker) => this.startWorker(worker, timeoutMs)));
	}

	async startMain(timeoutMs) {
		const entry = this.spawnChild('main', this.host.nodeBin, [this.host.n8nBin, 'start'], { env: this.main.env() });
		// n8n answers before its start-up is done; the start command's last line says it is.
		await this.waitFor('main', () => entry.output.includes(MAIN_READY_LINE), 'end of start-up', timeoutMs);
	}

	async startWorker(worker, timeoutMs = 180_000) {
		const args = [this.host.n8nBin, 'worker', `--concurrency=${this.concurrency}`];
		const entry = this.spawnChild(worker.name, this.host.nodeBin, args, { env: worker.env() });
		await this.waitFor(worker.name, () => entry.output.includes(WORKER_READY_LINE), 'worker ready', timeoutMs);
	}

	/** Stops one worker (SIGTERM: n8n finishes its running jobs first), e.g. to measure with one fewer. */
	async stopWorker(name) {
		await this.stopChild(name, 30_000);
	}

	async stopChild(name, graceMs, signal = 'SIGTERM') {
		const entry = this.children.get(name);
		if (!entry || entry.child.exitCode !== null || entry.child.signalCode !== null) return;
		const group = name === 'postgres' ? entry.child.pid : -entry.child.pid;
		try {
			process.kill(group, signal);
		} catch {
			return;
		}
		const stopped = await Promise.race([entry.exited.then(() => true), sleep(graceMs).then(() => false)]);
		if (!stopped) {
			try {
				process.kill(group, name === 'postgres' ? 'SIGQUIT' : 'SIGKILL');
			} catch {
				// gone
			}
			await Promise.race([entry.exited, sleep(5_000)]);
		}
	}

	workerNames() {
		return this.workers.map((worker) => worker.name);
	}

	/**
	 * Which workers started an execution, in the order of their log lines: a Post and Wait shows two
	 * (the first run, then the resume, which n8n enqueues as a new job for the same execution).
	 */
	workerRuns(executionId) {
		const runs = [];
		for (const name of this.workerNames()) {
			const entry = this.children.get(name);
			if (!entry) continue;
			for (const match of entry.output.matchAll(STARTED_RE)) {
				if (match[1] === String(executionId)) runs.push({ worker: name, job: match[2], at: entry.output.indexOf(match[0]) });
			}
		}
		// Jobs are numbered by Bull in the order they were enqueued.
		return runs.sort((a, b) => Number(a.job) - Number(b.job)).map(({ worker, job }) => ({ worker, job }));
	}

	/** How many executions each worker has started so far (a resume counts again). */
	jobsPerWorker() {
		const counts = {};
		for (const name of this.workerNames()) {
			const output = this.children.get(name)?.output ?? '';
			counts[name] = [...output.matchAll(STARTED_RE)].length;
		}
		return counts;
	}

	/** Executions n8n stored for a workflow, from the shared database. */
	async executions(workflowId) {
		const ms = (column) => `round(extract(epoch from "${column}") * 1000)`;
		const rows = await this.sql(
			`select id, status, ${ms('startedAt')}, ${ms('stoppedAt')} from execution_entity where "workflowId" = '${workflowId.replace(/'/g, "''")}' order by id`,
		);
		return rows.map(([id, status, startedAt, stoppedAt]) => ({
			id,
			status,
			startedAt: startedAt ? Number(startedAt) : null,
			stoppedAt: stoppedAt ? Number(stoppedAt) : null,
		}));
	}

	/** The run data n8n stored for an execution (execution_data.data, in n8n's "flatted" form), revived. */
	async executionData(executionId) {
		const [row] = await this.sql(`select data from execution_data where "executionId" = ${Number(executionId)}`);
		return row ? unflatten(JSON.parse(row[0])) : null;
	}

	/** Why an execution failed, as n8n stored it: the error's message and description, or null. */
	async executionError(executionId) {
		const error = (await this.executionData(executionId))?.resultData?.error;
		return error ? { message: error.message ?? null, description: error.description ?? null } : null;
	}

	/** Waits until a workflow has `count` executions, none of them new, running or waiting. */
	async waitForExecutions(workflowId, count, { timeoutMs = 180_000, settled = ['success', 'error', 'crashed', 'canceled'] } = {}) {
		const deadline = Date.now() + timeoutMs;
		let executions = [];
		while (Date.now() < deadline) {
			executions = await this.executions(workflowId);
			if (executions.length >= count && executions.every((execution) => settled.includes(execution.status))) return executions;
			await sleep(500);
		}
		const tails = this.workerNames().map((name) => `--- ${name}\n${this.output(name).slice(-1500)}`).join('\n');
		throw new Error(`workflow ${workflowId}: ${executions.length} of ${count} executions settled within ${timeoutMs} ms: ${JSON.stringify(executions.map((e) => e.status))}\n${tails}`);
	}

	async waitForWebhook(url, options) {
		await this.main.waitForWebhook(url, options);
	}

	/** The output of one n8n process (main, worker1, …), for diagnostics. */
	output(name) {
		return this.children.get(name)?.output ?? '';
	}

	groups() {
		const groups = [];
		for (const [name, entry] of this.children) if (name !== 'postgres' && entry.child.pid) groups.push(entry.child.pid);
		return groups;
	}

	writeState() {
		if (this.disposed) return;
		try {
			fs.writeFileSync(this.stateFile, JSON.stringify({ folder: this.folder, groups: this.groups(), postgres: this.postgresPid }));
		} catch {
			// the folder is being removed
		}
	}

	/** Synchronous last resort, for process exit. */
	killNow() {
		for (const group of this.groups()) {
			try {
				process.kill(-group, 'SIGKILL');
			} catch {
				// gone
			}
		}
		if (this.postgresPid) {
			try {
				process.kill(this.postgresPid, 'SIGQUIT');
			} catch {
				// gone
			}
		}
	}

	/** Stops n8n, Redis and Postgres and removes the folder. Safe to call more than once. */
	async dispose() {
		if (this.disposed) return;
		const names = [...this.children.keys()];
		// Workers and the main first (they hold database and Redis connections), then Redis, then Postgres.
		await Promise.all(names.filter((name) => name !== 'redis' && name !== 'postgres').map((name) => this.stopChild(name, 20_000)));
		if (this.children.has('redis')) await this.stopChild('redis', 10_000);
		// SIGINT: Postgres's "fast" shutdown (disconnects clients, no waiting for them).
		if (this.children.has('postgres')) await this.stopChild('postgres', 20_000, 'SIGINT');
		this.disposed = true;
		process.removeListener('exit', this.exitHandler);
		fs.rmSync(this.folder, { recursive: true, force: true });
	}
}

module.exports = { QueueCluster };
