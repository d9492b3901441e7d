// The duplicate guard across n8n processes (queue-mode workers, or a restart between two runs).
// Each process's post history cannot see another's reservation; the one shared, durable place a
// community node may write is n8n's deduplication store (`checkProcessedAndRecord`, written to the
// database at once). It has no time and no lock: a workflow's entries are one list that each call
// reads, extends and writes back whole, so two calls at once can both find a key new, and the
// later write drops the earlier one's entries (n8n 1.123.81 and 2.41.1, DeduplicationHelper).
//
// So a claim is made in two steps. First the post's keys and a marker of its own are recorded; a
// key already there means the media went to the profile within the window. Then, once any write
// that started at the same moment has landed, the marker is looked up again. A marker that is gone
// was overwritten by a write that overlapped ours, for this media or another post of the workflow:
// the claim starts again, and now finds the media's keys if that write was a rival's.
//
// Keys name time buckets of 1/24 of the window: a post claims its bucket and the 24 after it, and
// a later post finds its own bucket taken if it comes less than a window (plus one bucket) after.
// A post with a number in its profile's chain (state/postHistory.ts) claims that number too, in the
// same write: a number already there was won by a post this execution does not know. That
// number is held in 6-hour buckets for a day: runs that overlap claim within a day of each other,
// and a number claimed longer ago that this execution still does not know belongs to a run whose
// history was never saved (a worker that died mid-run), which must not close the chain for good.

import { createHash, randomUUID } from 'node:crypto';

import { sleep, type DeduplicationHelperFunctions } from 'n8n-workflow';

import type { ChainLink } from './postHistory';

export type ClaimStore = Pick<DeduplicationHelperFunctions, 'checkProcessedAndRecord' | 'removeProcessed'>;

export const BUCKETS_PER_WINDOW = 24;
/** Longer than a write to n8n's database takes: the claims that started with ours have landed by then. */
const SETTLE_MS = 300;
/** Claims whose writes keep being overwritten go on with this process's guard alone after this many tries. */
const MAX_ATTEMPTS = 6;
const OPTIONS = { mode: 'entries' as const, maxEntries: 10_000 };
const CHAIN_BUCKET_MS = 6 * 3_600_000;
/** The claim's bucket and the four after it: a later claim within 24 hours finds one of them. */
const CHAIN_BUCKETS = 5;
/** How long a chain's number stays claimed at most: a day and a bucket. */
export const CHAIN_HOLD_MS = CHAIN_BUCKET_MS * CHAIN_BUCKETS;

export interface ClaimTarget {
	team: string;
	profileId: string;
	/** The media identity: the normalised media URL, or "sha256:<hex>" of a file's content. */
	media: string;
	now: number;
	/** The duplicate window; 0 claims no media. */
	windowMs: number;
	/** The post's link in its profile's chain, if it has one. */
	link?: ChainLink;
}

export type ClaimResult =
	/** n8n offers no deduplication store here (n8n-core alone, the store failed twice), or it kept losing our writes. */
	| { state: 'unavailable' }
	/** Another execution, in this or another process, claimed the same media within the window. */
	| { state: 'taken'; bucketMs: number }
	/** Another execution won the link's number: it posted to the profile, and this one does not know when. */
	| { state: 'contended' }
	| { state: 'claimed'; release: () => Promise<void> };

const hashOf = (...parts: string[]) => createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);

export function claimKeys(target: ClaimTarget): string[] {
	if (target.windowMs <= 0) return [];
	const id = hashOf(target.team, target.profileId, target.media);
	const bucketMs = target.windowMs / BUCKETS_PER_WINDOW;
	const first = Math.floor(target.now / bucketMs);
	return Array.from({ length: BUCKETS_PER_WINDOW + 1 }, (_, n) => `farm-post:${id}:${first + n}`);
}

export function linkKeys({ team, profileId, link, now }: ClaimTarget): string[] {
	if (!link) return [];
	const id = hashOf(team, profileId, link.chain);
	const first = Math.floor(now / CHAIN_BUCKET_MS);
	return Array.from({ length: CHAIN_BUCKETS }, (_, n) => `farm-chain:${id}:${link.seq}:${first + n}`);
}

export async function claimAcrossProcesses(store: ClaimStore, target: ClaimTarget): Promise<ClaimResult> {
	const links = linkKeys(target);
	const keys = [...claimKeys(target), ...links];
	if (typeof store.checkProcessedAndRecord !== 'function' || keys.length === 0) return { state: 'unavailable' };
	const taken = { state: 'taken' as const, bucketMs: target.windowMs / BUCKETS_PER_WINDOW };
	for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
		const marker = `farm-claim:${randomUUID()}`;
		const first = await record(store, [...keys, marker]);
		if (!first) return { state: 'unavailable' };
		const mine = first.new.map(String).filter((key) => key !== marker);
		const processed = first.processed.map(String);
		if (target.windowMs > 0 && processed.includes(keys[0])) {
			await forget(store, [...mine, marker]);
			return taken;
		}
		if (links.some((key) => processed.includes(key))) {
			await forget(store, [...mine, marker]);
			return { state: 'contended' };
		}
		await sleep(SETTLE_MS);
		const check = await record(store, [marker]);
		if (!check?.new.map(String).includes(marker)) {
			// A number won stays taken: a post numbered after it may already stand on it.
			return { state: 'claimed', release: async () => await forget(store, [...mine.filter((key) => !links.includes(key)), marker]) };
		}
		// Overwritten: the check just wrote the marker back; take it out, wait a little, start again.
		await forget(store, [marker]);
		await sleep(Math.round(SETTLE_MS * (0.2 + Math.random())));
	}
	return { state: 'unavailable' };
}

/** One retry: the first write of a workflow's list is an insert, and two at once collide. */
async function record(store: ClaimStore, items: string[]) {
	for (let attempt = 1; attempt <= 2; attempt++) {
		try {
			return await store.checkProcessedAndRecord(items, 'workflow', OPTIONS);
		} catch {
			if (attempt === 2) return undefined;
			await sleep(50);
		}
	}
	return undefined;
}

async function forget(store: ClaimStore, items: string[]): Promise<void> {
	try {
		await store.removeProcessed(items, 'workflow', OPTIONS);
	} catch {
		// The claim then stays until it ages out of the window: it errs on the side of not posting twice.
	}
}
