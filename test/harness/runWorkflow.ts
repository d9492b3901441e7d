// Runs a small workflow through n8n-core's real WorkflowExecute: parameters are resolved, the
// credential's declared authentication is applied and HTTP requests really leave the process (to
// the loopback sandbox). Only the credential store is stood in for: it hands out the given data.

import { randomUUID } from 'node:crypto';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWorkflowExecuteAdditionalData,
	ICredentialsHelper,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { FarmProfileApi } from '../../credentials/FarmProfileApi.credentials';
import { FarmProfile } from '../../nodes/FarmProfile/FarmProfile.node';

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
		properties: [{ displayName: 'Items', name: 'items', type: 'json' as const, default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		return [items.map((json) => ({ json }))];
	}
}

const credentialTypes: Record<string, ICredentialType> = { farmProfileApi: new FarmProfileApi() };

class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: ICredentialDataDecryptedObject) {
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

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		return { ...this.data };
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
export async function resolveCredentialTest(data: ICredentialDataDecryptedObject): Promise<IHttpRequestOptions> {
	const type = credentialTypes.farmProfileApi;
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
	return await new TestCredentialsHelper(data).authenticate(data, 'farmProfileApi', options, workflow, node);
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
	continueOnFail?: boolean;
	timezone?: string;
	/** Further node settings, e.g. { retryOnFail: true, maxTries: 3 }. */
	nodeSettings?: Partial<INode>;
	/** The workflow's static data; pass the same object to several runs to play production executions. */
	staticData?: IDataObject;
}

export interface RunResult {
	run: IRun;
	/** The farm node's output items (json), when it succeeded or continued on fail. */
	output: IDataObject[];
	/** The error the node ended with, if any. */
	error?: { message: string; description?: string | null; httpCode?: string | null; context?: IDataObject };
}

export async function runFarmProfileNode(options: RunOptions): Promise<RunResult> {
	const nodes: INode[] = [
		{
			id: 'items',
			name: 'Items',
			type: 'test.testItems',
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: JSON.stringify(options.items) },
		},
		{
			id: 'farm',
			name: 'Farm Profile',
			type: 'n8n-nodes-farm-profile.farmProfile',
			typeVersion: 1,
			position: [200, 0],
			parameters: options.parameters as INodeParameters,
			credentials: { farmProfileApi: { id: '1', name: 'Farm Profile API' } },
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			...options.nodeSettings,
		},
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
	const hooks = new ExecutionLifecycleHooks('manual', executionId, {
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
		credentialsHelper: new TestCredentialsHelper(options.credentials),
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

	const run = await new WorkflowExecute(additionalData, 'manual').run({
		workflow,
		startNode: workflow.getNode('Items')!,
	});
	const task = run.data.resultData.runData['Farm Profile']?.[0];
	const output = (task?.data?.main?.[0] ?? []).map((item) => item.json);
	const error = (task?.error ?? run.data.resultData.error) as RunResult['error'];
	return { run, output, error };
}
