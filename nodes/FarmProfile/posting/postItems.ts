// The posting path, top to bottom: "Post to Farm Profile" composes its steps for every input item,
// in order; other operations compose the same steps (actions/postAndWait.operation.ts).
//
//   prepare   read and check the item into a post; check its media     posting/prepare.ts, media.ts
//   attempts  a retry of this run? hand back what it posted             posting/attempts.ts
//   guards    duplicate and cadence: a pure decision on the records    posting/guards.ts
//   reserve   hold the post; claim media and number across processes   posting/reserve.ts
//   send      deliver the media, send paced, settle, the output item   posting/send.ts
//
// When an item stops the run, the error lists the items already posted.

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { attemptKey, earlierAttempt } from './attempts';
import type { Callback } from './body';
import { asNodeError, errorItemJson, invalidFieldsError, withPostedSoFar } from './errors';
import { decideGuards } from './guards';
import { prepareItem, type ItemPost } from './prepare';
import { reserve } from './reserve';
import { openRun, type PostingRun } from './run';
import { sendReserved } from './send';

/** Posts every input item, one after another, each calling back to `callback`. */
export async function postItems(ctx: IExecuteFunctions, callback: Callback): Promise<INodeExecutionData[]> {
	const run = await openRun(ctx, callback);
	return await eachItem(ctx, async (itemIndex) => await postOne(run, await prepareItem(run, itemIndex)));
}

/** One prepared post through the guards to the farm. */
export async function postOne(run: PostingRun, item: ItemPost): Promise<IDataObject> {
	const key = attemptKey(item);
	const earlier = earlierAttempt(run, item, key);
	if (earlier) return earlier;

	const { history } = run.guards;
	const profileId = item.post.body.profile_id;
	// The daily limit across processes: the post takes a number in the profile's chain.
	const chain = item.input.guards.maxPostsPerDay > 0 ? run.guards.chain : undefined;
	for (;;) {
		const now = Date.now();
		// The decision and the hold in one synchronous step: no overlapping execution comes between.
		const decision = decideGuards(item.post, item.media, history.records(profileId, now), item.input.guards, now, history.unseen(profileId, now));
		if (!decision.ok) throw invalidFieldsError(run.ctx.getNode(), [decision.issue], item.itemIndex);
		const reserved = await reserve(run.guards, decision.post, item.media, item.input.guards, now, chain);
		if (reserved.ok) return await sendReserved(run, item, decision.post, reserved.reservation, key);
		if (!('contended' in reserved)) throw invalidFieldsError(run.ctx.getNode(), [reserved.issue], item.itemIndex);
		// A post another worker made, of unknown time: counted from now on, and the next number tried.
		// Ends: each one leaves less room, and with none left the decision refuses.
		history.markUnseen(profileId, { chain: chain!, seq: reserved.seq }, Date.now());
	}
}

/**
 * Runs `step` for every input item in order. A failed item stops the run with the items already
 * posted in its error, or, with Continue On Fail, becomes an error item while the others go on.
 */
export async function eachItem(ctx: IExecuteFunctions, step: (itemIndex: number) => Promise<IDataObject>): Promise<INodeExecutionData[]> {
	const results: INodeExecutionData[] = [];
	const posted: Array<{ itemIndex: number; taskId: string }> = [];
	for (let itemIndex = 0; itemIndex < ctx.getInputData().length; itemIndex++) {
		try {
			const json = await step(itemIndex);
			if (typeof json.task_id === 'string') posted.push({ itemIndex, taskId: json.task_id });
			results.push({ json, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (!ctx.continueOnFail()) throw withPostedSoFar(asNodeError(ctx.getNode(), error, itemIndex), posted);
			results.push({ json: errorItemJson(error), pairedItem: { item: itemIndex } });
		}
	}
	return results;
}
