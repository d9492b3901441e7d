import type { IDataObject } from 'n8n-workflow';

import type { PreparedPost } from './body';

/**
 * The node's output for one queued post: what was queued, and in plain words what happens next.
 * `media` is what the output shows of the media (posting/media.ts): its link, and for a file where it went.
 */
export function postResult(post: PreparedPost, taskId: string, media: IDataObject): IDataObject {
	const { body } = post;
	const when = post.scheduledAt ? `at ${post.scheduledAt}` : 'within minutes';
	const result: IDataObject = {
		task_id: taskId,
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
	return { ...result, ...media };
}
