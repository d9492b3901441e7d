// The send step, once a post is reserved: its media delivered (preflight or upload), the post sent
// through the paced transport, and the reservation settled by the answer: posted, unclear (kept:
// it counts as posted), or nothing posted (released).

import type { IDataObject } from 'n8n-workflow';

import { callbackSecrets } from '../../shared/secrets';
import { CREATE_POST, describeMissingTaskId, type ApiFailure } from '../transport/failures';
import type { FarmApiOutcome } from '../transport/request';
import type { PreparedPost } from './body';
import { apiFailureError, deliveryError } from './errors';
import type { ItemPost } from './prepare';
import type { PostReservation } from './reserve';
import { postResult } from './result';
import type { PostingRun } from './run';

/** Sends a reserved post and returns its output item; whatever is left unsettled on the way out is settled by whether it was sent. */
export async function sendReserved(run: PostingRun, item: ItemPost, post: PreparedPost, reservation: PostReservation, key: string): Promise<IDataObject> {
	let sent = false;
	try {
		const delivery = await item.media.deliver(post);
		if (!delivery.ok) throw deliveryError(run.ctx.getNode(), delivery, item.itemIndex);
		const body = { ...post.body, media_url: delivery.url };
		sent = true;
		const outcome = await run.api.send({
			method: 'POST',
			path: '/v1/posts',
			effect: CREATE_POST,
			body: { ...body },
			timeout: item.input.timeout,
			secrets: [...callbackSecrets(body.webhook_url), ...delivery.secrets],
			pace: { rule: item.input.pace, maxRateLimitWaitMs: item.input.maxRateLimitWaitMs },
		});
		const taskId = taskIdOf(outcome);
		if (!taskId.ok) {
			await settleFailure(run, reservation, key, taskId.failure);
			throw apiFailureError(run.ctx.getNode(), taskId.failure, item.itemIndex);
		}
		const result = postResult(post, taskId.id, delivery.shown);
		run.ledger.record(key, { state: 'posted', result });
		reservation.confirm(taskId.id);
		return result;
	} finally {
		// Before the send nothing went out; after it, it may have.
		if (sent) reservation.keepUncertain();
		else await reservation.release();
	}
}

function taskIdOf(outcome: FarmApiOutcome): { ok: true; id: string } | { ok: false; failure: ApiFailure } {
	if (!outcome.ok) return outcome;
	const id = (outcome.body as { task_id?: unknown } | null)?.task_id;
	return typeof id === 'string' && id !== '' ? { ok: true, id } : { ok: false, failure: describeMissingTaskId(outcome.status) };
}

/** An unclear failure is remembered by the run and keeps the reservation; a clear refusal frees it. */
async function settleFailure(run: PostingRun, reservation: PostReservation, key: string, failure: ApiFailure): Promise<void> {
	if (!failure.mayHavePosted) return await reservation.release();
	run.ledger.record(key, { state: 'uncertain', failure });
	reservation.keepUncertain();
}
