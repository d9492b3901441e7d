import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { postFields } from './descriptions/postFields';
import { executePost } from './operations/post.operation';

// Runs its own code rather than n8n's declarative routing: the routing engine sends items in
// parallel and cannot hold one path of checks, pacing and error mapping (README, "Architecture").
const operations: Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>> = {
	post: executePost,
};

export class FarmProfile implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Farm Profile',
		name: 'farmProfile',
		icon: { light: 'file:farmProfile.svg', dark: 'file:farmProfile.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "post" ? "Post to Farm Profile" : $parameter["operation"]}}',
		description: 'Post TikTok videos and slideshows from warmed-up farm profiles',
		defaults: { name: 'Farm Profile' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'farmProfileApi', required: true }],
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
				],
			},
			...postFields,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const run = operations[operation];
		if (!run) {
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
		}
		return await run.call(this);
	}
}
