// The duplicate and cadence guards as one step of the posting path: given the profile's records
// (posted, unclear, and reserved by overlapping executions), a post is refused, let through, or
// (cadence "schedule") moved to the next free slot; a post let through is reserved at once, in
// this process and, for the duplicate guard, in n8n's store shared by every process.

import type { GuardSettings } from './input';
import { fitsCadence, nextFreeSlot } from './cadenceGuard';
import { claimAcrossProcesses, type ClaimStore } from '../state/crossProcessClaim';
import { describeClaimedElsewhere, describeDuplicate, findDuplicate } from './duplicateGuard';
import { normaliseMediaUrl, type PostHistory, type PostRecord } from '../state/postHistory';
import type { FieldIssue, PreparedPost } from './body';

/** What the duplicate guard compares: the content hash of binary media, or the normalised media URL. */
export function mediaIdentityOf(post: PreparedPost): string {
	return post.mediaIdentity ?? normaliseMediaUrl(post.body.media_url);
}

export type GuardResult = { ok: true; post: PreparedPost } | { ok: false; issue: FieldIssue };

/** What became of a reserved post: posted, unclear (counts as posted), or nothing posted. */
export interface PostReservation {
	confirm(taskId: string): void;
	keepUncertain(): void;
	release(): Promise<void>;
}

export type ReserveResult = { ok: true; post: PreparedPost; reservation: PostReservation } | { ok: false; issue: FieldIssue };

export async function reservePost(
	post: PreparedPost,
	guards: { history: PostHistory; claims: ClaimStore; team: string },
	settings: GuardSettings,
	now: number,
): Promise<ReserveResult> {
	const { result, reservation } = guards.history.reserve(post.body.profile_id, now, (records) => {
		const result = applyGuards(post, records, settings, now);
		return { result, claim: result.ok ? { media: mediaIdentityOf(result.post), slot: result.post.body.execute_at ?? now } : undefined };
	});
	if (!result.ok) return result;

	const shared = await claimAcrossProcesses(guards.claims, {
		team: guards.team,
		profileId: post.body.profile_id,
		media: mediaIdentityOf(post),
		now,
		windowMs: settings.duplicateWindowHours * 3_600_000,
	});
	if (shared.state === 'taken') {
		reservation.release();
		return { ok: false, issue: { field: post.mediaField ?? 'Media URL', ...describeClaimedElsewhere(settings.duplicateWindowHours, shared.bucketMs) } };
	}
	const releaseShared = shared.state === 'claimed' ? shared.release : async () => {};
	return {
		ok: true,
		post: result.post,
		reservation: {
			confirm: (taskId) => reservation.confirm(taskId),
			keepUncertain: () => reservation.keepUncertain(),
			release: async () => {
				reservation.release();
				await releaseShared();
			},
		},
	};
}

export function applyGuards(post: PreparedPost, records: PostRecord[], settings: GuardSettings, now: number): GuardResult {
	const earlier = findDuplicate(records, mediaIdentityOf(post), now, settings.duplicateWindowHours * 3_600_000);
	if (earlier) return { ok: false, issue: { field: post.mediaField ?? 'Media URL', ...describeDuplicate(earlier, settings.duplicateWindowHours) } };

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
