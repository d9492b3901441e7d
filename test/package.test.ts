// What n8n and its community-package rules require of the published package.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('package.json', () => {
	it('has no runtime dependencies, and n8n-workflow only as a peer', () => {
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});

	it('runs nothing at install time', () => {
		for (const hook of ['preinstall', 'install', 'postinstall', 'prepare', 'preprepare', 'postprepare']) {
			expect(pkg.scripts[hook]).toBeUndefined();
		}
	});

	it('is a community node package by name, keyword, licence and the n8n section', () => {
		expect(pkg.name).toBe('n8n-nodes-farm-profile');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.license).toBe('MIT');
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
		expect(pkg.author.name).toBeTruthy();
		expect(pkg.author.email).toMatch(/@/);
	});

	it('points n8n at files the build produces, whose classes carry the registered names', () => {
		const expected: Record<string, string> = {
			'dist/credentials/FarmProfileApi.credentials.js': 'farmProfileApi',
			'dist/credentials/FarmProfileStorageApi.credentials.js': 'farmProfileStorageApi',
			'dist/nodes/FarmProfile/FarmProfile.node.js': 'farmProfile',
			'dist/nodes/FarmProfileTrigger/FarmProfileTrigger.node.js': 'farmProfileTrigger',
		};
		const listed = [...pkg.n8n.credentials, ...pkg.n8n.nodes];
		expect(listed.sort()).toEqual(Object.keys(expected).sort());
		for (const file of listed) {
			expect(existsSync(join(root, file))).toBe(true);
			// n8n takes the export named like the file (FarmProfile.node.js → FarmProfile).
			const className = file.split('/').pop()!.split('.')[0];
			const instance = new (require(join(root, file))[className])();
			expect(instance.description?.name ?? instance.name).toBe(expected[file]);
		}
	});

	it('ships the icons and codex files beside the built nodes', () => {
		for (const dir of ['dist/nodes/FarmProfile', 'dist/nodes/FarmProfileTrigger', 'dist/credentials']) {
			expect(existsSync(join(root, dir, 'farmProfile.svg'))).toBe(true);
			expect(existsSync(join(root, dir, 'farmProfile.dark.svg'))).toBe(true);
		}
		expect(existsSync(join(root, 'dist/nodes/FarmProfile/FarmProfile.node.json'))).toBe(true);
		expect(existsSync(join(root, 'dist/nodes/FarmProfileTrigger/FarmProfileTrigger.node.json'))).toBe(true);
	});

	it('packs only what n8n needs', () => {
		const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root }).toString());
		const files: string[] = packed.files.map((file: { path: string }) => file.path);
		const outside = files.filter((file) => !file.startsWith('dist/'));
		expect(outside.sort()).toEqual(['LICENSE', 'README.md', 'package.json']);
		expect(files.some((file) => /\.test\.|\/test\//.test(file))).toBe(false);
	});

	it('packs no TypeScript, not even declarations: n8n\'s scanner lints a .ts in credentials/ as a credential\'s source', () => {
		const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root }).toString());
		const files: string[] = packed.files.map((file: { path: string }) => file.path);
		expect(files.filter((file) => file.endsWith('.ts'))).toEqual([]);
		expect(files).toContain('dist/credentials/FarmProfileApi.credentials.js');
	});

	it('exposes the nodes and credential through index.js, the package main (built into dist/)', () => {
		expect(pkg.main).toBe('dist/index.js');
		const main = require(join(root, pkg.main));
		expect(Object.keys(main.nodes).sort()).toEqual(['FarmProfile', 'FarmProfileTrigger']);
		expect(Object.keys(main.credentials)).toEqual(['FarmProfileApi', 'FarmProfileStorageApi']);
	});
});

describe('node descriptions', () => {
	const { FarmProfile } = require(join(root, 'dist/nodes/FarmProfile/FarmProfile.node.js'));
	const { FarmProfileTrigger } = require(join(root, 'dist/nodes/FarmProfileTrigger/FarmProfileTrigger.node.js'));

	it('the action is usable as an AI tool and the trigger is a webhook trigger', () => {
		expect(new FarmProfile().description.usableAsTool).toBe(true);
		const trigger = new FarmProfileTrigger().description;
		expect(trigger.group).toEqual(['trigger']);
		expect(trigger.inputs).toEqual([]);
		expect(trigger.webhooks).toEqual([expect.objectContaining({ httpMethod: 'POST', responseMode: 'onReceived' })]);
	});

	it('declares a field for every parameter of the API', () => {
		const names = new Set<string>();
		const collect = (properties: Array<{ name: string; options?: unknown[] }>) => {
			for (const property of properties) {
				names.add(property.name);
				if (Array.isArray(property.options)) collect(property.options.filter((o): o is { name: string } => typeof o === 'object' && o !== null && 'displayName' in o));
			}
		};
		collect(new FarmProfile().description.properties);
		for (const name of ['profileId', 'mediaType', 'mediaUrl', 'soundId', 'title', 'webhookUrl', 'isLive', 'description', 'scheduledTime']) {
			expect(names.has(name)).toBe(true);
		}
	});
});
