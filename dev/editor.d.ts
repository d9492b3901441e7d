import type { Browser, Locator, Page } from 'playwright-core';

export const CHROMIUM_FLAGS: string[];
export const VIEWPORT: { width: number; height: number };

export function launchBrowser(): Promise<Browser>;

export interface CredentialTestShown {
	/** n8n's answer to the test it runs on save: 'OK' or 'Error'. */
	status: string | undefined;
	message: string | undefined;
	/** What the dialog shows. */
	shown: 'success' | 'failure' | 'nothing';
	/** The failure banner with "More details" open. */
	details: string;
	/** Whether the dialog had closed on save and was opened again to see the result (n8n 2.x). */
	reopened: boolean;
}

export class Editor {
	static open(browser: Browser, n8n: { baseUrl: string }, options?: { screenshotsDir?: string; timeoutMs?: number }): Promise<Editor>;
	readonly page: Page;
	close(): Promise<void>;
	signIn(): Promise<void>;
	newWorkflow(): Promise<void>;
	openWorkflow(id: string): Promise<void>;
	canvasNodes(): Locator;
	canvasNode(name: string): Locator;
	zoomToFit(): Promise<void>;

	creator(): Locator;
	openCreator(afterNode?: string): Promise<void>;
	searchCreator(text: string): Promise<void>;
	creatorItem(name: string): Locator;
	creatorCategory(category: string): Promise<{ header: string; items: string[] }>;

	ndv(): Locator;
	openNode(name: string): Promise<void>;
	closeNdv(): Promise<void>;
	param(name: string): Locator;
	visibleParameters(): Promise<string[]>;
	fill(name: string, value: string): Promise<void>;
	choose(name: string, label: string): Promise<void>;
	optionLabels(name: string): Promise<string[]>;
	toggle(name: string): Promise<void>;
	isOn(name: string): Promise<boolean>;
	notices(): Promise<string[]>;
	executeStep(): Promise<void>;
	output(): Locator;
	outputText(): Promise<string>;
	outputContaining(...texts: string[]): Promise<string>;
	showOutputAsJson(): Promise<void>;
	showOutputAsTable(): Promise<void>;
	outputTable(count: number): Promise<{ headers: string[]; rows: string[][] }>;
	widenOutput(): Promise<void>;
	errorPanel(): Promise<{ message: string; description: string; itemIndex: number | null }>;
	webhookUrls(): Promise<{ productionUrl: string; testUrl: string; show(which: 'test' | 'production'): Promise<void> }>;

	credentialDialog(): Locator;
	createCredential(values: { apiKey?: string; baseUrl?: string }): Promise<void>;
	fillCredential(values: { apiKey?: string; baseUrl?: string }): Promise<void>;
	saveCredential(): Promise<CredentialTestShown>;
	closeCredential(): Promise<void>;
	credentialModal(): Locator;

	shot(name: string, target?: Locator): Promise<void>;
	hideToasts(): Promise<void>;
}
