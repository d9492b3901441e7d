// The editor in a real browser, run once per n8n major version: the packed package inside real n8n,
// the sandbox farm API on loopback, and headless Chromium clicking through n8n's editor as a user
// does: find the nodes, fill the panel, connect a credential, press Execute step, read the output.
// With FARM_SCREENSHOTS_DIR set (`npm run screenshots`), the same steps save the README's pictures.

import { createServer } from 'node:net';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdirSync, rmSync } from 'node:fs';

import type { Browser } from 'playwright-core';

import { postFields } from '../../nodes/FarmProfile/actions/fields';
import { FarmProfileTrigger } from '../../nodes/FarmProfileTrigger/FarmProfileTrigger.node';
import { createFarmSandbox, DEFAULT_PROFILES, type FarmSandbox } from '../../dev/sandbox/farmSandbox';
import { Editor, launchBrowser } from '../../dev/editor';

const { N8nInstance, packPackage, freePort } = require('../../dev/n8nInstance');
const wf = require('../../dev/workflows');
const { localExamples } = require('../../dev/examples');

const API_KEY = 'sk-browser-4f2a9c';
const READY = DEFAULT_PROFILES.find((p) => p.status === 'ready')!;
const EXAMPLE_CREDENTIAL = 'farmPlaygrndCrd1';
const FLEET_EXAMPLE = 'farmExampleFleet1';
const POOL = DEFAULT_PROFILES.filter((p) => p.status === 'ready').map((p) => p.profile_id);
/** n8n's public address, as a user sets WEBHOOK_URL so the farm can call back; the browser stays on loopback. */
const PUBLIC_URL = 'https://n8n.example.com/';
const TRIGGER_TOKEN = 'playground-token';

const notice = (name: string) => postFields.find((field) => field.name === name)!.displayName;
const APP_DESCRIPTION = new FarmProfileTrigger().description.description;
const OLD_TRIGGER_SENTENCE = 'Starts the workflow when a post from a farm profile goes live on TikTok';

/** `port` when nothing listens on it, else undefined (a free port is then chosen). */
async function portIfFree(port: number): Promise<number | undefined> {
	return await new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(undefined));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(port)));
	});
}

export function browserSuite(major: 1 | 2) {
	jest.setTimeout(10 * 60_000);

	const screenshotsDir = process.env.FARM_SCREENSHOTS_DIR || undefined;
	let sandbox: FarmSandbox;
	let n8n: InstanceType<typeof N8nInstance>;
	let browser: Browser | undefined;
	let editor: Editor;
	const startedAt = Date.now();
	const packDir = join(tmpdir(), `farm-pack-browser-${major}-${process.pid}`);

	beforeAll(async () => {
		// Before n8n starts: installing Chromium (first run on a machine) holds this process for a while.
		browser = await launchBrowser();
		// Pictures use the playground's ports when they are free, so they show what `npm start` shows.
		const ports = screenshotsDir ? { n8n: await portIfFree(5678), sandbox: await portIfFree(4010) } : {};
		sandbox = await createFarmSandbox({ apiKeys: [API_KEY], callbackDelayMs: 200, port: ports.sandbox }).start();
		const tarball = packPackage(packDir);
		const port = ports.n8n ?? (await freePort());
		// Production URLs on a public address, as a user's n8n has them (WEBHOOK_URL); the editor, and with
		// it the Test URL, on loopback where the browser and the sandbox reach it.
		const env = { WEBHOOK_URL: PUBLIC_URL, N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/` };
		n8n = await N8nInstance.create({ major, tarball, port, env });
		const clip = `${sandbox.url}/_media/morning-routine.mp4`;
		const post = {
			profileId: READY.profile_id,
			mediaType: 'video',
			mediaUrl: clip,
			soundId: '7216519837462889218',
			title: 'Morning routine, part 3',
			webhookUrl: 'https://n8n.example.com/webhook/6f1c2d3e/webhook?token=s3cret',
			isLive: false,
			additionalFields: {},
			options: { postRef: 'row-17' },
		};
		const httpRequest = wf.node(
			'HTTP Request',
			'n8n-nodes-base.httpRequest',
			4.2,
			240,
			{
				method: 'GET',
				url: `${sandbox.url}/v1/sources?limit=1`,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'farmProfileApi',
				options: {},
			},
			{ credentials: { farmProfileApi: { id: wf.CREDENTIAL_ID, name: 'Farm Profile API (sandbox)' } } },
		);
		await n8n.importCredentials([
			wf.credential({ baseUrl: sandbox.url, apiKey: API_KEY }),
			wf.credential({ baseUrl: sandbox.url, apiKey: API_KEY, id: EXAMPLE_CREDENTIAL }),
		]);
		await n8n.importWorkflows([
			wf.postWorkflow('browserPost00001', post),
			wf.postWorkflow('browserCredentia', post),
			wf.postWorkflow('browserBadField1', { ...post, mediaUrl: 'http://cdn.example.com/clips/clip-42.mp4' }),
			wf.postWorkflow('browserCustomCal', { operation: '__CUSTOM_API_CALL__' }),
			{
				id: 'browserHttpCall1',
				name: 'Custom call with the HTTP Request node',
				active: false,
				nodes: [wf.node('Start', 'n8n-nodes-base.manualTrigger', 1, 0, {}), httpRequest],
				connections: { Start: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] } },
				settings: { executionOrder: 'v1' },
				pinData: {},
			},
			...localExamples({ n8n: n8n.baseUrl, sandbox: sandbox.url }),
		]);
		await n8n.start();
		await n8n.setupOwner();
		editor = await Editor.open(browser, n8n, { screenshotsDir });
		process.stdout.write(
			`browser: n8n ${n8n.host.version} on Node ${n8n.host.nodeVersion}, ${browser.version()}; ready after ${Math.round((Date.now() - startedAt) / 1000)} s\n`,
		);
	});

	/** Whether a parameter is in view in the open panel (not scrolled out of it), as a picture of the panel shows it. */
	async function shownInPanel(name: string): Promise<boolean> {
		const [field, panel] = await Promise.all([editor.param(name).boundingBox(), editor.ndv().boundingBox()]);
		return !!field && !!panel && field.y >= panel.y && field.y + field.height <= panel.y + panel.height;
	}

	// FARM_BROWSER_DEBUG=<folder>: a picture of the page after each test, to see what a failure saw.
	afterEach(async () => {
		const debugDir = process.env.FARM_BROWSER_DEBUG;
		if (!debugDir || !editor) return;
		mkdirSync(debugDir, { recursive: true });
		const name = `${major}x-${expect.getState().currentTestName ?? 'test'}`.replace(/[^\w.-]+/g, '-').slice(0, 120);
		await editor.page.screenshot({ path: join(debugDir, `${name}.png`) }).catch(() => {});
	});

	afterAll(async () => {
		await editor?.close().catch(() => {});
		await browser?.close().catch(() => {});
		await n8n?.dispose();
		await sandbox?.stop();
		rmSync(packDir, { recursive: true, force: true });
		process.stdout.write(`browser: n8n ${major}.x suite took ${Math.round((Date.now() - startedAt) / 1000)} s\n`);
	});

	describe('a new workflow, built as a user does', () => {
		it('the node creator finds one Farm Profile entry, described for the whole app, with 2 triggers and 4 actions', async () => {
			await editor.newWorkflow();
			await editor.openCreator();
			await editor.searchCreator('Farm Profile');
			await editor.creatorItem('Farm Profile').click();
			const panel = editor.creator();
			await panel.getByText(APP_DESCRIPTION).first().waitFor();
			expect(await panel.innerText()).not.toContain(OLD_TRIGGER_SENTENCE);
			expect(await editor.creatorCategory('Triggers')).toEqual({ header: 'Triggers (2)', items: ['On post published', 'On any event'] });
			expect(await editor.creatorCategory('Actions')).toEqual({
				header: 'Actions (4)',
				// n8n adds "Custom API Call" to the Operation list, but not here.
				items: ['Post to a farm profile', 'Post to a farm profile and wait until it is live', 'Post a batch across a pool of farm profiles', 'Update a farm profile'],
			});
			await editor.shot('node-creator');
		});

		it('adds the trigger: its panel shows the public Production URL and takes a Secret Token, and Listen for test event receives the farm\'s callback', async () => {
			await editor.creatorItem('On post published').click();
			await editor.ndv().locator('[data-test-id=node-parameters]').waitFor();
			const urls = await editor.webhookUrls();
			const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
			// The Production URL is built on WEBHOOK_URL, the address the farm can reach; the Test URL on
			// the editor's address (n8n 1.x and 2.x), which is loopback here.
			expect(urls.productionUrl).toMatch(new RegExp(`^${PUBLIC_URL.replace(/\./g, '\\.')}webhook/${uuid}/webhook$`));
			expect(urls.testUrl).toBe(urls.productionUrl.replace(`${PUBLIC_URL}webhook/`, `${n8n.baseUrl}/webhook-test/`));
			expect(await editor.notices()).toEqual([expect.stringContaining("Paste this node's Production URL")]);
			await editor.fill('secretToken', TRIGGER_TOKEN);
			expect(await editor.param('secretToken').locator('input').first().inputValue()).toBe(TRIGGER_TOKEN);
			await urls.show('production');
			await editor.ndv().locator('.webhook-url').getByText(urls.productionUrl).waitFor();
			await editor.shot('trigger', editor.ndv());

			await urls.show('test');
			await editor.executeStep();
			await editor.ndv().getByText('Listening for test event').waitFor();
			// The farm calls back the webhook_url of a post exactly as given: post with the Test URL and the token.
			const answer = await fetch(`${sandbox.url}/v1/posts`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'X-API-Key': API_KEY },
				body: JSON.stringify({
					profile_id: READY.profile_id,
					media_type: 'video',
					media_url: 'https://cdn.example.com/clips/clip-42.mp4',
					sound_id: '7216519837462889218',
					title: 'Listen test',
					webhook_url: `${urls.testUrl}?token=${TRIGGER_TOKEN}&post_ref=row-17&profile_id=${READY.profile_id}`,
					is_live: true,
				}),
			});
			expect(answer.status).toBe(200);
			const [callback] = await sandbox.waitForCallbacks(1, 30_000);
			expect(callback.status).toBe(200);
			await editor.output().getByText(callback.payload.post_url).first().waitFor();
			await editor.showOutputAsJson();
			const output = await editor.outputContaining('"post_ref": "row-17"', `"phone_id": "${READY.phone_id}"`, `"post_url": "${callback.payload.post_url}"`);
			expect(output).not.toContain(TRIGGER_TOKEN);
			await editor.closeNdv();
		});

		it('adds the action after it: Post to Farm Profile shows every field, and the draft notice follows Publish Live', async () => {
			await editor.openCreator('Farm Profile Trigger');
			await editor.searchCreator('Farm Profile');
			await editor.creatorItem('Farm Profile').click();
			await editor.creatorCategory('Actions');
			await editor.creatorItem('Post to a farm profile').click();
			await editor.param('profileId').waitFor();
			expect(await editor.visibleParameters()).toEqual(
				expect.arrayContaining(['operation', 'profileId', 'mediaType', 'mediaUrl', 'soundId', 'title', 'webhookUrl', 'isLive']),
			);
			expect(await editor.ndv().locator('[data-test-id=node-credentials-select]').isVisible()).toBe(true);
			for (const collection of ['Additional Fields', 'Options']) await editor.ndv().getByText(collection, { exact: true }).first().waitFor();
			expect(await editor.notices()).toEqual([notice('draftNotice')]);
			await editor.toggle('isLive');
			await editor.ndv().getByText(notice('draftNotice')).waitFor({ state: 'hidden' });
			expect(await editor.notices()).toEqual([]);
			await editor.toggle('isLive');
			await editor.ndv().getByText(notice('draftNotice')).waitFor();
		});

		it('Post and Wait for Publish hides Webhook URL and shows its own notice while Publish Live is off', async () => {
			// n8n adds "Custom API Call" for credentials with generic authentication (see the test below).
			expect(await editor.optionLabels('operation')).toEqual(['Post to Farm Profile', 'Post and Wait for Publish', 'Post Across Profiles', 'Custom API Call']);
			await editor.choose('operation', 'Post and Wait for Publish');
			await editor.param('webhookUrl').waitFor({ state: 'hidden' });
			const fields = await editor.visibleParameters();
			expect(fields).toEqual(expect.arrayContaining(['profileId', 'mediaType', 'mediaUrl', 'soundId', 'title', 'isLive']));
			expect(fields).not.toContain('webhookUrl');
			expect(await editor.notices()).toEqual([notice('waitDraftNotice')]);
			await editor.toggle('isLive');
			await editor.ndv().getByText(notice('waitDraftNotice')).waitFor({ state: 'hidden' });
			await editor.choose('operation', 'Post to Farm Profile');
			await editor.param('webhookUrl').waitFor();
		});

		it('Profile → Update shows its own fields: Profile ID, Bio, the picture from a URL', async () => {
			await editor.choose('resource', 'Profile');
			await editor.param('bio').waitFor();
			const fields = await editor.visibleParameters();
			expect(fields).toEqual(expect.arrayContaining(['resource', 'operation', 'profileId', 'bio', 'mediaSource', 'pictureUrl']));
			for (const postOnly of ['mediaType', 'mediaUrl', 'soundId', 'title', 'webhookUrl', 'isLive']) expect(fields).not.toContain(postOnly);
			expect(await editor.optionLabels('operation')).toEqual(expect.arrayContaining(['Update']));
			await editor.shot('profile-panel', editor.ndv());
			await editor.choose('resource', 'Post');
			await editor.param('mediaType').waitFor();
		});

		it('a new credential fails its test with a wrong key and passes with the right one', async () => {
			await editor.openWorkflow('browserCredentia');
			await editor.openNode('Farm Profile');
			await editor.createCredential({ apiKey: 'sk-wrong-key', baseUrl: sandbox.url });
			const wrong = await editor.saveCredential();
			expect(wrong).toMatchObject({ status: 'Error', shown: 'failure' });
			// The credential's own words for the 401 (2.x), n8n's generic ones (1.x, whose tester does not reach the rules).
			expect(wrong.details).toMatch(major === 2 ? /The farm API refused this API key \(401\)/ : /Authorization failed/);
			await editor.fillCredential({ apiKey: API_KEY });
			const right = await editor.saveCredential();
			expect(right).toMatchObject({ status: 'OK', shown: 'success' });
			await editor.shot('credential', editor.credentialModal());
			await editor.closeCredential();
			await editor.closeNdv();
		});
	});

	describe('Execute step on small workflows, against the sandbox', () => {
		it('posts, and the output shows the task id the farm answered', async () => {
			sandbox.reset();
			await editor.openWorkflow('browserPost00001');
			await editor.openNode('Farm Profile');
			await editor.executeStep();
			await editor.output().getByText(/task_\d+_[0-9a-f]+/).first().waitFor();
			expect(sandbox.state.posts).toHaveLength(1);
			const { task_id } = sandbox.state.posts[0];
			await editor.showOutputAsJson();
			const output = await editor.outputContaining(`"task_id": "${task_id}"`, '"delivery": "draft"', '"post_ref": "row-17"');
			expect(output).not.toContain('s3cret');
			// The picture shows where the media comes from: Media Source, then Media URL, inside the panel.
			for (const field of ['mediaSource', 'mediaUrl']) expect(await shownInPanel(field)).toBe(true);
			await editor.shot('post-panel', editor.ndv());
			await editor.closeNdv();
		});

		it('a bad field: the error panel shows the message, the description and the item, and nothing is sent', async () => {
			sandbox.reset();
			await editor.openWorkflow('browserBadField1');
			await editor.openNode('Farm Profile');
			await editor.executeStep();
			await editor.output().locator('[data-test-id=node-error-message]').waitFor();
			await editor.shot('error', editor.ndv());
			const error = await editor.errorPanel();
			expect(error.message).toBe('Media URL uses http:// [item 0]');
			expect(error.description).toContain('use https://');
			expect(error.description).toContain('Nothing was sent to the farm API.');
			expect(error.itemIndex).toBe(0);
			expect(sandbox.state.posts).toHaveLength(0);
			await editor.closeNdv();
		});

		it('Custom API Call: n8n points to the HTTP Request node, running it says so clearly, and that node takes the credential', async () => {
			sandbox.reset();
			await editor.openWorkflow('browserCustomCal');
			await editor.canvasNode('Farm Profile').getByText('Custom API Call').waitFor();
			await editor.openNode('Farm Profile');
			expect(await editor.notices()).toEqual([expect.stringContaining('Use the HTTP Request node to make a custom API call')]);
			await editor.executeStep();
			const error = await editor.errorPanel();
			expect(error.message).toBe('Custom API Call is made with the HTTP Request node, not with Farm Profile');
			expect(error.description).toContain('"Predefined Credential Type"');
			expect(error.description).toContain('"Farm Profile API"');
			expect(error.itemIndex).toBeNull();
			expect(sandbox.state.requests).toBe(0);
			await editor.closeNdv();

			// What the message advises works: HTTP Request with the Farm Profile API credential.
			await editor.openWorkflow('browserHttpCall1');
			await editor.openNode('HTTP Request');
			await editor.executeStep();
			await editor.showOutputAsJson();
			await editor.outputContaining('"sources"');
			expect(sandbox.state.requests).toBe(1);
			await editor.closeNdv();
		});
	});

	it('Plan Only on the fleet example: the table view shows 12 posts planned over the pool, each with its time and reason, and nothing is posted', async () => {
		sandbox.reset();
		await editor.openWorkflow(FLEET_EXAMPLE);
		await editor.openNode('Post across the pool');
		// The example posts when run; only the switch seen on keeps this run to a plan.
		expect(await editor.isOn('planOnly')).toBe(false);
		await editor.toggle('planOnly');
		expect(await editor.isOn('planOnly')).toBe(true);
		await editor.executeStep();
		await editor.showOutputAsTable();
		const { headers, rows } = await editor.outputTable(12);
		expect(headers).toEqual(expect.arrayContaining(['profile_id', 'scheduled_at', 'reason']));
		const column = (name: string) => rows.map((row) => row[headers.indexOf(name)]);
		expect(column('planned')).toEqual(Array(12).fill('true'));
		// 12 posts at 2 a day over 5 profiles: every profile of the pool gets some.
		expect(new Set(column('profile_id'))).toEqual(new Set(POOL));
		for (const at of column('scheduled_at')) expect(Date.parse(at)).toBeGreaterThan(Date.now());
		for (const reason of column('reason')) expect(reason).not.toBe('');
		expect(sandbox.state.posts).toHaveLength(0);
		expect(sandbox.state.requests).toBe(0);
		// The plan's columns come first: widen the output, as a user reviewing it does (the pictures come
		// from 2.x; 1.x's panel does not follow the drag).
		if (major === 2) await editor.widenOutput();
		await editor.shot('plan-only', editor.ndv());
		await editor.closeNdv();
	});

	it('an example workflow opens on the canvas', async () => {
		const [example] = localExamples({}, 'post-and-wait.json');
		await editor.openWorkflow(example.id);
		await editor.zoomToFit();
		const names = await editor.canvasNodes().evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-node-name')));
		expect(names.sort()).toEqual(example.nodes.map((node: { name: string }) => node.name).sort());
		await editor.canvasNode('Post and Wait for Publish').getByText('Post and Wait for Publish').first().waitFor();
		await editor.shot('example-workflow');
	});
}
