'use strict';
// Lets `npm test` and `npm start` work straight after a clone: installs the dev dependencies
// (`npm ci`) when node_modules is missing or older than package-lock.json.

const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const installed = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');

if (!fs.existsSync(installed) || fs.statSync(installed).mtimeMs < fs.statSync(lock).mtimeMs) {
	process.stdout.write('[setup] installing the dev dependencies (npm ci)\n');
	execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
