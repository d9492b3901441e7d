// Reads the resource and operation and runs it.

import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { executePost } from './post.operation';
import { executePostAcrossProfiles } from './postAcrossProfiles.operation';
import { executePostAndWait } from './postAndWait.operation';
import { executeUpdateProfile } from './updateProfile.operation';

type Operation = (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;

// Runs its own code rather than n8n's declarative routing: the routing engine sends items in
// parallel and cannot hold one path of checks, pacing and error mapping (README, "Architecture").
const resources: Record<string, Record<string, Operation>> = {
	post: {
		post: executePost,
		sendAndWait: executePostAndWait,
		postAcrossProfiles: executePostAcrossProfiles,
	},
	profile: {
		update: executeUpdateProfile,
	},
};

// n8n adds "Custom API Call" to the Resource and Operation lists of every node whose credential has
// generic authentication, and shows a notice pointing to the HTTP Request node; the node itself has
// no such operation. Running it says where that call is made instead.
const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

function customApiCallError(this: IExecuteFunctions): NodeOperationError {
	return new NodeOperationError(this.getNode(), 'Custom API Call is made with the HTTP Request node, not with Farm Profile', {
		description:
			'Add an HTTP Request node and set Authentication to "Predefined Credential Type" and Credential Type to "Farm Profile API": n8n sends your API key as X-API-Key. Give it the full URL (your Base URL followed by the /v1/… path). To post, choose "Post to Farm Profile", "Post and Wait for Publish" or "Post Across Profiles" in Operation; to set a profile\'s bio or picture, choose the Profile resource. Nothing was sent to the farm API.',
	});
}

export async function route(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// Saved workflows from before the Profile resource hold no resource: they post.
	const resource = this.getNodeParameter('resource', 0, 'post') as string;
	if (resource === CUSTOM_API_CALL) throw customApiCallError.call(this);
	const operation = this.getNodeParameter('operation', 0) as string;
	if (operation === CUSTOM_API_CALL) throw customApiCallError.call(this);
	const run = resources[resource]?.[operation];
	if (!run) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}
	return await run.call(this);
}
