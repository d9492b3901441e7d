'use strict';
// `npm run screenshots`: the README's pictures of the editor, made by the browser tests themselves
// (test/browser, on n8n 2.41.1): each picture is taken at the step of a test that checks what it
// shows, so a picture cannot show what the tests no longer see. They are written to
// docs/screenshots/ only when every test passed.

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, 'docs', 'screenshots');
const PICTURES = ['node-creator', 'trigger', 'post-panel', 'credential', 'error', 'example-workflow', 'profile-panel', 'plan-only'];

const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'farm-screenshots-'));
try {
	const jest = require.resolve('jest/bin/jest');
	const run = spawnSync(process.execPath, [jest, 'test/browser/n8n2.browser.test.ts'], {
		cwd: ROOT,
		stdio: 'inherit',
		env: { ...process.env, FARM_SCREENSHOTS_DIR: staging },
	});
	if (run.status !== 0) {
		process.stderr.write('[screenshots] the browser tests failed: docs/screenshots/ is left as it was\n');
		process.exit(run.status || 1);
	}
	const missing = PICTURES.filter((name) => !fs.existsSync(path.join(staging, `${name}.png`)));
	if (missing.length) {
		process.stderr.write(`[screenshots] the tests made no ${missing.join(', ')}: docs/screenshots/ is left as it was\n`);
		process.exit(1);
	}
	fs.mkdirSync(OUT, { recursive: true });
	let total = 0;
	for (const name of PICTURES) {
		const file = path.join(OUT, `${name}.png`);
		fs.copyFileSync(path.join(staging, `${name}.png`), file);
		const { size } = fs.statSync(file);
		total += size;
		process.stdout.write(`[screenshots] docs/screenshots/${name}.png  ${Math.round(size / 1024)} KB\n`);
	}
	process.stdout.write(`[screenshots] ${PICTURES.length} pictures, ${Math.round(total / 1024)} KB in all\n`);
} finally {
	fs.rmSync(staging, { recursive: true, force: true });
}
