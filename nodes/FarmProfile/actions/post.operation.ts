import { randomUUID } from 'node:crypto';

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readPostInput } from './fields';
import { describeMissingTaskId, describeNotSentAgain } from '../transport/failures';
import { httpMediaFetch } from '../media/fetch';
import { preflightMedia } from '../media/preflight';
import { apiFailureError, asNodeError, errorItemJson, invalidFieldsError, withPostedSoFar } from '../posting/errors';
import type { ClaimStore } from '../state/crossProcessClaim';
import { PostHistory } from '../state/postHistory';
import { postResult } from '../posting/result';
import { reservePost } from '../posting/guards';
import { preparePost } from '../posting/body';
import { ledgerKey, RunLedger } from '../state/runLedger';
import { connectFarmApi, type FarmApi } from '../transport/request';
import { isPrivateUrl } from '../posting/checks';
import { RESUME_SIGNATURE_PARAM, TOKEN_PARAM } from '../../shared/correlation';

/**
 * "Post to Farm Profile": items go one after another, in order, each through the same steps:
 * check the fields → (a retry of this run: hand back what it posted) → duplicate and cadence
 * guards → media preflight → paced send → remember. When an item stops the run, the error lists
 * the items already posted.
 */
export async function executePost(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return [await postAll(this)];
}

/**
 * Posts every input item; with `suppliedWebhookUrl` (a waiting operation's resume URL) that URL is
 * the callback of each post, sent as given.
 */
export async function postAll(ctx: IExecuteFunctions, suppliedWebhookUrl?: string): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const api = await connectFarmApi(ctx);
	const run: RunContext = {
		timezone: ctx.getTimezone(),
		ledger: new RunLedger(`${ctx.getExecutionId()}:${ctx.getNode().name}`, Date.now()),
		api,
		farmIsPrivate: isPrivateUrl(api.baseUrl),
		guards: {
			history: new PostHistory(api.team, ctx.getWorkflowStaticData('node'), Date.now()),
			claims: ctx.helpers,
			team: api.team,
		},
		suppliedWebhookUrl,
	};
	const results: INodeExecutionData[] = [];
	const posted: Array<{ itemIndex: number; taskId: string }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await postItem(ctx, itemIndex, run);
			posted.push({ itemIndex, taskId: String(result.task_id) });
			results.push({ json: result, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (!ctx.continueOnFail()) throw withPostedSoFar(asNodeError(ctx.getNode(), error, itemIndex), posted);
			results.push({ json: errorItemJson(error), pairedItem: { item: itemIndex } });
		}
	}
	return results;
}

interface RunContext {
	timezone: string;
	ledger: RunLedger;
	api: FarmApi;
	/** A farm API on this machine or a private network (a sandbox) may reach private addresses. */
	farmIsPrivate: boolean;
	guards: { history: PostHistory; claims: ClaimStore; team: string };
	suppliedWebhookUrl?: string;
}

async function postItem(ctx: IExecuteFunctions, itemIndex: number, run: RunContext): Promise<IDataObject> {
	const { ledger, api, farmIsPrivate } = run;
	const input = readPostInput(ctx, itemIndex);
	const prepared = preparePost(input, {
		now: Date.now(),
		timezone: run.timezone,
		newReference: randomUUID,
		farmIsPrivate,
		suppliedWebhookUrl: run.suppliedWebhookUrl,
	});
	if (!prepared.ok) throw invalidFieldsError(ctx.getNode(), prepared.issues, itemIndex);

	// The generated reference and a relative schedule change between attempts; the post does not.
	const key = ledgerKey(itemIndex, { ...prepared.post.body, webhook_url: undefined, execute_at: undefined, ref: input.postRef });
	const earlier = ledger.get(key);
	if (earlier?.state === 'posted') {
		const notes = [...((earlier.result.notes as string[]) ?? []), 'Not sent again: an earlier attempt of this run posted it.'];
		return { ...earlier.result, notes };
	}
	if (earlier?.state === 'uncertain') {
		throw apiFailureError(ctx.getNode(), describeNotSentAgain(earlier.failure), itemIndex);
	}

	const reserved = await reservePost(prepared.post, run.guards, input.guards, Date.now());
	if (!reserved.ok) throw invalidFieldsError(ctx.getNode(), [reserved.issue], itemIndex);
	const { post, reservation } = reserved;

	let sent = false;
	try {
		if (input.guards.preflight) {
			const problem = await preflightMedia(httpMediaFetch(ctx, input.timeout), post.body.media_url, post.body.media_type, { allowPrivateHosts: farmIsPrivate });
			if (problem) throw invalidFieldsError(ctx.getNode(), [{ field: 'Media URL', ...problem }], itemIndex);
		}

		sent = true;
		const outcome = await api.send({
			method: 'POST',
			path: '/v1/posts',
			body: { ...post.body },
			timeout: input.timeout,
			secrets: callbackSecrets(post.body.webhook_url, run.suppliedWebhookUrl),
			pace: { rule: input.pace, maxRateLimitWaitMs: input.maxRateLimitWaitMs },
		});
		if (!outcome.ok) {
			if (outcome.failure.mayHavePosted) {
				ledger.record(key, { state: 'uncertain', failure: outcome.failure });
				reservation.keepUncertain();
			} else {
				await reservation.release();
			}
			throw apiFailureError(ctx.getNode(), outcome.failure, itemIndex);
		}

		const taskId = (outcome.body as { task_id?: unknown } | null)?.task_id;
		if (typeof taskId !== 'string' || taskId === '') {
			const failure = describeMissingTaskId(outcome.status);
			ledger.record(key, { state: 'uncertain', failure });
			reservation.keepUncertain();
			throw apiFailureError(ctx.getNode(), failure, itemIndex);
		}
		const result = postResult(post, taskId);
		ledger.record(key, { state: 'posted', result });
		reservation.confirm(taskId);
		return result;
	} finally {
		// Whatever the steps above did not settle: before sending nothing went out; after, it may have.
		if (sent) reservation.keepUncertain();
		else await reservation.release();
	}
}

/** The trigger's token, or a whole supplied resume URL and its signature: never in an error. */
function callbackSecrets(webhookUrl: string, supplied?: string): string[] {
	const query = new URL(webhookUrl).searchParams;
	const secrets = [query.get(TOKEN_PARAM), query.get(RESUME_SIGNATURE_PARAM), supplied];
	return secrets.filter((secret): secret is string => Boolean(secret));
}
