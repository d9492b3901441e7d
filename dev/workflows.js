'use strict';
// Workflows and the credential the end-to-end tests import into real n8n.

const CREDENTIAL_ID = 'farmCredE2e00001';
const NODE = 'n8n-nodes-farm-profile.farmProfile';
const TRIGGER = 'n8n-nodes-farm-profile.farmProfileTrigger';
// What n8n makes of the node for AI agents (usableAsTool), and n8n's own MCP server node.
const TOOL = 'n8n-nodes-farm-profile.farmProfileTool';
const MCP_TRIGGER = '@n8n/n8n-nodes-langchain.mcpTrigger';

function credential({ baseUrl, apiKey, id = CREDENTIAL_ID, name = 'Farm Profile API (sandbox)' }) {
	return { id, name, type: 'farmProfileApi', data: { apiKey, baseUrl } };
}

function workflow(id, name, nodes, connections) {
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

/** A workflow node; `x` places it on the canvas, left to right. */
function node(name, type, typeVersion, x, parameters, extra = {}) {
	return { id: name.toLowerCase().replace(/\W+/g, '-'), name, type, typeVersion, position: [x, 0], parameters, ...extra };
}

const manualTrigger = node('Start', 'n8n-nodes-base.manualTrigger', 1, 0, {});

function farmNode(parameters, extra = {}, credentialId = CREDENTIAL_ID) {
	return node('Farm Profile', NODE, 1, 240, { operation: 'post', ...parameters }, {
		credentials: { farmProfileApi: { id: credentialId, name: 'Farm Profile API (sandbox)' } },
		...extra,
	});
}

/** Manual start → Farm Profile with the given parameters. */
function postWorkflow(id, parameters) {
	return workflow(id, `Post ${id}`, [manualTrigger, farmNode(parameters)], {
		Start: { main: [[{ node: 'Farm Profile', type: 'main', index: 0 }]] },
	});
}

/** Manual start → Code making `count` items {n} → Farm Profile: a batch, as a generator would feed it. */
function batchPostWorkflow(id, count, parameters, credentialId) {
	const code = node('Make items', 'n8n-nodes-base.code', 2, 120, {
		jsCode: `return Array.from({ length: ${count} }, (_, n) => ({ json: { n } }));`,
	});
	return workflow(id, `Batch ${id}`, [manualTrigger, code, farmNode(parameters, {}, credentialId)], {
		Start: { main: [[{ node: 'Make items', type: 'main', index: 0 }]] },
		'Make items': { main: [[{ node: 'Farm Profile', type: 'main', index: 0 }]] },
	});
}

/** Webhook start → Farm Profile: lets a test make a post through the running server. */
function postOnWebhookWorkflow(id, webhookId, parameters, credentialId = CREDENTIAL_ID) {
	const webhook = node(
		'Start Webhook',
		'n8n-nodes-base.webhook',
		2,
		0,
		{ httpMethod: 'POST', path: webhookId, responseMode: 'lastNode', options: {} },
		{ webhookId },
	);
	return workflow(id, `Post on webhook ${id}`, [webhook, farmNode(parameters, {}, credentialId)], {
		'Start Webhook': { main: [[{ node: 'Farm Profile', type: 'main', index: 0 }]] },
	});
}

/**
 * Webhook start ({count, from, start}) → Code making `count` items {n, start} → Farm Profile; answers
 * with every output item. A generator's batch through the running server.
 */
function batchOnWebhookWorkflow(id, webhookId, parameters, credentialId = CREDENTIAL_ID) {
	const webhook = node(
		'Start Webhook',
		'n8n-nodes-base.webhook',
		2,
		0,
		{ httpMethod: 'POST', path: webhookId, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
		{ webhookId },
	);
	const code = node('Make items', 'n8n-nodes-base.code', 2, 120, {
		jsCode: 'const { count, from, start } = $input.first().json.body;\nreturn Array.from({ length: count }, (_, i) => ({ json: { n: from + i, start } }));',
	});
	return workflow(id, `Batch on webhook ${id}`, [webhook, code, farmNode(parameters, {}, credentialId)], {
		'Start Webhook': { main: [[{ node: 'Make items', type: 'main', index: 0 }]] },
		'Make items': { main: [[{ node: 'Farm Profile', type: 'main', index: 0 }]] },
	});
}

/** Webhook start → Farm Profile "Post and Wait for Publish" → HTTP Request recording what it resumed with. */
function postAndWaitWorkflow(id, webhookId, parameters, recordUrl) {
	const start = node('Start Webhook', 'n8n-nodes-base.webhook', 2, 0, { httpMethod: 'POST', path: webhookId, options: {} }, { webhookId });
	const farm = farmNode({ ...parameters, operation: 'sendAndWait' });
	const record = recordNode(recordUrl);
	return workflow(id, `Post and wait ${id}`, [start, farm, record], {
		'Start Webhook': { main: [[{ node: 'Farm Profile', type: 'main', index: 0 }]] },
		'Farm Profile': { main: [[{ node: 'Record', type: 'main', index: 0 }]] },
	});
}

function recordNode(recordUrl) {
	return node('Record', 'n8n-nodes-base.httpRequest', 4.2, 480, {
		method: 'POST',
		url: recordUrl,
		sendBody: true,
		specifyBody: 'json',
		jsonBody: '={{ JSON.stringify($json) }}',
		options: {},
	});
}

/** Farm Profile Trigger → HTTP Request that records what the trigger emitted at `recordUrl`. */
function triggerWorkflow(id, webhookId, { secretToken = '', recordUrl }) {
	const trigger = node('Farm Profile Trigger', TRIGGER, 1, 0, { events: ['post.published'], secretToken }, { webhookId });
	const record = recordNode(recordUrl);
	return workflow(id, `Trigger ${id}`, [trigger, record], {
		'Farm Profile Trigger': { main: [[{ node: 'Record', type: 'main', index: 0 }]] },
	});
}

/**
 * MCP Server Trigger (no authentication, at /mcp/<path> once active) ← Farm Profile Tool: the node as
 * an AI agent's tool, which any MCP client can list and call. `$fromAI(…)` in `parameters` are the
 * inputs the caller chooses.
 */
function mcpToolWorkflow(id, path, parameters, credentialId = CREDENTIAL_ID) {
	const trigger = node('MCP Server Trigger', MCP_TRIGGER, 2, 0, { authentication: 'none', path }, { webhookId: path });
	const tool = { ...farmNode(parameters, {}, credentialId), type: TOOL };
	return workflow(id, `MCP tool ${id}`, [trigger, tool], {
		'Farm Profile': { ai_tool: [[{ node: 'MCP Server Trigger', type: 'ai_tool', index: 0 }]] },
	});
}

const STORAGE_CREDENTIAL_ID = 'farmStorageE2e001';

/** A Farm Profile Storage (S3-Compatible) credential; `data` holds its fields (endpoint, region, bucket, keys, …). */
function storageCredential(data, { id = STORAGE_CREDENTIAL_ID, name = 'Farm Storage (test S3)' } = {}) {
	return { id, name, type: 'farmProfileStorageApi', data: { sessionToken: '', forcePathStyle: false, pathPrefix: '', publicBaseUrl: '', ...data } };
}

/**
 * Manual start → Code making one item per URL → HTTP Request downloading each (Response Format:
 * File, into `data`) → with several URLs, Aggregate (all item data, Include Binaries: the files
 * become data, data_1, … on one item) → Farm Profile with Media Source "Binary File".
 * The way a user gets files from the web onto a post.
 */
function downloadAndPostWorkflow(id, { urls, parameters, credentialId = CREDENTIAL_ID, storageCredentialId = STORAGE_CREDENTIAL_ID }) {
	const code = node('Files to get', 'n8n-nodes-base.code', 2, 120, {
		jsCode: `return ${JSON.stringify(urls)}.map((url) => ({ json: { url } }));`,
	});
	const download = node('Download', 'n8n-nodes-base.httpRequest', 4.2, 240, {
		url: '={{ $json.url }}',
		options: { response: { response: { responseFormat: 'file', outputPropertyName: 'data' } } },
	});
	const aggregate = node('Aggregate', 'n8n-nodes-base.aggregate', 1, 360, {
		aggregate: 'aggregateAllItemData',
		destinationFieldName: 'files',
		options: { includeBinaries: true },
	});
	const farm = node('Farm Profile', NODE, 1, 480, { operation: 'post', mediaSource: 'binaryFile', ...parameters }, {
		credentials: {
			farmProfileApi: { id: credentialId, name: 'Farm Profile API (sandbox)' },
			farmProfileStorageApi: { id: storageCredentialId, name: 'Farm Storage (test S3)' },
		},
	});
	const several = urls.length > 1;
	const connections = {
		Start: { main: [[{ node: 'Files to get', type: 'main', index: 0 }]] },
		'Files to get': { main: [[{ node: 'Download', type: 'main', index: 0 }]] },
		Download: { main: [[{ node: several ? 'Aggregate' : 'Farm Profile', type: 'main', index: 0 }]] },
	};
	if (several) connections.Aggregate = { main: [[{ node: 'Farm Profile', type: 'main', index: 0 }]] };
	return workflow(id, `Download and post ${id}`, [manualTrigger, code, download, ...(several ? [aggregate] : []), farm], connections);
}

module.exports = {
	CREDENTIAL_ID,
	STORAGE_CREDENTIAL_ID,
	NODE,
	workflow,
	node,
	credential,
	storageCredential,
	postWorkflow,
	batchPostWorkflow,
	postOnWebhookWorkflow,
	batchOnWebhookWorkflow,
	postAndWaitWorkflow,
	triggerWorkflow,
	mcpToolWorkflow,
	downloadAndPostWorkflow,
};
