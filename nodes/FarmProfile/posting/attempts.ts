// A retry of this run (n8n's Retry On Fail runs the node again with the same items) meets posts an
// earlier attempt sent: one that was posted hands back its result, one whose answer was unclear
// fails again, and neither is sent twice.

import type { IDataObject } from 'n8n-workflow';

import { ledgerKey } from '../state/runLedger';
import { describeNotSentAgain } from '../transport/failures';
import { apiFailureError } from './errors';
import type { ItemPost } from './prepare';
import type { PostingRun } from './run';

/**
 * The post within the run: the same item with the same content. The generated reference and a
 * relative schedule change between attempts; the post does not. With `profile: 'planned'` the
 * profile is left out too, since a re-plan may choose another for the same post.
 */
export function attemptKey({ itemIndex, input, post, media }: ItemPost, profile: 'given' | 'planned' = 'given'): string {
	const content = { ...post.body, webhook_url: undefined, execute_at: undefined, ref: input.postRef, media: media.identity };
	if (profile === 'planned') content.profile_id = '';
	return ledgerKey(itemIndex, content);
}

/** The result an earlier attempt posted, or undefined when there was none; throws when it may have posted. */
export function earlierAttempt(run: PostingRun, item: ItemPost, key: string): IDataObject | undefined {
	const earlier = run.ledger.get(key);
	if (earlier?.state === 'uncertain') throw apiFailureError(run.ctx.getNode(), describeNotSentAgain(earlier.failure), item.itemIndex);
	if (earlier?.state !== 'posted') return undefined;
	const notes = [...((earlier.result.notes as string[]) ?? []), 'Not sent again: an earlier attempt of this run posted it.'];
	return { ...earlier.result, notes };
}
