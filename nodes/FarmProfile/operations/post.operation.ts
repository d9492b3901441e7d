import { randomUUID } from 'node:crypto';

import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readPostInput } from '../descriptions/postFields';
import { describeMissingTaskId } from '../helpers/apiErrors';
import { apiFailureError, asNodeError, errorItemJson, invalidFieldsError } from '../helpers/nodeErrors';
import { postResult } from '../helpers/postResult';
import { preparePost } from '../helpers/preparePost';
import { requestFarmApi } from '../helpers/transport';
import { TOKEN_PARAM } from '../../shared/correlation';

/** "Post to Farm Profile": items go one after another, so a failure never leaves others half-sent. */
export async function executePost(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const timezone = this.getTimezone();
	const results: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			results.push({ json: await postItem(this, itemIndex, timezone), pairedItem: { item: itemIndex } });
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this.getNode(), error, itemIndex);
			results.push({ json: errorItemJson(error), pairedItem: { item: itemIndex } });
		}
	}
	return [results];
}

async function postItem(ctx: IExecuteFunctions, itemIndex: number, timezone: string) {
	const input = readPostInput(ctx, itemIndex);
	const prepared = preparePost(input, { now: Date.now(), timezone, newReference: randomUUID });
	if (!prepared.ok) throw invalidFieldsError(ctx.getNode(), prepared.issues, itemIndex);
	const { post } = prepared;

	const outcome = await requestFarmApi(ctx, {
		method: 'POST',
		path: '/v1/posts',
		body: { ...post.body },
		timeout: input.timeout,
		secrets: callbackSecrets(post.body.webhook_url),
	});
	if (!outcome.ok) throw apiFailureError(ctx.getNode(), outcome.failure, itemIndex);

	const taskId = (outcome.body as { task_id?: unknown } | null)?.task_id;
	if (typeof taskId !== 'string' || taskId === '') {
		throw apiFailureError(ctx.getNode(), describeMissingTaskId(outcome.status), itemIndex);
	}
	return postResult(post, taskId);
}

function callbackSecrets(webhookUrl: string): string[] {
	const token = new URL(webhookUrl).searchParams.get(TOKEN_PARAM);
	return token ? [token] : [];
}
