// sources/soundsPage.ts: a page of GET /v1/sources read as sounds, whatever names the items use
// for their id, title and post count; the list's search; the entry the editor shows.

import { readSoundsPage, soundListItem, soundMatches } from '../../nodes/FarmProfile/sources/soundsPage';

const page = (sources: unknown[], extra: object = {}) => ({ sources, has_more: false, next_cursor: null, ...extra });

describe('readSoundsPage', () => {
	it('reads the shape the sandbox answers in: source_id, title, post_count', () => {
		const body = page([{ source_id: '7216519837462889218', source_type: 'sound', title: 'Morning lo-fi', status: 'active', post_count: 1284, creator_count: 311 }]);
		expect(readSoundsPage(body)).toEqual({ sounds: [{ id: '7216519837462889218', title: 'Morning lo-fi', posts: 1284 }], nextCursor: undefined });
	});

	it.each([
		['sound_id', { sound_id: '111', source_id: 'src_9', title: 'a' }, '111'],
		['sound_id even when not all digits', { sound_id: 'snd-1', source_id: '222', title: 'a' }, 'snd-1'],
		['a TikTok id in value over an internal source_id', { source_id: 'src_9', value: '7216519837462889218' }, '7216519837462889218'],
		['a TikTok id in source_id over an internal id', { source_id: '7216519837462889218', id: 'a1b2' }, '7216519837462889218'],
		['the first set when none is all digits', { value: 'lofi-morning', id: 'x1' }, 'lofi-morning'],
		['a number', { id: 42 }, '42'],
	])('takes the id from %s', (_case, item, id) => {
		expect(readSoundsPage(page([item]))?.sounds[0].id).toBe(id);
	});

	it('takes the title from title or name, and the post count from post_count, posts_count or posts', () => {
		const read = readSoundsPage(page([
			{ source_id: '1', name: 'Named', posts_count: 3 },
			{ source_id: '2', title: 'Titled', name: 'ignored', posts: '17' },
			{ source_id: '3', post_count: -1 },
			{ source_id: '4', posts: [1, 2] },
		]));
		expect(read?.sounds).toEqual([
			{ id: '1', title: 'Named', posts: 3 },
			{ id: '2', title: 'Titled', posts: 17 },
			{ id: '3', title: undefined, posts: undefined },
			{ id: '4', title: undefined, posts: undefined },
		]);
	});

	it('leaves out hashtags (should the server not filter by source_type) and items without an id', () => {
		const read = readSoundsPage(page([
			{ source_id: 'morningroutine', source_type: 'hashtag', title: 'morningroutine' },
			{ source_id: '5', kind: 'Sound', title: 'kept' },
			{ title: 'no id' },
			'not an object',
			null,
		]));
		expect(read?.sounds.map((sound) => sound.id)).toEqual(['5']);
	});

	it('gives the next cursor only while the server says there is more', () => {
		expect(readSoundsPage(page([], { has_more: true, next_cursor: 'b2Zmc2V0OjEwMA' }))?.nextCursor).toBe('b2Zmc2V0OjEwMA');
		expect(readSoundsPage(page([], { next_cursor: 'abc', has_more: undefined }))?.nextCursor).toBe('abc');
		expect(readSoundsPage(page([], { has_more: false, next_cursor: 'stale' }))?.nextCursor).toBeUndefined();
		expect(readSoundsPage(page([], { has_more: true, next_cursor: '' }))?.nextCursor).toBeUndefined();
	});

	it('is undefined for an answer that is not a list of sources', () => {
		for (const body of ['<html>', null, [], { detail: 'x' }, { sources: 'none' }]) expect(readSoundsPage(body)).toBeUndefined();
	});
});

describe('soundMatches', () => {
	const sound = { id: '7216519837462889218', title: 'Morning Lo-Fi', posts: 3 };

	it('matches the title or the id, in any case; an empty search matches all', () => {
		expect(soundMatches(sound, 'lo-fi')).toBe(true);
		expect(soundMatches(sound, ' MORNING ')).toBe(true);
		expect(soundMatches(sound, '65198')).toBe(true);
		expect(soundMatches(sound, 'jazz')).toBe(false);
		expect(soundMatches(sound, undefined)).toBe(true);
		expect(soundMatches({ id: '1' }, 'x')).toBe(false);
	});
});

describe('soundListItem', () => {
	it('shows the title and how many posts use the sound; keeps the id', () => {
		expect(soundListItem({ id: '7', title: 'Morning lo-fi', posts: 1284 })).toEqual({ name: 'Morning lo-fi · 1,284 posts', value: '7' });
		expect(soundListItem({ id: '7', title: 'Solo', posts: 1 })).toEqual({ name: 'Solo · 1 post', value: '7' });
		expect(soundListItem({ id: '7216519837462889218' })).toEqual({ name: '7216519837462889218', value: '7216519837462889218' });
	});
});
