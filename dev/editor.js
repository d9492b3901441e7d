'use strict';
// Drives n8n's editor in a real Chromium (playwright-core), the way a user clicks through it. Used by
// the browser tests (test/browser) and by `npm run screenshots`, so the README's pictures come from
// the same steps the tests check.
//
// Only n8n's `data-test-id` attributes, input names and visible texts are used: the same on n8n
// 1.123.81 and 2.41.1. Nothing waits a fixed time except a short settle before a screenshot (panels
// animate).

const fs = require('node:fs');
const path = require('node:path');

const { chromium } = require('playwright-core');

const { ensureChromium } = require('./ensureChromium');
const { OWNER } = require('./n8nInstance');

// Playwright adds --headless and a fresh --user-data-dir of its own per launch. The machines have no
// internet: without these flags Chromium keeps trying to reach Google's services.
const CHROMIUM_FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

const VIEWPORT = { width: 1280, height: 800 };

/** Installs Debian's Chromium when missing (see scripts/ensure-chromium.js) and starts it headless. */
async function launchBrowser() {
	const executablePath = ensureChromium();
	return await chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS, timeout: 120_000 });
}

class Editor {
	/**
	 * A signed-in browser tab on `n8n` (its owner already set up).
	 * @param {import('playwright-core').Browser} browser
	 * @param {{baseUrl: string}} n8n
	 * @param {{screenshotsDir?: string, timeoutMs?: number}} [options]
	 */
	static async open(browser, n8n, options = {}) {
		const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'UTC' });
		// Generous: the machine has 2 cores and other n8n processes may be running.
		context.setDefaultTimeout(options.timeoutMs ?? 45_000);
		const page = await context.newPage();
		const editor = new Editor(page, n8n, options.screenshotsDir);
		await editor.signIn();
		return editor;
	}

	constructor(page, n8n, screenshotsDir) {
		this.page = page;
		this.n8n = n8n;
		this.screenshotsDir = screenshotsDir || null;
	}

	async close() {
		await this.page.context().close();
	}

	/** n8n's sign-in form, as a user meets it. */
	async signIn() {
		await this.page.goto(`${this.n8n.baseUrl}/signin`);
		await this.page.locator('input[name=emailOrLdapLoginId]').fill(OWNER.email);
		await this.page.locator('input[name=password]').fill(OWNER.password);
		await this.page.locator('[data-test-id=form-submit-button]').click();
		await this.page.waitForURL((url) => !url.pathname.includes('/signin'));
	}

	async newWorkflow() {
		await this.page.goto(`${this.n8n.baseUrl}/workflow/new`);
		await this.page.locator('[data-test-id=canvas-plus-button]').waitFor();
	}

	async openWorkflow(id) {
		await this.page.goto(`${this.n8n.baseUrl}/workflow/${id}`);
		await this.canvasNodes().first().waitFor();
	}

	canvasNodes() {
		return this.page.locator('[data-test-id=canvas-node]');
	}

	canvasNode(name) {
		return this.page.locator(`[data-test-id=canvas-node][data-node-name="${name}"]`);
	}

	async zoomToFit() {
		await this.page.locator('[data-test-id=zoom-to-fit]').click();
	}

	// ---- node creator -------------------------------------------------------------------------

	creator() {
		return this.page.locator('[data-test-id=node-creator]');
	}

	/** Opens the node creator: from the empty canvas, or from a node's "+" to add the next step. */
	async openCreator(afterNode) {
		if (afterNode) {
			// n8n 1.x shows a node's "+" only while the pointer is over the node.
			await this.canvasNode(afterNode).hover();
			await this.canvasNode(afterNode).locator('[data-test-id=canvas-handle-plus]').click();
		}
		else await this.page.locator('[data-test-id=canvas-plus-button]').click();
		await this.page.locator('[data-test-id=node-creator-search-bar]').waitFor();
	}

	async searchCreator(text) {
		await this.page.locator('[data-test-id=node-creator-search-bar]').fill(text);
	}

	creatorItem(name) {
		return this.creator().locator('[data-test-id=node-creator-item-name]').filter({ hasText: new RegExp(`^${escapeRegExp(name)}$`) });
	}

	/** The header ("Triggers (2)") and item names of a category of the app's panel, expanded. */
	async creatorCategory(category) {
		const header = this.creator()
			.locator('[data-test-id=node-creator-category-item]')
			.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(category)}`) });
		await header.waitFor();
		const group = header.locator('xpath=..');
		if ((await group.getAttribute('data-category-collapsed')) === 'true') await header.click();
		const items = group.locator('[data-test-id=node-creator-item-name]');
		await items.first().waitFor();
		return { header: (await header.innerText()).trim(), items: (await items.allInnerTexts()).map((t) => t.trim()) };
	}

	// ---- node details view (the panel) --------------------------------------------------------

	ndv() {
		return this.page.locator('[data-test-id=ndv]');
	}

	async openNode(name) {
		await this.canvasNode(name).dblclick();
		await this.ndv().locator('[data-test-id=node-parameters]').waitFor();
	}

	async closeNdv() {
		if (!(await this.ndv().locator('[data-test-id=node-parameters]').isVisible())) return;
		// 2.x has a close button in the panel header, 1.x a "Back to canvas" button.
		const close = this.page.locator('[data-test-id=ndv-close-button]:visible, [data-test-id=back-to-canvas]:visible').first();
		await close.click();
		await this.ndv().locator('[data-test-id=node-parameters]').waitFor({ state: 'hidden' });
	}

	param(name) {
		return this.ndv().locator(`[data-test-id=parameter-input-${name}]`);
	}

	/** Names of the parameters the panel shows, in order (n8n's settings tab excluded). */
	async visibleParameters() {
		return await this.ndv()
			.locator('[data-test-id=node-parameters] [data-test-id^=parameter-input-]:visible')
			.evaluateAll((elements) =>
				elements
					.map((element) => element.getAttribute('data-test-id').replace(/^parameter-input-/, ''))
					.filter((name) => !['field', 'item'].includes(name)),
			);
	}

	async fill(name, value) {
		const input = this.param(name).locator('input, textarea').first();
		await input.fill(value);
		await input.press('Tab');
	}

	/** Picks an option of an options parameter by its label. */
	async choose(name, label) {
		await this.param(name).click();
		const option = this.page
			.locator('[data-test-id=parameter-input-item]:visible')
			.filter({ hasText: new RegExp(`^\\s*${escapeRegExp(label)}`) })
			.first();
		await option.click();
		await option.waitFor({ state: 'hidden' });
	}

	async optionLabels(name) {
		await this.param(name).click();
		const options = this.page.locator('[data-test-id=parameter-input-item]:visible');
		await options.first().waitFor();
		const labels = await options.evaluateAll((elements) =>
			elements.map((element) => (element.querySelector('.option-headline') ?? element).textContent.trim()),
		);
		await this.page.keyboard.press('Escape');
		await options.first().waitFor({ state: 'hidden' });
		return labels;
	}

	async toggle(name) {
		await this.param(name).locator('.el-switch, [role=switch]').first().click();
	}

	/** Whether a boolean parameter's switch shows "on". */
	async isOn(name) {
		const control = this.param(name).locator('.el-switch, [role=switch]').first();
		const [checked, className] = await Promise.all([control.getAttribute('aria-checked'), control.getAttribute('class')]);
		return checked === 'true' || /\bis-checked\b/.test(className ?? '');
	}

	/** The notices (yellow boxes) the panel shows now. */
	async notices() {
		return (await this.ndv().locator('[data-test-id=node-parameters] .notice:visible').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
	}

	/** Clicks the panel's "Execute step" (for a trigger, it starts "Listen for test event"). */
	async executeStep() {
		await this.ndv().locator('[data-test-id=node-execute-button]').first().click();
	}

	output() {
		return this.ndv().locator('[data-test-id=output-panel]');
	}

	/** The output panel's text with runs of white space as one space (the JSON view breaks lines). */
	async outputText() {
		return (await this.output().innerText()).replace(/\s+/g, ' ');
	}

	/** Waits until the output panel shows every one of `texts` (the JSON view renders late in 1.x). */
	async outputContaining(...texts) {
		const deadline = Date.now() + 30_000;
		for (;;) {
			const text = await this.outputText().catch(() => '');
			if (texts.every((wanted) => text.includes(wanted))) return text;
			if (Date.now() > deadline) throw new Error(`the output panel does not show ${JSON.stringify(texts)}; it shows: ${text}`);
			await this.page.waitForTimeout(100);
		}
	}

	async showOutputAsJson() {
		await this.output().locator('[data-test-id=radio-button-json]').click();
	}

	async showOutputAsTable() {
		await this.output().locator('[data-test-id=radio-button-table]').click();
		await this.output().locator('[data-test-id=ndv-data-container] table').first().waitFor();
	}

	/**
	 * The output's table view as the user reads it: the column headers and each row's cells, all
	 * `count` items on one page (n8n shows 10 a page; its page size selector is set to fit them).
	 */
	async outputTable(count) {
		const pagination = this.output().locator('[data-test-id=ndv-data-pagination]');
		if (count > 10 && (await pagination.isVisible())) {
			await pagination.locator('.el-select, input').first().click();
			const size = [25, 50, 100].find((n) => n >= count) ?? 'All';
			await this.page.locator('.el-select-dropdown__item:visible').filter({ hasText: new RegExp(`^\\s*${size}\\s*$`) }).first().click();
		}
		const table = this.output().locator('[data-test-id=ndv-data-container] table').first();
		const rows = table.locator(':scope > tbody > tr');
		const deadline = Date.now() + 30_000;
		while ((await rows.count()) !== count) {
			if (Date.now() > deadline) throw new Error(`the table view shows ${await rows.count()} rows, not ${count}`);
			await this.page.waitForTimeout(100);
		}
		const clean = (texts) => texts.map((text) => text.replace(/\s+/g, ' ').trim());
		const headers = clean(await table.locator(':scope > thead > tr > th').allInnerTexts());
		const cells = [];
		for (const row of await rows.all()) cells.push(clean(await row.locator(':scope > td').allInnerTexts()));
		return { headers, rows: cells };
	}

	/**
	 * Drags the panel's middle (the parameters) to the left, as a user does to give the output more
	 * room (n8n 2.x; 1.x's panel does not follow this mouse drag).
	 */
	async widenOutput() {
		const handle = await this.ndv().locator('[data-test-id=panel-drag-button]').first().boundingBox();
		const before = (await this.output().boundingBox()).width;
		// Released over the input panel: a release outside the panel may close it.
		const input = await this.ndv().locator('[data-test-id=ndv-input-panel]').boundingBox();
		const y = handle.y + handle.height / 2;
		await this.page.mouse.move(handle.x + handle.width / 2, y);
		await this.page.mouse.down();
		await this.page.mouse.move(input.x + 10, y, { steps: 20 });
		await this.page.mouse.up();
		const deadline = Date.now() + 5_000;
		while ((await this.output().boundingBox()).width <= before) {
			if (Date.now() > deadline) throw new Error(`dragging the panel left did not widen the output (${before} px)`);
			await this.page.waitForTimeout(100);
		}
	}

	/**
	 * Waits for the error the output panel shows after a failed run, and reads it as the user sees
	 * it: message, description, and the item index n8n lists under "Other info" (null when the error
	 * belongs to no item).
	 */
	async errorPanel() {
		const message = this.output().locator('[data-test-id=node-error-message]');
		await message.waitFor();
		const description = this.output().locator('[data-test-id=node-error-description]');
		await this.output().getByText('Other info', { exact: true }).click();
		await this.output().getByText('n8n version', { exact: true }).waitFor();
		const itemLabel = this.output().getByText('Item Index', { exact: true });
		const itemIndex = (await itemLabel.count())
			? Number((await itemLabel.locator('xpath=following::*[normalize-space()][1]').innerText()).trim())
			: null;
		return {
			message: (await message.innerText()).trim(),
			description: (await description.count()) ? (await description.innerText()).replace(/\s+/g, ' ').trim() : '',
			itemIndex,
		};
	}

	/** The trigger's Webhook URLs section: Test and Production URL as the panel shows them. */
	async webhookUrls() {
		const section = this.ndv().getByText('Webhook URLs');
		const production = this.ndv().locator('[data-test-id=radio-button-production]');
		if (!(await production.isVisible())) await section.click();
		await production.click();
		const url = this.ndv().locator('.webhook-url');
		await expectText(url, /\/webhook\//);
		const productionUrl = (await url.innerText()).trim();
		await this.ndv().locator('[data-test-id=radio-button-test]').click();
		await expectText(url, /\/webhook-test\//);
		const testUrl = (await url.innerText()).trim();
		return { productionUrl, testUrl, show: (which) => this.ndv().locator(`[data-test-id=radio-button-${which}]`).click() };
	}

	// ---- credentials --------------------------------------------------------------------------

	credentialDialog() {
		return this.page.locator('[data-test-id=credential-edit-dialog]');
	}

	/** From the open panel: Credential → "Create new credential", with these values. */
	async createCredential({ apiKey, baseUrl }) {
		await this.ndv().locator('[data-test-id=node-credentials-select]').click();
		await this.page.locator('[data-test-id=node-credentials-select-item-new]').click();
		await this.credentialDialog().waitFor();
		await this.fillCredential({ apiKey, baseUrl });
	}

	async fillCredential({ apiKey, baseUrl }) {
		const dialog = this.credentialDialog();
		if (apiKey !== undefined) await dialog.locator('[data-test-id=parameter-input-apiKey] input').fill(apiKey);
		if (baseUrl !== undefined) await dialog.locator('[data-test-id=parameter-input-baseUrl] input').fill(baseUrl);
	}

	/**
	 * Saves the open credential; n8n tests it on save. Resolves with n8n's test answer and what the
	 * dialog shows. n8n 2.x closes the dialog after a successful save before the result is seen:
	 * then the credential is opened again from the panel, where n8n tests it anew and shows it.
	 */
	async saveCredential() {
		const tested = this.page.waitForResponse((response) => response.url().includes('/rest/credentials/test'));
		await this.page.locator('[data-test-id=credential-save-button]').click();
		const answer = await (await tested).json();
		const dialog = this.credentialDialog();
		const success = dialog.locator('[data-test-id=credentials-config-container-test-success]');
		const failure = dialog.getByText(/Couldn.t connect with these settings/);
		await Promise.race([
			success.waitFor().catch(() => {}),
			failure.waitFor().catch(() => {}),
			dialog.waitFor({ state: 'hidden' }).catch(() => {}),
		]);
		let reopened = false;
		if (!(await dialog.isVisible())) {
			reopened = true;
			await this.ndv().locator('[data-test-id=credential-edit-button]').click();
			await dialog.waitFor();
			await Promise.race([success.waitFor(), failure.waitFor()]);
		}
		let shown = (await success.isVisible()) ? 'success' : (await failure.isVisible()) ? 'failure' : 'nothing';
		let details = '';
		if (shown === 'failure') {
			await dialog.getByText('More details').click();
			await dialog.getByText('More details').waitFor({ state: 'hidden' });
			// The banner and its details come before the first field of the form.
			const text = (await dialog.innerText()).replace(/\s+/g, ' ');
			details = text.slice(text.search(/Couldn.t connect/), text.indexOf('API Key')).trim();
		}
		return { status: answer.data?.status, message: answer.data?.message, shown, details, reopened };
	}

	async closeCredential() {
		await this.page.keyboard.press('Escape');
		await this.credentialDialog().waitFor({ state: 'hidden' });
	}

	/** The modal around the credential form, for a screenshot. */
	credentialModal() {
		return this.page.locator('.el-dialog').filter({ has: this.credentialDialog() });
	}

	// ---- screenshots --------------------------------------------------------------------------

	/**
	 * Saves a PNG of `target` (a locator, or the whole page) as `<screenshotsDir>/<name>.png` when a
	 * screenshots folder was given; does nothing in plain test runs.
	 */
	async shot(name, target) {
		if (!this.screenshotsDir) return;
		fs.mkdirSync(this.screenshotsDir, { recursive: true });
		await this.page.mouse.move(0, VIEWPORT.height - 1);
		await this.page.waitForTimeout(600); // panels and notifications animate in
		await this.hideToasts();
		const file = path.join(this.screenshotsDir, `${name}.png`);
		if (target) await target.screenshot({ path: file, animations: 'disabled' });
		else await this.page.screenshot({ path: file, animations: 'disabled' });
	}

	/** Closes n8n's notifications ("Node executed successfully", …) so they do not cover a picture. */
	async hideToasts() {
		const toasts = this.page.locator('.el-notification:visible');
		for (let i = await toasts.count(); i > 0; i--) {
			await toasts.first().locator('.el-notification__closeBtn').click().catch(() => {});
		}
		await toasts.first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
	}
}

async function expectText(locator, pattern, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const text = await locator.innerText().catch(() => '');
		if (pattern.test(text)) return text;
		if (Date.now() > deadline) throw new Error(`expected ${pattern} in "${text}"`);
		await locator.page().waitForTimeout(100);
	}
}

function escapeRegExp(text) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

module.exports = { launchBrowser, Editor, CHROMIUM_FLAGS, VIEWPORT };
