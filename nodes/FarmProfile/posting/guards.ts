// The duplicate and cadence guards' decision, a pure function of the profile's records (posted,
// unclear, and held by overlapping executions): a post is refused, let through, or (cadence
// "schedule") moved to the next free slot. posting/reserve.ts then holds what was let through.

import { fitsCadence, nextFreeSlot } from './cadenceGuard';
import { describeDuplicate, findDuplicate } from './duplicateGuard';
import type { PostRecord } from '../state/postHistory';
import type { FieldIssue, PreparedPost } from './body';
import type { GuardSettings } from './input';
import type { PostMedia } from './media';

export type GuardDecision = { ok: true; post: PreparedPost } | { ok: false; issue: FieldIssue };

export function decideGuards(
	post: PreparedPost,
	media: Pick<PostMedia, 'identity' | 'field'>,
	records: PostRecord[],
	settings: GuardSettings,
	now: number,
): GuardDecision {
	const earlier = findDuplicate(records, media.identity, now, settings.duplicateWindowHours * 3_600_000);
	if (earlier) return { ok: false, issue: { field: media.field, ...describeDuplicate(earlier, settings.duplicateWindowHours) } };

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
