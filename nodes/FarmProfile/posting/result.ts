import type { IDataObject } from 'n8n-workflow';

import type { PreparedPost } from './body';

/**
 * The node's output for one queued post: what was queued, and in plain words what happens next.
 * `media` is what the output shows of the media (posting/media.ts): its link, and for a file where it went.
 */
export function postResult(post: PreparedPost, taskId: string, media: IDataObject): IDataObject {
	return { task_id: taskId, ...describePost(post, media) };
}

function describePost(post: PreparedPost, media: IDataObject): IDataObject {
	const { body } = post;
	const when = post.scheduledAt ? `at ${post.scheduledAt}` : 'within minutes';
	const result: IDataObject = {
		profile_id: body.profile_id,
		media_type: body.media_type,
		media_url: media.media_url,
		title: body.title,
		is_live: body.is_live,
		delivery: body.is_live ? 'live' : 'draft',
		status: body.is_live
			? `Queued: the phone uploads and publishes it on TikTok ${when}.`
			: `Queued as a draft: the phone saves it ${when} for review and nothing is published on TikTok. Turn on Publish Live to publish.`,
	};
	if (body.execute_at !== undefined) {
		result.scheduled_at = post.scheduledAt;
		result.execute_at = body.execute_at;
	}
	if (post.postRef !== undefined) result.post_ref = post.postRef;
	if (post.notes.length > 0) result.notes = post.notes;
	// A file planned but not uploaded has no link yet.
	if (media.media_url === undefined) delete result.media_url;
	return { ...result, ...media };
}

/** Post Across Profiles' output: the post's result, and the rule that chose its profile and time. */
export function withPlan(result: IDataObject, reason: string): IDataObject {
	const { notes, ...rest } = result;
	return { ...rest, reason, ...(notes === undefined ? {} : { notes }) };
}

/**
 * Plan Only's output for one item: where and when it would go, and why, first (they are what the
 * operator reviews in the table view); then the post as it would be sent. Nothing was sent.
 */
export function planResult(post: PreparedPost, media: IDataObject, reason: string): IDataObject {
	const live = post.body.is_live ? 'publish it on TikTok' : 'save it as a draft';
	const { profile_id, scheduled_at, execute_at, post_ref, notes, ...rest } = describePost(post, media);
	return {
		planned: true,
		profile_id,
		scheduled_at,
		reason,
		...(post_ref === undefined ? {} : { post_ref }),
		...rest,
		status: `Planned only, nothing sent: ${post.body.profile_id} would ${live} at ${post.scheduledAt}. Turn off Plan Only to post.`,
		execute_at,
		...(notes === undefined ? {} : { notes }),
	};
}
