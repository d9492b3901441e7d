// What was posted to each profile, as the duplicate and cadence guards see it.
//
// Executions overlap (one per generated video, overlapping schedules, several workflows on one
// key), and n8n loads a workflow's static data when an execution starts and saves it whole when it
// ends: overlapping executions would neither see nor keep each other's posts. So the history that
// decides lives in this process, per team key and profile, shared by every workflow; a guard's
// check and the reservation of the post happen in one synchronous step no other execution can
// interleave with (the caller decides on records() and holds the post with hold() without awaiting
// in between). Each workflow's static data keeps a copy that survives a restart: records are
// merged by id, never overwritten, and every running execution's copy is kept up to date, so
// whichever saves last saves everything.
//
// A node numbers its posts to a profile in a chain of its own (one per node of a workflow; Post
// with the daily limit on, and Post Across Profiles): a post takes the number after the highest
// known here, and claims that number across processes (state/crossProcessClaim.ts). Whoever wins a
// number knew every post numbered before it, or counts it as unseen: a number another process won
// is recorded here without a time, counted in every 24 hours by every execution, until the post's
// own record arrives with a workflow's static data. A number once won stays taken: a post the farm
// refused leaves a released record that still carries it.

import { createHash, randomUUID } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { CHAIN_HOLD_MS } from './crossProcessClaim';

export interface PostRecord {
	id: string;
	/** What the duplicate guard compares: the normalised media URL, or "sha256:<hex>" of a file's content. */
	media: string;
	/** When the post was sent (or, while pending, reserved). */
	at: number;
	/** When it publishes: its execute_at, or `at`. */
	slot: number;
	taskId: string | null;
	/** The answer was ambiguous (502, timeout): it may have gone up. */
	uncertain?: boolean;
	/** Reserved by an execution that has not had the API's answer yet. */
	pending?: boolean;
	/** Its place in a Post Across Profiles chain: the chain (workflow and node) and its number there. */
	link?: ChainLink;
	/** Nothing was posted; kept only for its link, so that the number is not taken again. */
	released?: boolean;
	/** Not a post of this process: its link's number was won by another process, for a post of unknown time. */
	unseen?: boolean;
}

export interface ChainLink {
	chain: string;
	seq: number;
}

/** Where a post goes: a profile of one team (key and base URL). */
export interface ProfileKey {
	team: string;
	profileId: string;
}

const KEY = 'farmProfilePosts';
const KEEP_MS = 30 * 24 * 60 * 60 * 1000;
// Copies held by executions that may still be running; older ones have long been saved.
const STORE_TTL_MS = 12 * 60 * 60 * 1000;
const MAX_STORES = 500;

const books = new Map<string, Map<string, PostRecord>>();
const stores: Array<{ store: IDataObject; profiles: Set<string>; since: number }> = [];

const bookId = ({ team, profileId }: ProfileKey) => `${team}\n${profileId}`;
const linkId = ({ chain, seq }: ChainLink) => `${chain}\n${seq}`;

function bookOf(key: ProfileKey): Map<string, PostRecord> {
	const id = bookId(key);
	let book = books.get(id);
	if (!book) {
		book = new Map();
		books.set(id, book);
	}
	return book;
}

function live(record: PostRecord, now: number): boolean {
	return Math.max(record.at, record.slot) > now - KEEP_MS;
}

/** Records saved before they had ids get one from their content, so merging them twice is harmless. */
function withId(record: PostRecord): PostRecord {
	if (record.id) return record;
	const id = createHash('sha256').update(`${record.media}\n${record.at}\n${record.slot}`).digest('hex').slice(0, 24);
	return { ...record, id };
}

/** What became of a held post; the first call counts, later ones do nothing. */
export interface Hold {
	/** Its number in the chain asked for, if one was. */
	link?: ChainLink;
	/** The API posted it. */
	confirm(taskId: string): void;
	/** The answer left open whether it was posted: it counts as posted. */
	keepUncertain(): void;
	/** Nothing was posted: the slot and the media are free again (a link's number stays taken). */
	release(): void;
	/** The link's number was won by another process: the hold goes, number and all. */
	withdraw(): void;
}

/** One node run's view of the history: this process's books, seeded from the workflow's static data. */
export class PostHistory {
	private readonly entry: { store: IDataObject; profiles: Set<string>; since: number };

	constructor(
		private readonly team: string,
		store: IDataObject,
		now: number,
	) {
		const saved = (store[KEY] ?? {}) as Record<string, PostRecord[]>;
		for (const [profileId, records] of Object.entries(saved)) {
			const book = bookOf({ team, profileId });
			for (const record of records ?? []) {
				const kept = withId(record);
				// A copy saved while pending belongs to an execution that never finished: unclear.
				if (!book.has(kept.id) && (live(kept, now) || kept.link)) book.set(kept.id, kept.pending ? { ...kept, pending: undefined, uncertain: true } : kept);
			}
		}
		this.entry = stores.find((entry) => entry.store === store) ?? { store, profiles: new Set(Object.keys(saved)), since: now };
		if (!stores.includes(this.entry)) stores.push(this.entry);
		forgetOldStores(now);
	}

	/** The profile's live records, oldest first; from now on this execution's copy follows the profile. */
	records(profileId: string, now: number): PostRecord[] {
		this.entry.profiles.add(profileId);
		return [...bookOf({ team: this.team, profileId }).values()].filter((record) => !record.released && !record.unseen && live(record, now)).sort((a, b) => a.at - b.at);
	}

	/** How many posts of the profile another process made that this one knows only by their numbers (below). */
	unseen(profileId: string, now: number): number {
		const book = [...bookOf({ team: this.team, profileId }).values()];
		const seen = new Set(book.filter((record) => record.link && !record.unseen).map(({ link }) => linkId(link!)));
		return book.filter((record) => record.unseen && now - record.at < CHAIN_HOLD_MS && !seen.has(linkId(record.link!))).length;
	}

	/**
	 * Records that the chain's number was won by another process, with a post this process cannot see
	 * (its time unknown): every execution here counts it until the post's own record arrives with a
	 * workflow's static data, and numbers after it.
	 */
	markUnseen(profileId: string, link: ChainLink, now: number): void {
		const key = { team: this.team, profileId };
		const id = `unseen:${link.chain}:${link.seq}`;
		bookOf(key).set(id, { id, media: '', at: now, slot: now, taskId: null, link, unseen: true });
		save(key);
	}

	/**
	 * Holds a post the guards let through, pending until it is settled: an overlapping execution sees
	 * it at once. Called in the same synchronous step as the decision made on records(). With a
	 * chain, the post takes the number after the highest known (unseen ones included).
	 */
	hold(profileId: string, post: { media: string; slot: number }, now: number, chain?: string): Hold {
		this.entry.profiles.add(profileId);
		const key = { team: this.team, profileId };
		const book = bookOf(key);
		const link = chain === undefined ? undefined : { chain, seq: lastInChain(book, chain) + 1 };
		const record: PostRecord = { id: randomUUID(), ...post, at: now, taskId: null, pending: true, ...(link ? { link } : {}) };
		book.set(record.id, record);
		let settled = false;
		const settle = (next: PostRecord | null) => {
			if (settled) return; // the first word on a reservation is final
			settled = true;
			if (next) book.set(record.id, next);
			else book.delete(record.id);
			save(key);
		};
		return {
			link,
			confirm: (taskId) => settle({ ...record, pending: undefined, at: Date.now(), taskId }),
			keepUncertain: () => settle({ ...record, pending: undefined, at: Date.now(), uncertain: true }),
			release: () => settle(link ? { ...record, pending: undefined, released: true } : null),
			withdraw: () => settle(null),
		};
	}
}

/** The highest number of the chain among a profile's records, released ones included; 0 for none. */
function lastInChain(book: Map<string, PostRecord>, chain: string): number {
	let last = 0;
	for (const { link } of book.values()) if (link?.chain === chain) last = Math.max(last, link.seq);
	return last;
}

/** The ids of the records that carry each chain's highest number. */
function chainHeads(records: PostRecord[]): Set<string> {
	const heads = new Map<string, PostRecord>();
	for (const record of records) {
		if (record.link && record.link.seq > (heads.get(record.link.chain)?.link?.seq ?? 0)) heads.set(record.link.chain, record);
	}
	return new Set([...heads.values()].map((record) => record.id));
}

/**
 * Writes a profile's records into the static data of every execution that knows the profile. Held
 * ones too: a copy that outlives their execution reads them as unclear, and a chain's numbers are
 * never saved without the ones before them.
 */
function save(key: ProfileKey): void {
	const now = Date.now();
	const book = [...bookOf(key).values()];
	const heads = chainHeads(book);
	// A chain's last number outlives its post: without it the chain would start again at a number taken.
	const kept = (record: PostRecord) => live(record, now) || heads.has(record.id);
	const records = book.filter(kept);
	for (const entry of stores) {
		if (!entry.profiles.has(key.profileId)) continue;
		const saved = (entry.store[KEY] ?? {}) as Record<string, PostRecord[]>;
		const ids = new Set(records.map((record) => record.id));
		// Records this copy has that this process does not (another worker's, before a restart) stay.
		const theirs = (saved[key.profileId] ?? []).map(withId).filter((record) => !ids.has(record.id) && kept(record));
		// Assigned whole: n8n notices changes to the static data object's own properties.
		entry.store[KEY] = { ...saved, [key.profileId]: [...theirs, ...records] } as unknown as IDataObject;
	}
}

function forgetOldStores(now: number): void {
	// Oldest first: stores are added as executions start.
	while (stores.length && (now - stores[0].since > STORE_TTL_MS || stores.length > MAX_STORES)) stores.shift();
}

/** Scheme and host in lower case, default port and fragment dropped; path and query kept as they are. */
export function normaliseMediaUrl(value: string): string {
	const url = new URL(value);
	url.hash = '';
	return url.toString();
}
