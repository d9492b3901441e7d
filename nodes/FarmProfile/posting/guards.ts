// The duplicate and cadence guards' decision, a pure function of the profile's records (posted,
// unclear, and held by overlapping executions): a post is refused, let through, or (cadence
// "schedule") moved to the next free slot. posting/reserve.ts then holds what was let through.
//
// Posts another process made that this one cannot see yet ("unseen": their numbers in the profile's
// chain were found taken, state/postHistory.ts) have no known time, so each counts in every 24 hours.

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
	unseen = 0,
): GuardDecision {
	const earlier = findDuplicate(records, media.identity, now, settings.duplicateWindowHours * 3_600_000);
	if (earlier) return { ok: false, issue: { field: media.field, ...describeDuplicate(earlier, settings.duplicateWindowHours) } };

	const slots = records.map((record) => record.slot);
	const slot = post.body.execute_at ?? now;
	const limit = `${settings.maxPostsPerDay} post${settings.maxPostsPerDay === 1 ? '' : 's'} in 24 hours`;
	// With the check off (0) nothing counts, unseen posts neither.
	const room = settings.maxPostsPerDay > 0 ? settings.maxPostsPerDay - unseen : 0;
	if (settings.maxPostsPerDay > 0 && room <= 0) return { ok: false, issue: describeUnseen(unseen, limit) };
	if (fitsCadence(slots, slot, room)) return { ok: true, post };

	const next = nextFreeSlot(slots, Math.max(slot, now), room, settings.minGapMinutes * 60_000);
	const counting = unseen > 0 ? ` (counting ${unseenPosts(unseen)}, at a time this worker cannot see yet)` : '';
	if (settings.overLimit === 'refuse') {
		return {
			ok: false,
			issue: {
				field: 'Profile ID',
				problem: `would exceed ${limit} with a post at ${new Date(slot).toISOString()}${counting}`,
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
			notes: [...post.notes, `Scheduled for ${scheduledAt}, the next free slot: the profile already has ${limit} around the time asked for${counting}.`],
		},
	};
}

const unseenPosts = (unseen: number) => `${unseen === 1 ? 'a post' : `${unseen} posts`} another n8n worker made`;

function describeUnseen(unseen: number, limit: string): FieldIssue {
	return {
		field: 'Profile ID',
		problem: `has ${unseenPosts(unseen)} (queue mode) at a time this worker cannot see yet, so with ${limit} it cannot tell whether one more keeps the limit`,
		fix: "run this item again once the other worker's execution has finished (a new execution reads its posts from the workflow's history), or give executions that overlap profiles of their own",
	};
}
