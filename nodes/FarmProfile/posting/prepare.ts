// The prepare step: one item read and checked into a post, before anything is sent or uploaded:
// every field (posting/body.ts), then the media as far as it can be checked here (posting/media.ts).

import { randomUUID } from 'node:crypto';

import { preparePost, type PreparedPost } from './body';
import { invalidFieldsError } from './errors';
import { readPostInput, type PostInput } from './input';
import { checkMedia, type PostMedia } from './media';
import type { PostingRun } from './run';

export interface ItemPost {
	itemIndex: number;
	input: PostInput;
	post: PreparedPost;
	media: PostMedia;
}

/** Throws the item's field issues, all of them at once; `input` is the item's fields unless given. */
export async function prepareItem(run: PostingRun, itemIndex: number, input: PostInput = readPostInput(run.ctx, itemIndex)): Promise<ItemPost> {
	const post = buildPost(run, itemIndex, input);
	const checked = await checkMedia(run, itemIndex, input, post);
	if (!checked.ok) throw invalidFieldsError(run.ctx.getNode(), checked.issues, itemIndex);
	return { itemIndex, input, post, media: checked.media };
}

/** The checked body of a post from these fields; throws the field issues. `reference`: the post_ref when the fields give none. */
export function buildPost(run: PostingRun, itemIndex: number, input: PostInput, reference: () => string = randomUUID): PreparedPost {
	const prepared = preparePost(input, {
		now: Date.now(),
		timezone: run.timezone,
		newReference: reference,
		farmIsPrivate: run.farmIsPrivate,
		callback: run.callback,
	});
	if (!prepared.ok) throw invalidFieldsError(run.ctx.getNode(), prepared.issues, itemIndex);
	return prepared.post;
}
