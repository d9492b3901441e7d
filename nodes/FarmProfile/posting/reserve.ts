// The reservation, after the guards' decision (posting/guards.ts): a post let through is held at
// once in this process's history, where an overlapping execution sees it, and its media claimed in
// n8n's store shared by every process (the duplicate guard across workers and restarts). With the
// cadence guard on, a post also claims its number in its profile's chain there (the cadence across
// workers).

import { claimAcrossProcesses, type ClaimStore } from '../state/crossProcessClaim';
import type { PostHistory } from '../state/postHistory';
import type { FieldIssue, PreparedPost } from './body';
import { describeClaimedElsewhere } from './duplicateGuard';
import type { GuardSettings } from './input';
import type { PostMedia } from './media';

export interface GuardStores {
	history: PostHistory;
	claims: ClaimStore;
	team: string;
	/** This node's chain of numbered posts per profile (the cadence across processes), where n8n keeps what it needs. */
	chain?: string;
}

/** What became of a reserved post: posted, unclear (counts as posted), or nothing posted. */
export interface PostReservation {
	confirm(taskId: string): void;
	keepUncertain(): void;
	release(): Promise<void>;
}

type Reserved = { ok: true; reservation: PostReservation };
type Refused = { ok: false; issue: FieldIssue };
/** Another process posted to the profile in the chain, and this execution's history does not have it: the number it took. */
type Contended = { ok: false; contended: true; seq: number };

/**
 * Reserves a post the guards let through. Call it in the same synchronous step as the decision made
 * on `history.records()` (no await between them): its first statement holds the post. With `chain`
 * the post also takes the next number in its profile's chain, which another process may have won.
 */
export async function reserve<Chain extends string | undefined = undefined>(
	stores: GuardStores,
	post: PreparedPost,
	media: PostMedia,
	settings: GuardSettings,
	now: number,
	chain?: Chain,
): Promise<Reserved | Refused | (Chain extends string ? Contended : never)> {
	const profileId = post.body.profile_id;
	const hold = stores.history.hold(profileId, { media: media.identity, slot: post.body.execute_at ?? now }, now, chain);
	const windowMs = settings.duplicateWindowHours * 3_600_000;
	const shared = await claimAcrossProcesses(stores.claims, { team: stores.team, profileId, media: media.identity, now, windowMs, link: hold.link });
	if (shared.state === 'taken') {
		hold.withdraw();
		return { ok: false, issue: { field: media.field, ...describeClaimedElsewhere(settings.duplicateWindowHours, shared.bucketMs) } };
	}
	if (shared.state === 'contended') {
		hold.withdraw();
		// Only a post with a chain has a number to lose.
		return { ok: false, contended: true, seq: hold.link?.seq ?? 0 } as Chain extends string ? Contended : never;
	}
	const releaseShared = shared.state === 'claimed' ? shared.release : async () => {};
	return {
		ok: true,
		reservation: {
			confirm: (taskId) => hold.confirm(taskId),
			keepUncertain: () => hold.keepUncertain(),
			release: async () => {
				hold.release();
				await releaseShared();
			},
		},
	};
}
