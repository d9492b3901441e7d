// Runs a small workflow through n8n-core's real WorkflowExecute: parameters are resolved, the
// credential's declared authentication is applied and HTTP requests really leave the process (to
// the loopback sandbox). Only the credential store is stood in for: it hands out the given data.

import { randomUUID } from 'node:crypto';

import { ExecutionLifecycleHooks, LoadOptionsContext, WebhookContext, WorkflowExecute } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
	ICredentialsHelper,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { FarmProfileApi } from '../../credentials/FarmProfileApi.credentials';
import { FarmProfileStorageApi } from '../../credentials/FarmProfileStorageApi.credentials';
import { FarmProfile } from '../../nodes/FarmProfile/FarmProfile.node';
import { recordingResponse } from './webhookResponse';

/** Emits the items it is given: the start of every test workflow. */
class TestItems implements INodeType {
	description = {
		displayName: 'Test Items',
		name: 'testItems',
		group: ['input' as const],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Items' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Items', name: 'items', type: 'json' as const, default: '[]' },
			{ displayName: 'Binaries', name: 'binaries', type: 'json' as const, default: '[]' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		const binaries = JSON.parse(this.getNodeParameter('binaries', 0, '[]') as string) as Array<INodeExecutionData['binary']>;
		return [items.map((json, index) => (binaries[index] ? { json, binary: binaries[index] } : { json }))];
	}
}

const credentialTypes: Record<string, ICredentialType> = { farmProfileApi: new FarmProfileApi(), farmProfileStorageApi: new FarmProfileStorageApi() };

class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly data: ICredentialDataDecryptedObject,
		private readonly byType: Record<string, ICredentialDataDecryptedObject> = {},
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	// As n8n's own CredentialsHelper does for generic auth: resolve each declared property as an
	// expression with $credentials, then merge it into the request.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const authenticate = credentialTypes[typeName].authenticate;
		// As n8n does for a credential whose authenticate is a function: it signs the request itself.
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (typeof authenticate !== 'object' || !workflow || !node) return requestOptions;
		const headers = { ...(requestOptions.headers ?? {}) } as IDataObject;
		for (const [name, expression] of Object.entries(authenticate.properties.headers ?? {})) {
			headers[name] = workflow.expression.getSimpleParameterValue(
				node,
				expression as string,
				'internal',
				{ $credentials: credentials },
				undefined,
				'',
			) as string;
		}
		return { ...requestOptions, headers };
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used by these tests');
	}

	async getDecrypted(_additionalData: unknown, _nodeCredentials: unknown, type: string): Promise<ICredentialDataDecryptedObject> {
		return { ...(this.byType[type] ?? this.data) };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type: string) {
		return credentialTypes[type].properties;
	}
}

const nodeTypeList: Record<string, INodeType> = {
	'n8n-nodes-farm-profile.farmProfile': new FarmProfile(),
	'test.testItems': new TestItems(),
};

const nodeTypes: INodeTypes = {
	getByName: (name) => nodeTypeList[name],
	getByNameAndVersion: (name) => nodeTypeList[name],
	getKnownTypes: () => ({}),
};

/**
 * The credential's own test request with its expressions resolved by n8n's expression engine, and
 * its declared authentication applied: what n8n sends when the user clicks "Test".
 */
export async function resolveCredentialTest(data: ICredentialDataDecryptedObject, typeName = 'farmProfileApi'): Promise<IHttpRequestOptions> {
	const type = credentialTypes[typeName];
	const workflow = new Workflow({ nodes: [], connections: {}, active: false, nodeTypes });
	const node = { id: 'cred', name: 'Credential test', type: 'test.testItems', typeVersion: 1, position: [0, 0], parameters: {} } as INode;
	const resolve = (value: unknown) =>
		workflow.expression.getSimpleParameterValue(node, value as string, 'internal', { $credentials: data }, undefined, '');
	const request = type.test!.request;
	const options: IHttpRequestOptions = {
		method: request.method ?? 'GET',
		url: resolve(request.url) as string,
		qs: request.qs,
	};
	return await new TestCredentialsHelper(data).authenticate(data, typeName, options, workflow, node);
}

/**
 * Options that switch off pacing and the posting guards, for tests about something else (what is
 * sent, what comes back): each of those has its own tests with them on.
 */
export const ONLY_THE_POST = { requestsPerMinute: 0, preflight: false, maxPostsPerDay: 0, duplicateWindowHours: 0 };

export interface RunOptions {
	items: IDataObject[];
	parameters: IDataObject;
	credentials: ICredentialDataDecryptedObject;
	/** The storage credential's data (Media Source: Binary File). */
	storageCredentials?: ICredentialDataDecryptedObject;
	/** Binary data of each item, by position, as n8n holds it (e.g. from binaryFile()). */
	binaries?: Array<INodeExecutionData['binary']>;
	continueOnFail?: boolean;
	timezone?: string;
	/** Further node settings, e.g. { retryOnFail: true, maxTries: 3 }. */
	nodeSettings?: Partial<INode>;
	/** The workflow's static data; pass the same object to several runs to play production executions. */
	staticData?: IDataObject;
	/** How the execution was started: 'manual' (the editor, the default) or e.g. 'trigger' (a production run). */
	mode?: WorkflowExecuteMode;
}

export interface RunResult {
	run: IRun;
	/** The farm node's output items (json), when it succeeded or continued on fail. */
	output: IDataObject[];
	/** The error the node ended with, if any. */
	error?: { message: string; description?: string | null; httpCode?: string | null; context?: IDataObject };
	/** What a waiting run is resumed with. */
	resume: { workflow: Workflow; additionalData: IWorkflowExecuteAdditionalData };
}

const FARM_CREDENTIAL = { farmProfileApi: { id: '1', name: 'Farm Profile API' } };

/** The Farm Profile node of every test workflow (version 1, as saved workflows have it, unless `settings` say otherwise). */
function farmNode(parameters: INodeParameters, settings: Partial<INode> = {}): INode {
	return {
		id: 'farm',
		name: 'Farm Profile',
		type: 'n8n-nodes-farm-profile.farmProfile',
		typeVersion: 1,
		position: [200, 0],
		parameters,
		credentials: FARM_CREDENTIAL,
		...settings,
	};
}

export async function runFarmProfileNode(options: RunOptions): Promise<RunResult> {
	const nodes: INode[] = [
		{
			id: 'items',
			name: 'Items',
			type: 'test.testItems',
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: JSON.stringify(options.items), binaries: JSON.stringify(options.binaries ?? []) },
		},
		farmNode(options.parameters as INodeParameters, {
			...(options.storageCredentials ? { credentials: { ...FARM_CREDENTIAL, farmProfileStorageApi: { id: '2', name: 'Farm Storage' } } } : {}),
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			...options.nodeSettings,
		}),
	];
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'test',
		nodes,
		connections: { Items: { main: [[{ node: 'Farm Profile', type: NodeConnectionTypes.Main, index: 0 }]] } },
		active: false,
		nodeTypes,
		settings: { timezone: options.timezone ?? 'UTC' },
		staticData: options.staticData,
	});

	const executionId = randomUUID();
	const mode = options.mode ?? 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, executionId, {
		id: 'test-workflow',
		name: 'test',
		nodes,
		connections: workflow.connectionsBySourceNode,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		settings: {},
	} as never);
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(options.credentials, options.storageCredentials ? { farmProfileStorageApi: options.storageCredentials } : {}),
		hooks,
		executionId,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		variables: {},
		logAiEvent: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;

	const run = await new WorkflowExecute(additionalData, mode).run({
		workflow,
		startNode: workflow.getNode('Items')!,
	});
	return summarise(run, { workflow, additionalData });
}

function summarise(run: IRun, resume: RunResult['resume']): RunResult {
	const task = run.data.resultData.runData['Farm Profile']?.at(-1);
	const output = (task?.data?.main?.[0] ?? []).map((item) => item.json);
	const error = (task?.error ?? run.data.resultData.error) as RunResult['error'];
	return { run, output, error, resume };
}

/** A waiting execution as n8n saves it and reads it back (its serializer keeps shared references too). */
const stored = (waiting: RunResult) => structuredClone(waiting.run.data);

/** n8n's resume of a waiting execution whose time ran out: its wait tracker restarts the stored run. */
export async function resumeAfterTimeout(waiting: RunResult): Promise<RunResult> {
	const { workflow, additionalData } = waiting.resume;
	const run = await new WorkflowExecute(additionalData, 'manual', stored(waiting)).processRunExecutionData(workflow);
	return summarise(run, waiting.resume);
}

export interface ResumeCall {
	webhook: IWebhookResponseData;
	response: ReturnType<typeof recordingResponse>['response'];
	/** The resumed run, when the call resumed it. */
	resumed?: RunResult;
}

/**
 * n8n's resume on a call to the signed resume URL, once it has checked the signature: as its waiting
 * webhooks do, the node is disabled, its webhook method runs in a real webhook context over the
 * stored execution, and what that returns becomes the node's output.
 */
export async function resumeWithCall(waiting: RunResult, call: { body: unknown; query: IDataObject }): Promise<ResumeCall> {
	const { workflow, additionalData } = waiting.resume;
	const data = stored(waiting);
	const entry = data.executionData!.nodeExecutionStack[0];
	entry.node.disabled = true;
	data.waitTill = undefined;
	data.resultData.runData['Farm Profile'].pop();

	const node = workflow.getNode('Farm Profile')!;
	const farm = new FarmProfile();
	const webhookData: IWebhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: node.id,
		webhookDescription: farm.description.webhooks![0],
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
	};
	const { res, response } = recordingResponse();
	const request = { body: call.body, query: call.query, headers: {} };
	const context = new WebhookContext(
		workflow,
		node,
		{ ...additionalData, httpRequest: request, httpResponse: res } as unknown as IWorkflowExecuteAdditionalData,
		'webhook',
		webhookData,
		[],
		data,
	);
	const webhook = await farm.webhook.call(context);
	if (!webhook.workflowData) return { webhook, response };
	entry.data.main = webhook.workflowData;
	entry.metadata = { ...entry.metadata, forwardAllOutputs: true };
	const run = await new WorkflowExecute(additionalData, 'manual', data).processRunExecutionData(workflow);
	return { webhook, response, resumed: summarise(run, waiting.resume) };
}

/**
 * Sound ID "From List" as n8n's editor back end asks for it: the node's list search called in a real
 * n8n-core LoadOptionsContext, with the node's current parameters (version 2).
 */
export async function searchSoundsInN8n(options: { credentials: ICredentialDataDecryptedObject; filter?: string; paginationToken?: string; parameters?: IDataObject }): Promise<INodeListSearchResult> {
	const parameters = (options.parameters ?? { resource: 'post', operation: 'post' }) as INodeParameters;
	const node = farmNode(parameters, { typeVersion: 2 });
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = { credentialsHelper: new TestCredentialsHelper(options.credentials), currentNodeParameters: parameters } as unknown as IWorkflowExecuteAdditionalData;
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters.soundId');
	return await new FarmProfile().methods.listSearch.searchSounds.call(context, options.filter, options.paginationToken);
}

/** A file as n8n holds binary data in its default (memory) mode: base64 in the item. */
export function binaryFile(data: Buffer, fileName: string, mimeType: string) {
	return { data: data.toString('base64'), mimeType, fileName, fileSize: String(data.length) };
}
