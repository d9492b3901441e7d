'use strict';
// Workflows and the credential the end-to-end tests import into real n8n.

const CREDENTIAL_ID = 'farmCredE2e00001';
const NODE = 'n8n-nodes-farm-profile.farmProfile';
const TRIGGER = 'n8n-nodes-farm-profile.farmProfileTrigger';

function credential({ baseUrl, apiKey, id = CREDENTIAL_ID, name = 'Farm Profile API (sandbox)' }) {
	return { id, name, type: 'farmProfileApi', data: { apiKey, baseUrl } };
}

function workflow(id, name, nodes, connections) {
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

const manualTrigger = {
	id: 'manual',
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function farmNode(parameters, extra = {}, credentialId = CREDENTIAL_ID) {
	return {
		id: 'farm',
		name: 'Farm Profile',
		type: NODE,
		typeVersion: 1,
		position: [240, 0],
		parameters: { operation: 'post', ...parameters },
		credentials: { farmProfileApi: { id: credentialId, name: 'Farm Profile API (sandbox)' } },
		...extra,
	};
}

/** Manual start → Farm Profile with the given parameters. */
function postWorkflow(id, parameters) {
	return workflow(id, `Post ${id}`, [manualTrigger, farmNode(parameters)], {
		Start: { main: [[{ node: 'Farm Profile', type: 'main', index: 0 }]] },
	});
}

/** Manual start → Code making `count` items {n} → Farm Profile: a batch, as a generator would feed it. */
function batchPostWorkflow(id, count, parameters, credentialId) {
	const code = {
		id: 'batch',
		name: 'Make items',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [120, 0],
		parameters: { jsCode: `return Array.from({ length: ${count} }, (_, n) => ({ json: { n } }));` },
	};
	return workflow(id, `Batch ${id}`, [manualTrigger, code, farmNode(parameters, {}, credentialId)], {
		Start: { main: [[{ node: 'Make items', type: 'main', index: 0 }]] },
		'Make items': { main: [[{ node: 'Farm Profile', type: 'main', index: 0 }]] },
	});
}

/** Webhook start → Farm Profile: lets a test make a post through the running server. */
function postOnWebhookWorkflow(id, webhookId, parameters) {
	const webhook = {
		id: 'start-webhook',
		name: 'Start Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId,
		parameters: { httpMethod: 'POST', path: webhookId, responseMode: 'lastNode', options: {} },
	};
	return workflow(id, `Post on webhook ${id}`, [webhook, farmNode(parameters)], {
		'Start Webhook': { main: [[{ node: 'Farm Profile', type: 'main', index: 0 }]] },
	});
}

/** Farm Profile Trigger → HTTP Request that records what the trigger emitted at `recordUrl`. */
function triggerWorkflow(id, webhookId, { secretToken = '', recordUrl }) {
	const trigger = {
		id: 'trigger',
		name: 'Farm Profile Trigger',
		type: TRIGGER,
		typeVersion: 1,
		position: [0, 0],
		webhookId,
		parameters: { events: ['post.published'], secretToken },
	};
	const record = {
		id: 'record',
		name: 'Record',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [240, 0],
		parameters: {
			method: 'POST',
			url: recordUrl,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '={{ JSON.stringify($json) }}',
			options: {},
		},
	};
	return workflow(id, `Trigger ${id}`, [trigger, record], {
		'Farm Profile Trigger': { main: [[{ node: 'Record', type: 'main', index: 0 }]] },
	});
}

module.exports = { CREDENTIAL_ID, credential, postWorkflow, batchPostWorkflow, postOnWebhookWorkflow, triggerWorkflow };
