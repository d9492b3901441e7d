// The duplicate and cadence guards as one step of the posting path: given the profile's records
// (posted, unclear, and reserved by overlapping executions), a post is refused, let through, or
// (cadence "schedule") moved to the next free slot.

import type { GuardSettings } from '../descriptions/postFields';
import { fitsCadence, nextFreeSlot } from './cadenceGuard';
import { describeDuplicate, findDuplicate } from './duplicateGuard';
import { normaliseMediaUrl, type PostRecord } from './postHistory';
import type { FieldIssue, PreparedPost } from './preparePost';

export type GuardResult = { ok: true; post: PreparedPost } | { ok: false; issue: FieldIssue };

export function applyGuards(post: PreparedPost, records: PostRecord[], settings: GuardSettings, now: number): GuardResult {
	const earlier = findDuplicate(records, normaliseMediaUrl(post.body.media_url), now, settings.duplicateWindowHours * 3_600_000);
	if (earlier) return { ok: false, issue: { field: 'Media URL', ...describeDuplicate(earlier, settings.duplicateWindowHours) } };

	const slots = records.map((record) => record.slot);
	const slot = post.body.execute_at ?? now;
	if (fitsCadence(slots, slot, settings.maxPostsPerDay)) return { ok: true, post };

	const next = nextFreeSlot(slots, Math.max(slot, now), settings.maxPostsPerDay, settings.minGapMinutes * 60_000);
	const limit = `${settings.maxPostsPerDay} post${settings.maxPostsPerDay === 1 ? '' : 's'} in 24 hours`;
	if (settings.overLimit === 'refuse') {
		return {
			ok: false,
			issue: {
				field: 'Profile ID',
				problem: `would exceed ${limit} with a post at ${new Date(slot).toISOString()}`,
				fix: `post at ${new Date(next).toISOString()} or later (the next free slot), or set Options → Over the Daily Limit to schedule it there`,
			},
		};
	}
	const scheduledAt = new Date(next).toISOString();
	return {
		ok: true,
		post: {
			...post,
			body: { ...post.body, execute_at: next },
			scheduledAt,
			notes: [...post.notes, `Scheduled for ${scheduledAt}, the next free slot: the profile already has ${limit} around the time asked for.`],
		},
	};
}
