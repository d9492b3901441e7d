// The release pipeline (.github/workflows): nothing is published from here, so the workflow files
// themselves are checked: what starts them, what the publish job may do, and what runs before it.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

interface Step {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	env?: Record<string, string>;
}
interface Job {
	permissions?: Record<string, string>;
	steps: Step[];
}
interface Workflow {
	on: Record<string, { tags?: string[]; branches?: string[] } | null>;
	permissions?: Record<string, string>;
	jobs: Record<string, Job>;
}

const root = join(__dirname, '..');
const workflow = (file: string): Workflow => parse(readFileSync(join(root, '.github/workflows', file), 'utf8'));
const scripts: Record<string, string> = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;

const FAST_TESTS = 'npx jest test/unit test/node test/storage test/package.test.ts';

/** The index of the one step whose command is `command` (exactly, or followed by arguments). */
function stepIndex(steps: Step[], command: string): number {
	const found = steps.flatMap((step, index) => (step.run?.trim() === command || step.run?.trim().startsWith(`${command} `) ? [index] : []));
	expect(found).toHaveLength(1);
	return found[0];
}

function onlyJob(file: string): Job {
	const jobs = Object.values(workflow(file).jobs);
	expect(jobs).toHaveLength(1);
	return jobs[0];
}

describe('publish.yml', () => {
	const publish = workflow('publish.yml');
	const job = onlyJob('publish.yml');
	const { steps } = job;

	it('runs on version tags only', () => {
		expect(publish.on).toEqual({ push: { tags: ['v*.*.*'] } });
	});

	it('may mint an OIDC token and only read the repository', () => {
		expect(publish.permissions).toBeUndefined();
		expect(job.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
	});

	it('publishes with provenance, public, trusted publishing first and the NPM_TOKEN secret as the fallback', () => {
		const step = steps[stepIndex(steps, 'npm publish')];
		expect(step.run!.trim().split(/\s+/)).toEqual(['npm', 'publish', '--provenance', '--access', 'public']);
		expect(step.env).toEqual({ NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}' });
		const setupNode = steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
		expect(setupNode?.with).toMatchObject({ 'registry-url': 'https://registry.npmjs.org' });
		// Trusted publishing needs npm 11.5.1 or later, which Node 24 brings.
		expect(Number(setupNode?.with?.['node-version'])).toBeGreaterThanOrEqual(24);
	});

	it('installs, builds, lints and runs the unit and n8n-core tests before publishing, in that order', () => {
		const order = ['npm ci', 'npm run build', 'npm run lint', FAST_TESTS, 'npm publish'].map((command) => stepIndex(steps, command));
		expect([...order].sort((a, b) => a - b)).toEqual(order);
		expect(stepIndex(steps, 'npm run typecheck')).toBeLessThan(stepIndex(steps, 'npm publish'));
	});

	describe('the tag check, run as the workflow runs it', () => {
		const tagCheck = steps.find((step) => step.run?.includes('GITHUB_REF_NAME'));
		const run = (tag: string) => spawnSync('bash', ['-e', '-c', tagCheck!.run!], { cwd: root, env: { ...process.env, GITHUB_REF_NAME: tag }, encoding: 'utf8' });
		const version: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

		it('comes before anything is installed', () => {
			expect(steps.indexOf(tagCheck!)).toBeLessThan(stepIndex(steps, 'npm ci'));
		});

		it('passes for v<package.json version>', () => {
			expect(run(`v${version}`).status).toBe(0);
		});

		it('stops the release for any other tag, saying why', () => {
			for (const tag of [`v${version}.1`, version, 'v9.9.9']) {
				const result = run(tag);
				expect(result.status).not.toBe(0);
				expect(result.stdout).toContain(`tag ${tag} does not match package.json's version (v${version})`);
			}
		});
	});
});

describe('ci.yml', () => {
	const ci = workflow('ci.yml');
	const { steps } = onlyJob('ci.yml');

	it('runs on pull requests and on pushes to main', () => {
		expect(ci.on).toEqual({ pull_request: null, push: { branches: ['main'] } });
	});

	it('installs, then lints, typechecks, builds and runs the unit and n8n-core tests', () => {
		const install = stepIndex(steps, 'npm ci');
		for (const command of ['npm run lint', 'npm run typecheck', 'npm run build', FAST_TESTS]) {
			expect(stepIndex(steps, command)).toBeGreaterThan(install);
		}
		expect(stepIndex(steps, 'npm run build')).toBeLessThan(stepIndex(steps, FAST_TESTS));
	});
});

describe('both workflows', () => {
	it('run only npm scripts that package.json defines', () => {
		for (const file of ['publish.yml', 'ci.yml']) {
			for (const step of onlyJob(file).steps) {
				for (const [, script] of step.run?.matchAll(/npm run (\S+)/g) ?? []) {
					expect(scripts).toHaveProperty([script]);
				}
			}
		}
	});

	it('run no suite against real n8n (those run in the full CI)', () => {
		for (const file of ['publish.yml', 'ci.yml']) {
			const commands = onlyJob(file).steps.map((step) => step.run ?? '').join('\n');
			expect(commands).not.toMatch(/test\/(e2e|browser)|npm test\b|npm run (e2e|test:browser)/);
		}
	});
});
