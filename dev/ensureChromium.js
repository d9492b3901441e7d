'use strict';
// The browser the editor tests and `npm run screenshots` drive: Debian's `chromium` package,
// installed with apt when /usr/bin/chromium is missing (playwright-core's own browser download is
// not reachable from these machines; the Debian mirror is). Needs root, as the test machines run.
//
//   node scripts/ensure-chromium.js        install if missing, print the path
//   FARM_CHROMIUM=<path>                   use another Chromium/Chrome binary instead

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');

const DEFAULT_PATH = '/usr/bin/chromium';

function log(message) {
	process.stderr.write(`[chromium] ${message}\n`);
}

function sleepSync(ms) {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** apt refuses to run while another apt holds its lock: wait for it rather than fail. */
function aptGet(args) {
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (let attempt = 1; ; attempt++) {
		try {
			execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], { stdio: ['ignore', 'ignore', 'pipe'], env });
			return;
		} catch (error) {
			const stderr = String(error.stderr || '');
			if (attempt < 5 && /Could not get lock|Unable to lock|is another process using it/i.test(stderr)) {
				sleepSync(10_000);
				continue;
			}
			throw new Error(`apt-get ${args.join(' ')} failed (exit ${error.status}): ${stderr.trim().split('\n').slice(-5).join(' | ')}`);
		}
	}
}

/** Returns the path of a runnable Chromium, installing Debian's package first when needed. */
function ensureChromium() {
	const wanted = process.env.FARM_CHROMIUM;
	if (wanted) {
		if (!fs.existsSync(wanted)) throw new Error(`FARM_CHROMIUM=${wanted} does not exist`);
		return wanted;
	}
	if (fs.existsSync(DEFAULT_PATH)) return DEFAULT_PATH;
	if (process.platform !== 'linux' || !fs.existsSync('/usr/bin/apt-get')) {
		throw new Error(
			`The editor tests need Chromium at ${DEFAULT_PATH} and cannot install it here (no apt-get). ` +
				'Install Chromium or Chrome and set FARM_CHROMIUM to its path.',
		);
	}
	if (typeof process.getuid === 'function' && process.getuid() !== 0) {
		throw new Error(
			`The editor tests need Chromium at ${DEFAULT_PATH}; installing it takes root: run ` +
				'`sudo apt-get install -y chromium`, or set FARM_CHROMIUM to a Chromium/Chrome binary.',
		);
	}
	const started = Date.now();
	log('installing Debian\'s chromium package (apt-get update; apt-get install -y chromium), usually under a minute');
	aptGet(['update']);
	aptGet(['install', '-y', 'chromium']);
	if (!fs.existsSync(DEFAULT_PATH)) throw new Error(`apt-get installed chromium but ${DEFAULT_PATH} is missing`);
	log(`installed in ${Math.round((Date.now() - started) / 1000)} s: ${execFileSync(DEFAULT_PATH, ['--version']).toString().trim()}`);
	return DEFAULT_PATH;
}

module.exports = { ensureChromium, DEFAULT_PATH };

if (require.main === module) {
	try {
		process.stdout.write(`${ensureChromium()}\n`);
	} catch (error) {
		log(error.message);
		process.exit(1);
	}
}
