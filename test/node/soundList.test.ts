// Sound ID "From List" inside n8n-core: the node's list search called in a real LoadOptionsContext,
// as n8n's editor back end calls it, against the loopback sandbox's GET /v1/sources; and what a post
// sends for Sound ID in version 2 (a resource locator) and version 1 (the plain field).

import type { IDataObject } from 'n8n-workflow';

import { createFarmSandbox, DEFAULT_PROFILES, makeSources, type FarmSandbox } from '../../dev/sandbox/farmSandbox';
import { ONLY_THE_POST, runFarmProfileNode, searchSoundsInN8n } from '../harness/runWorkflow';

const API_KEY = 'sk-sounds-3c9e1a7f';
const READY = DEFAULT_PROFILES.find((p) => p.status === 'ready')!.profile_id;

// 150 sounds, a hashtag (titled like the sound before it) after every 10th; two lo-fi sounds, one on
// each page of 100.
const SOURCES = makeSources(150, { 20: 'Morning lo-fi', 130: 'Lo-Fi study beats' });

let farm: FarmSandbox;
beforeAll(async () => {
	farm = await createFarmSandbox({ apiKeys: [API_KEY], sources: SOURCES, callbackDelayMs: 600_000, rateLimit: { limit: 0 } }).start();
});
afterAll(async () => farm.stop());
beforeEach(() => farm.reset());

const search = (filter?: string, paginationToken?: string, apiKey = API_KEY) =>
	searchSoundsInN8n({ credentials: { apiKey, baseUrl: farm.url }, filter, paginationToken });

describe('the list', () => {
	it("lists the team's sounds with their title and post count, 100 a page, the next page by the token", async () => {
		const first = await search();
		expect(first.results).toHaveLength(100);
		expect(first.results[0]).toEqual({ name: 'Sound 1 · 10 posts', value: '7300000000000000001' });
		expect(first.results[19]).toEqual({ name: 'Morning lo-fi · 200 posts', value: '7300000000000000020' });
		expect(first.paginationToken).toEqual(expect.any(String));

		const second = await search(undefined, first.paginationToken as string);
		expect(second.results.map((result) => result.name)).toEqual(Array.from({ length: 50 }, (_, i) => i + 101).map((n) => (n === 130 ? 'Lo-Fi study beats · 1,300 posts' : `Sound ${n} · ${(n * 10).toLocaleString('en-US')} posts`)));
		expect(second.paginationToken).toBeUndefined();
		expect(farm.state.requests).toBe(2);
	});

	it('a search finds matches on later pages too, and never lists a hashtag', async () => {
		const found = await search('LO-FI');
		expect(found.results).toEqual([
			{ name: 'Morning lo-fi · 200 posts', value: '7300000000000000020' },
			{ name: 'Lo-Fi study beats · 1,300 posts', value: '7300000000000000130' },
		]);
		expect(found.paginationToken).toBeUndefined();
		expect(farm.state.requests).toBe(2);
	});

	it('a search stops reading once it has enough matches to fill the list, and goes on from there', async () => {
		const first = await search('Sound 1');
		// "Sound 1", "Sound 10" … "Sound 19" and "Sound 100" are on the first page: one request.
		expect(first.results.length).toBeGreaterThanOrEqual(10);
		expect(farm.state.requests).toBe(1);
		const next = await search('Sound 1', first.paginationToken as string);
		expect(next.results.map((result) => result.name)).toContain('Sound 101 · 1,010 posts');
	});

	it('a refused key is a clear error that speaks of the list, not of posting', async () => {
		await expect(search(undefined, undefined, 'sk-wrong')).rejects.toMatchObject({
			message: 'The farm API refused the API key (401)',
			description: expect.stringMatching(/^The list was not loaded\. Open the Farm Profile API credential/),
		});
	});
});

describe('what a post sends as sound_id', () => {
	const post = (typeVersion: number, soundId: string | IDataObject) =>
		runFarmProfileNode({
			items: [{ n: 0 }],
			credentials: { apiKey: API_KEY, baseUrl: farm.url },
			parameters: {
				operation: 'post',
				profileId: READY,
				mediaType: 'video',
				mediaUrl: 'https://cdn.example.com/clips/clip-1.mp4',
				soundId,
				title: 'Tip',
				webhookUrl: 'https://n8n.example.com/webhook/abc/webhook',
				options: ONLY_THE_POST,
			},
			nodeSettings: { typeVersion },
		});

	it('version 2: the id picked from the list, or entered by ID', async () => {
		await post(2, { __rl: true, mode: 'list', value: '7300000000000000020', cachedResultName: 'Morning lo-fi · 200 posts' });
		await post(2, { __rl: true, mode: 'id', value: ' 7216519837462889218 ' });
		expect(farm.state.posts.map((p) => p.body.sound_id)).toEqual(['7300000000000000020', '7216519837462889218']);
	});

	it('version 1 (saved workflows, no resource): the plain field, as before', async () => {
		const result = await post(1, '7216519837462889218');
		expect(result.error).toBeUndefined();
		expect(farm.state.posts.map((p) => p.body.sound_id)).toEqual(['7216519837462889218']);
	});

	it('version 2 with an ID that comes out empty (an expression) is refused before anything is sent', async () => {
		// An empty pick n8n refuses itself ("Parameter "Sound ID" is required"); an expression it cannot judge.
		const result = await post(2, { __rl: true, mode: 'id', value: '={{ $json.sound ?? "" }}' });
		expect(result.error?.message).toBe('Sound ID is empty [item 0]');
		expect(farm.state.requests).toBe(0);
	});
});
