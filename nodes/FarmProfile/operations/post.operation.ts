import { randomUUID } from 'node:crypto';

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readPostInput } from '../descriptions/postFields';
import { describeMissingTaskId, describeNotSentAgain } from '../helpers/apiErrors';
import { apiFailureError, asNodeError, errorItemJson, invalidFieldsError, withPostedSoFar } from '../helpers/nodeErrors';
import { postResult } from '../helpers/postResult';
import { preparePost } from '../helpers/preparePost';
import { ledgerKey, RunLedger } from '../helpers/runLedger';
import { requestFarmApi } from '../helpers/transport';
import { TOKEN_PARAM } from '../../shared/correlation';

/**
 * "Post to Farm Profile": items go one after another, in order. When an item stops the run, the
 * error lists the items already posted; a retry of the run does not send them again.
 */
export async function executePost(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const timezone = this.getTimezone();
	const ledger = new RunLedger(`${this.getExecutionId()}:${this.getNode().name}`, Date.now());
	const results: INodeExecutionData[] = [];
	const posted: Array<{ itemIndex: number; taskId: string }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await postItem(this, itemIndex, timezone, ledger);
			posted.push({ itemIndex, taskId: String(result.task_id) });
			results.push({ json: result, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (!this.continueOnFail()) throw withPostedSoFar(asNodeError(this.getNode(), error, itemIndex), posted);
			results.push({ json: errorItemJson(error), pairedItem: { item: itemIndex } });
		}
	}
	return [results];
}

async function postItem(ctx: IExecuteFunctions, itemIndex: number, timezone: string, ledger: RunLedger): Promise<IDataObject> {
	const input = readPostInput(ctx, itemIndex);
	const prepared = preparePost(input, { now: Date.now(), timezone, newReference: randomUUID });
	if (!prepared.ok) throw invalidFieldsError(ctx.getNode(), prepared.issues, itemIndex);
	const { post } = prepared;

	// The generated reference and a relative schedule change between attempts; the post does not.
	const key = ledgerKey(itemIndex, { ...post.body, webhook_url: undefined, execute_at: undefined, ref: input.postRef });
	const earlier = ledger.get(key);
	if (earlier?.state === 'posted') {
		const notes = [...((earlier.result.notes as string[]) ?? []), 'Not sent again: an earlier attempt of this run posted it.'];
		return { ...earlier.result, notes };
	}
	if (earlier?.state === 'uncertain') {
		throw apiFailureError(ctx.getNode(), describeNotSentAgain(earlier.failure), itemIndex);
	}

	const outcome = await requestFarmApi(ctx, {
		method: 'POST',
		path: '/v1/posts',
		body: { ...post.body },
		timeout: input.timeout,
		secrets: callbackSecrets(post.body.webhook_url),
		pace: { requestsPerMinute: input.requestsPerMinute, maxRateLimitWaitMs: input.maxRateLimitWaitMs },
	});
	if (!outcome.ok) {
		if (outcome.failure.mayHavePosted) ledger.record(key, { state: 'uncertain', failure: outcome.failure });
		throw apiFailureError(ctx.getNode(), outcome.failure, itemIndex);
	}

	const taskId = (outcome.body as { task_id?: unknown } | null)?.task_id;
	if (typeof taskId !== 'string' || taskId === '') {
		const failure = describeMissingTaskId(outcome.status);
		ledger.record(key, { state: 'uncertain', failure });
		throw apiFailureError(ctx.getNode(), failure, itemIndex);
	}
	const result = postResult(post, taskId);
	ledger.record(key, { state: 'posted', result });
	return result;
}

function callbackSecrets(webhookUrl: string): string[] {
	const token = new URL(webhookUrl).searchParams.get(TOKEN_PARAM);
	return token ? [token] : [];
}
