// What this workflow has posted, per profile, kept in the workflow's static data so the duplicate
// and cadence guards see posts of earlier executions. n8n saves static data after production
// (trigger-started) executions only; a manual run sees its own posts and what production saved.

import type { IDataObject } from 'n8n-workflow';

export interface PostRecord {
	/** The media URL, normalised (see normaliseMediaUrl). */
	media: string;
	/** When the post was sent. */
	at: number;
	/** When it publishes: its execute_at, or `at`. */
	slot: number;
	taskId: string | null;
	/** The answer was ambiguous (502, timeout): it may have gone up. */
	uncertain?: boolean;
}

const KEY = 'farmProfilePosts';
const KEEP_MS = 30 * 24 * 60 * 60 * 1000;

export class PostHistory {
	constructor(
		private readonly store: IDataObject,
		private readonly now: number,
	) {}

	forProfile(profileId: string): PostRecord[] {
		const all = (this.store[KEY] ?? {}) as Record<string, PostRecord[]>;
		return (all[profileId] ?? []).filter((record) => Math.max(record.at, record.slot) > this.now - KEEP_MS);
	}

	add(profileId: string, record: PostRecord): void {
		const all = { ...((this.store[KEY] ?? {}) as Record<string, PostRecord[]>) };
		all[profileId] = [...this.forProfile(profileId), record];
		// Assigned whole: n8n notices changes to the static data object's own properties.
		this.store[KEY] = all as unknown as IDataObject;
	}
}

/** Scheme and host in lower case, default port and fragment dropped; path and query kept as they are. */
export function normaliseMediaUrl(value: string): string {
	const url = new URL(value);
	url.hash = '';
	return url.toString();
}
