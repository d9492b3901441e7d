// The sandbox farm API's GET /v1/sources and PATCH /v1/farm-profiles/{id}: the answers the node's
// tests rely on, as the vendor documents them (cursor pages, limit ≤ 100, the profile object,
// FastAPI-style errors), and one rate limit per key over every endpoint.

import { createFarmSandbox, DEFAULT_PROFILES, DEFAULT_SOURCES, type FarmSandbox } from '../../dev/sandbox/farmSandbox';

const KEY = 'sk-sandbox-sp-1';
const OTHER_TEAM = 'sk-sandbox-sp-2';
const [RITA, ROB] = DEFAULT_PROFILES.filter((p) => p.status === 'ready');

let farm: FarmSandbox;
beforeAll(async () => {
	farm = await createFarmSandbox({ apiKeys: [KEY, OTHER_TEAM], teams: { [KEY]: [RITA.profile_id], [OTHER_TEAM]: [ROB.profile_id] }, rateLimit: { limit: 0 } }).start();
});
afterAll(async () => farm.stop());
beforeEach(() => farm.reset());

const get = async (query: string) => {
	const response = await fetch(`${farm.url}/v1/sources?${query}`, { headers: { 'X-API-Key': KEY } });
	return { status: response.status, body: (await response.json()) as { sources: Array<{ source_id: string; source_type: string }>; has_more: boolean; next_cursor: string | null; detail?: unknown } };
};
const patch = async (profileId: string, body: unknown, key = KEY) => {
	const response = await fetch(`${farm.url}/v1/farm-profiles/${profileId}`, { method: 'PATCH', headers: { 'X-API-Key': key, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('GET /v1/sources', () => {
	it('pages through the sounds by cursor, hashtags filtered out by source_type', async () => {
		const sounds = DEFAULT_SOURCES.filter((source) => source.source_type === 'sound');
		const seen: string[] = [];
		let query = 'source_type=sound&limit=2';
		for (;;) {
			const { status, body } = await get(query);
			expect(status).toBe(200);
			seen.push(...body.sources.map((source) => source.source_id));
			if (!body.has_more) {
				expect(body.next_cursor).toBeNull();
				break;
			}
			query = `source_type=sound&limit=2&cursor=${body.next_cursor}`;
		}
		expect(seen).toEqual(sounds.map((sound) => sound.source_id));
		expect((await get('source_type=hashtag')).body.sources.every((source) => source.source_type === 'hashtag')).toBe(true);
	});

	it('answers 422 by field for a limit over 100, an unknown source_type and a bad cursor', async () => {
		expect(await get('limit=101')).toEqual({ status: 422, body: { detail: [{ loc: ['query', 'limit'], msg: 'Input should be less than or equal to 100', type: 'less_than_equal' }] } });
		expect((await get('source_type=video')).body.detail).toEqual([expect.objectContaining({ loc: ['query', 'source_type'] })]);
		expect((await get('cursor=%%%')).status).toBe(422);
	});
});

describe('PATCH /v1/farm-profiles/{id}', () => {
	it('sets bio and picture and answers the documented profile object', async () => {
		const answer = await patch(RITA.profile_id, { bio: 'Calm mornings', profile_picture_url: 'https://cdn.example.com/rita.png' });
		expect(answer).toEqual({
			status: 200,
			body: { profile_id: RITA.profile_id, profile_name: RITA.profile_name, tiktok_username: RITA.tiktok_username, created_at: null, phone_id: RITA.phone_id, status: 'ready' },
		});
		expect(farm.state.profileUpdates).toEqual([expect.objectContaining({ profile_id: RITA.profile_id, body: { bio: 'Calm mornings', profile_picture_url: 'https://cdn.example.com/rita.png' } })]);
	});

	it('refuses: 404 unknown, 403 another team\'s, 422 by field (non-https picture, bio over its limit, nothing to set)', async () => {
		expect(await patch('99999999-9999-4999-8999-999999999999', { bio: 'x' })).toEqual({ status: 404, body: { detail: 'Farm profile not found' } });
		expect(await patch(ROB.profile_id, { bio: 'x' })).toEqual({ status: 403, body: { detail: 'Farm profile belongs to another team' } });
		expect((await patch(RITA.profile_id, { profile_picture_url: 'http://cdn.example.com/a.png' })).body.detail).toEqual([
			{ loc: ['body', 'profile_picture_url'], msg: 'URL scheme should be https', type: 'url_scheme' },
		]);
		expect((await patch(RITA.profile_id, { bio: 'x'.repeat(81) })).body.detail).toEqual([
			{ loc: ['body', 'bio'], msg: 'String should have at most 80 characters', type: 'string_too_long' },
		]);
		expect((await patch(RITA.profile_id, {})).status).toBe(422);
		expect(farm.state.profileUpdates).toEqual([]);
	});
});

it('counts lists, updates and posts against one limit per key', async () => {
	const limited = await createFarmSandbox({ apiKeys: [KEY], rateLimit: { limit: 3, windowMs: 60_000 } }).start();
	try {
		const call = (path: string, init: RequestInit = {}) => fetch(`${limited.url}${path}`, { ...init, headers: { 'X-API-Key': KEY, 'Content-Type': 'application/json' } });
		expect((await call('/v1/sources?limit=1')).status).toBe(200);
		expect((await call(`/v1/farm-profiles/${RITA.profile_id}`, { method: 'PATCH', body: JSON.stringify({ bio: 'x' }) })).status).toBe(200);
		expect((await call('/v1/posts', { method: 'POST', body: '{}' })).status).toBe(422);
		expect((await call('/v1/sources?limit=1')).status).toBe(429);
	} finally {
		await limited.stop();
	}
});
