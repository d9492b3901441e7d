import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { nothingToRegister } from '../shared/webhookRegistration';
import { postFields } from './actions/fields';
import { executePost } from './actions/post.operation';
import { executePostAndWait } from './actions/postAndWait.operation';
import { postAndWaitWebhook } from './actions/postAndWait.webhook';

// Runs its own code rather than n8n's declarative routing: the routing engine sends items in
// parallel and cannot hold one path of checks, pacing and error mapping (README, "Architecture").
const operations: Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>> = {
	post: executePost,
	sendAndWait: executePostAndWait,
};

// n8n adds "Custom API Call" to the Operation list of every node whose credential has generic
// authentication, and shows a notice pointing to the HTTP Request node; the node itself has no such
// operation. Running it says where that call is made instead.
const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

function customApiCallError(this: IExecuteFunctions): NodeOperationError {
	return new NodeOperationError(this.getNode(), 'Custom API Call is made with the HTTP Request node, not with Farm Profile', {
		description:
			'Add an HTTP Request node and set Authentication to "Predefined Credential Type" and Credential Type to "Farm Profile API": n8n sends your API key as X-API-Key. Give it the full URL (your Base URL followed by the /v1/… path). To post, choose "Post to Farm Profile" or "Post and Wait for Publish" in Operation. Nothing was sent to the farm API.',
	});
}

export class FarmProfile implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Farm Profile',
		name: 'farmProfile',
		icon: { light: 'file:farmProfile.svg', dark: 'file:farmProfile.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{$parameter["operation"] === "sendAndWait" ? "Post and Wait for Publish" : $parameter["operation"] === "post" ? "Post to Farm Profile" : "Custom API Call"}}',
		description: 'Post TikTok videos and slideshows from warmed-up farm profiles',
		defaults: { name: 'Farm Profile' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'farmProfileApi', required: true }],
		// Where the farm's callback resumes a waiting "Post and Wait for Publish" execution.
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: '',
				path: '={{ $nodeId }}',
				restartWebhook: true,
				isFullPath: true,
			},
		],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'post',
				options: [
					{
						name: 'Post to Farm Profile',
						value: 'post',
						action: 'Post to a farm profile',
						description:
							'Queue a video or slideshow on the profile\'s phone; the answer comes at once, the post goes out minutes later',
					},
					{
						name: 'Post and Wait for Publish',
						value: 'sendAndWait',
						action: 'Post to a farm profile and wait until it is live',
						description:
							'Post, then pause this execution until the post is live on TikTok and go on with its URL; no polling, no worker held',
					},
				],
			},
			...postFields,
		],
	};

	// The only webhook is the resume URL of a waiting execution, which n8n creates per execution and
	// the farm API learns with each post: there is nothing to register or remove on activation.
	webhookMethods = nothingToRegister;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await postAndWaitWebhook.call(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		if (operation === CUSTOM_API_CALL) throw customApiCallError.call(this);
		const run = operations[operation];
		if (!run) {
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
		}
		return await run.call(this);
	}
}
