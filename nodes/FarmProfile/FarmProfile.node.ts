import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { nothingToRegister } from '../shared/webhookRegistration';
import { postFields } from './actions/fields';
import { postAndWaitWebhook } from './actions/postAndWait.webhook';
import { profileFields, profileOperations } from './actions/profileFields';
import { route } from './actions/router';
import { toolDescriptionFields } from './actions/toolDescription';
import { searchSounds } from './sources/searchSounds';

export class FarmProfile implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Farm Profile',
		name: 'farmProfile',
		icon: { light: 'file:farmProfile.svg', dark: 'file:farmProfile.dark.svg' },
		group: ['output'],
		// 2: Sound ID picks from the team's sounds (a resource locator); 1 keeps the plain field of
		// saved workflows. New nodes get the last version. No defaultVersion: with one, n8n stops
		// adding its Custom API Call (load-nodes-and-credentials.ts compares it with `version`).
		version: [1, 2],
		subtitle:
			'={{$parameter["operation"] === "sendAndWait" ? "Post and Wait for Publish" : $parameter["operation"] === "post" ? "Post to Farm Profile" : $parameter["operation"] === "postAcrossProfiles" ? "Post Across Profiles" : $parameter["operation"] === "update" ? "Update Profile" : "Custom API Call"}}',
		description: 'Post TikTok videos and slideshows from warmed-up farm profiles, and set their bio and picture',
		defaults: { name: 'Farm Profile' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'farmProfileApi', required: true },
			// Asked for only when a post's media or a profile's picture comes from the item's binary file(s): it is uploaded there.
			{ name: 'farmProfileStorageApi', required: true, displayOptions: { show: { mediaSource: ['binaryFile'] } } },
		],
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
			// First, where n8n puts its own Tool Description; shown only when the node is an AI agent's tool.
			...toolDescriptionFields,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				// Saved workflows from before the Profile resource hold only an operation: they are posts.
				default: 'post',
				options: [
					{ name: 'Post', value: 'post' },
					{ name: 'Profile', value: 'profile' },
				],
			},
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				displayOptions: { show: { resource: ['post'] } },
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
					{
						name: 'Post Across Profiles',
						value: 'postAcrossProfiles',
						action: 'Post a batch across a pool of farm profiles',
						description:
							'Spread the items over a pool of profiles at a safe cadence: each goes to the profile with the earliest free slot in Posting Hours, scheduled there',
					},
				],
			},
			...postFields,
			profileOperations,
			...profileFields,
		],
	};

	methods = { listSearch: { searchSounds } };

	// The only webhook is the resume URL of a waiting execution, which n8n creates per execution:
	// nothing to register or remove. n8n does not need these no-ops; the official community lint
	// (webhook-lifecycle-complete) does, for every node with a webhook.
	webhookMethods = nothingToRegister;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await postAndWaitWebhook.call(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}
}
