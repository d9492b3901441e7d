// One page of GET /v1/sources read as the sounds it lists. The vendor documents the envelope
// (`sources`, `has_more`, `next_cursor`) and says each item is "enriched with title, status and
// post/creator counts", but not the items' field names, so each is read from the names it may have
// (README, "Sound ID from the list" says which).

import type { INodeListSearchItems } from 'n8n-workflow';

export interface Sound {
	/** What a post sends as sound_id. */
	id: string;
	title?: string;
	/** How many posts use the sound. */
	posts?: number;
}

export interface SoundsPage {
	sounds: Sound[];
	/** Where the next page starts; undefined on the last page. */
	nextCursor?: string;
}

/**
 * Where the sound's id may be: `sound_id` says what it is; of the others, one holding a TikTok sound
 * id (all digits) wins over one that may be an id of the farm's own (e.g. "src_…").
 */
const SOUND_ID_FIELD = 'sound_id';
const OTHER_ID_FIELDS = ['source_id', 'value', 'id'];
const TITLE_FIELDS = ['title', 'name'];
const POSTS_FIELDS = ['post_count', 'posts_count', 'posts'];
const TYPE_FIELDS = ['source_type', 'type', 'kind'];

function text(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function count(value: unknown): number | undefined {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isInteger(number) && number >= 0 ? number : undefined;
}

function first<T>(item: Record<string, unknown>, fields: string[], read: (value: unknown) => T | undefined): T | undefined {
	for (const field of fields) {
		const value = read(item[field]);
		if (value !== undefined) return value;
	}
	return undefined;
}

/** A list item as a sound; undefined for an item without an id, or one that says it is not a sound (a hashtag). */
function readSound(item: unknown): Sound | undefined {
	if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
	const fields = item as Record<string, unknown>;
	const type = first(fields, TYPE_FIELDS, text);
	if (type !== undefined && type.toLowerCase() !== 'sound') return undefined;
	const others = OTHER_ID_FIELDS.map((field) => text(fields[field])).filter((id): id is string => id !== undefined);
	const id = text(fields[SOUND_ID_FIELD]) ?? others.find((value) => /^\d+$/.test(value)) ?? others[0];
	if (id === undefined) return undefined;
	return { id, title: first(fields, TITLE_FIELDS, text), posts: first(fields, POSTS_FIELDS, count) };
}

/** The sounds of one answer and the cursor of the next page; undefined when the answer is not a list of sources. */
export function readSoundsPage(body: unknown): SoundsPage | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const { sources, has_more: hasMore, next_cursor: nextCursor } = body as { sources?: unknown; has_more?: unknown; next_cursor?: unknown };
	if (!Array.isArray(sources)) return undefined;
	const sounds = sources.map(readSound).filter((sound): sound is Sound => sound !== undefined);
	const cursor = hasMore === false ? undefined : text(nextCursor);
	return { sounds, nextCursor: cursor };
}

/** Whether a sound matches what the user typed in the list's search: its title or id, any case. */
export function soundMatches(sound: Sound, filter: string | undefined): boolean {
	const wanted = (filter ?? '').trim().toLowerCase();
	return wanted === '' || sound.id.toLowerCase().includes(wanted) || (sound.title ?? '').toLowerCase().includes(wanted);
}

const posts = new Intl.NumberFormat('en-US');

/** The entry the editor lists: the title and how many posts use the sound; the id is what the field keeps. */
export function soundListItem(sound: Sound): INodeListSearchItems {
	const name = sound.title ?? sound.id;
	const used = sound.posts === undefined ? '' : ` · ${posts.format(sound.posts)} ${sound.posts === 1 ? 'post' : 'posts'}`;
	return { name: `${name}${used}`, value: sound.id };
}
