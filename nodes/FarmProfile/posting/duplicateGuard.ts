// The vendor's API reference warns that a retried post can go up twice. The same media to the same profile within
// the window is refused, whether it comes from a second item, a re-run or a retry.

import type { PostRecord } from '../state/postHistory';
import type { Problem } from './checks';

export function findDuplicate(records: PostRecord[], media: string, now: number, windowMs: number): PostRecord | undefined {
	if (windowMs <= 0) return undefined;
	return records.filter((record) => record.media === media && record.at > now - windowMs).pop();
}

export function describeDuplicate(earlier: PostRecord, windowHours: number): Problem {
	const when = new Date(earlier.at).toISOString();
	const what = earlier.pending
		? `is being posted to this profile right now by another execution (since ${when})`
		: earlier.uncertain
			? `was sent to this profile at ${when}, and the answer left open whether it was posted (it may be up)`
			: `was already posted to this profile at ${when} (task ${earlier.taskId})`;
	return {
		problem: what,
		fix: `check the account before posting it again; to post the same media on purpose, set Options → Duplicate Window to 0, or wait until ${new Date(earlier.at + windowHours * 3_600_000).toISOString()}`,
	};
}

/** Another execution of this workflow, here or in another n8n process, claimed the media in n8n's store. */
export function describeClaimedElsewhere(windowHours: number, bucketMs: number): Problem {
	const within = Math.round((windowHours * 3_600_000 + bucketMs) / 60_000);
	const span = within % 60 === 0 ? `${within / 60} hours` : `${within} minutes`;
	return {
		problem: `was posted to this profile in the last ${span} by another execution of this workflow (it may have run on another n8n worker, or before a restart)`,
		fix: 'check the account before posting it again; to post the same media on purpose, set Options → Duplicate Window to 0',
	};
}
