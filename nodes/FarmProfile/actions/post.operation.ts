// "Post to Farm Profile": each item is posted with the Webhook URL field as its callback.

import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { postItems } from '../posting/postItems';

export async function executePost(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return [await postItems(this, { kind: 'webhookUrlField' })];
}
