// Post Across Profiles inside n8n-core: a batch spread over a pool at the cadence rules, Plan Only,
// the pool's checks, and what a refused or unplaceable item leaves. The clock is fixed (only Date is
// faked; timers run) at Monday 7 Dec 2026, 06:00 in Berlin, before the day's Posting Hours.

import type { IDataObject } from 'n8n-workflow';

import { createFarmSandbox, type FarmSandbox, type SandboxProfile } from '../../dev/sandbox/farmSandbox';
import { makeMp4 } from '../../dev/sandbox/media';
import { runFarmProfileNode } from '../harness/runWorkflow';

const NOW = Date.parse('2026-12-07T05:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const KEYS = Array.from({ length: 20 }, (_, n) => `sk-across-${n}-5c6d7e8f`);
let API_KEY = KEYS[0];

const pool: SandboxProfile[] = Array.from({ length: 6 }, (_, n) => ({
	profile_id: `aa000000-0000-4000-8000-00000000000${n}`,
	profile_name: `Pool ${n}`,
	phone_id: `phone-pool-${n}`,
	status: n === 5 ? 'warming' : 'ready',
	tiktok_username: `pool.${n}`,
}));
const READY = pool.slice(0, 5).map((p) => p.profile_id);
const WARMING = pool[5].profile_id;

let farm: FarmSandbox;
beforeAll(async () => {
	jest.useFakeTimers({ now: NOW, doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
	farm = await createFarmSandbox({ apiKeys: KEYS, profiles: pool, callbackDelayMs: 600_000 }).start();
	for (let n = 0; n < 24; n++) farm.serveMedia(`clip-${n}.mp4`, { body: makeMp4(20), contentType: 'video/mp4' });
});
afterAll(async () => {
	await farm.stop();
	jest.useRealTimers();
});
beforeEach(() => {
	farm.reset();
	API_KEY = KEYS[KEYS.indexOf(API_KEY) + 1]; // the post history is per team key: each test its own
});

const clip = (n: number) => `${farm.url}/_media/clip-${n}.mp4`;
const berlin = (ms: number) =>
	new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', dateStyle: 'short', timeStyle: 'short' }).format(new Date(ms));

function across(clips: number[], options: Record<string, unknown> = {}, extra: { profileIds?: unknown; planOnly?: boolean; staticData?: IDataObject; continueOnFail?: boolean; nodeSettings?: object } = {}) {
	return runFarmProfileNode({
		items: clips.map((n) => ({ url: clip(n), ref: `row-${n}` })),
		credentials: { apiKey: API_KEY, baseUrl: farm.url },
		timezone: 'Europe/Berlin',
		staticData: extra.staticData,
		continueOnFail: extra.continueOnFail,
		nodeSettings: extra.nodeSettings,
		parameters: {
			operation: 'postAcrossProfiles',
			profileIds: extra.profileIds ?? READY.join(', '),
			planOnly: extra.planOnly ?? false,
			mediaType: 'video',
			mediaUrl: '={{ $json.url }}',
			soundId: '7216519837462889218',
			title: 'Spread',
			webhookUrl: 'https://n8n.example.com/webhook/abc/webhook',
			isLive: true,
			options: { requestsPerMinute: 0, preflight: false, postRef: '={{ $json.ref }}', postingHoursFrom: '09:00', postingHoursTo: '21:00', ...options },
		},
	});
}

/** Every profile's slots keep the rules: at most `max` in any 24 h, `gap` apart. */
function expectCadence(slotsByProfile: Map<string, number[]>, max: number, gap: number) {
	for (const slots of slotsByProfile.values()) {
		const sorted = [...slots].sort((a, b) => a - b);
		sorted.forEach((slot, i) => {
			expect(sorted.filter((other) => other >= slot && other < slot + DAY).length).toBeLessThanOrEqual(max);
			if (i > 0) expect(slot - sorted[i - 1]).toBeGreaterThanOrEqual(gap);
		});
	}
}

function byProfile(posts: Array<{ profile: string; slot: number }>) {
	const map = new Map<string, number[]>();
	for (const { profile, slot } of posts) map.set(profile, [...(map.get(profile) ?? []), slot]);
	return map;
}

describe('Post Across Profiles', () => {
	it('spreads 20 posts over 5 profiles at 2 a day: 10 in the first day\'s hours, the rest the next day', async () => {
		const result = await across(Array.from({ length: 20 }, (_, n) => n));
		expect(result.error).toBeUndefined();
		expect(farm.state.posts).toHaveLength(20);
		const days = result.output.map((item) => berlin(item.execute_at as number).slice(0, 10));
		expect(days.slice(0, 10)).toEqual(Array(10).fill('2026-12-07'));
		expect(days.slice(10)).toEqual(Array(10).fill('2026-12-08'));
		for (const item of result.output) {
			const time = berlin(item.execute_at as number).slice(11);
			expect(time >= '09:00' && time <= '21:00').toBe(true);
		}
		// What was sent is what the output says, item by item.
		expect(farm.state.posts.map((p) => [p.body.profile_id, p.body.execute_at])).toEqual(result.output.map((o) => [o.profile_id, o.execute_at]));
		const perDay = (day: string) => new Set(result.output.filter((o) => berlin(o.execute_at as number).startsWith(day)).map((o) => o.profile_id)).size;
		expect(perDay('2026-12-07')).toBe(5);
		expectCadence(byProfile(result.output.map((o) => ({ profile: o.profile_id as string, slot: o.execute_at as number }))), 2, 120 * MIN);
		expect(result.output[0]).toMatchObject({ task_id: expect.any(String), post_ref: 'row-0', reason: expect.any(String), scheduled_at: new Date(result.output[0].execute_at as number).toISOString() });
	});

	it('Plan Only shows the plan and sends, reserves and fetches nothing; posting then follows the plan', async () => {
		const plan = await across([0, 1, 2, 3, 4, 5, 6], {}, { planOnly: true, staticData: {} });
		expect(plan.error).toBeUndefined();
		expect(farm.state.requests).toBe(0);
		expect(plan.output.every((item) => item.planned === true && item.task_id === undefined)).toBe(true);
		expect(plan.output[0].status).toMatch(/^Planned only, nothing sent/);
		const posted = await across([0, 1, 2, 3, 4, 5, 6], {}, { staticData: {} });
		expect(posted.output.map((o) => [o.profile_id, o.execute_at, o.reason])).toEqual(plan.output.map((o) => [o.profile_id, o.execute_at, o.reason]));
	});

	it('a second run the same day continues the schedule instead of starting over', async () => {
		const staticData = {};
		const first = await across([0, 1, 2, 3, 4, 5], {}, { staticData });
		const second = await across([6, 7, 8, 9], {}, { staticData });
		const all = [...first.output, ...second.output];
		expect(all.every((o) => berlin(o.execute_at as number).startsWith('2026-12-07'))).toBe(true);
		expectCadence(byProfile(all.map((o) => ({ profile: o.profile_id as string, slot: o.execute_at as number }))), 2, 120 * MIN);
		expect(farm.state.posts).toHaveLength(10);
	});

	it('two overlapping executions on one pool keep every profile within its limit and gaps', async () => {
		const [a, b] = await Promise.all([across([0, 1, 2, 3, 4, 5, 6, 7], {}, { staticData: {} }), across([8, 9, 10, 11, 12, 13, 14, 15], {}, { staticData: {} })]);
		expect(a.error ?? b.error).toBeUndefined();
		const sent = farm.state.posts.map((p) => ({ profile: p.body.profile_id as string, slot: p.body.execute_at as number }));
		expect(sent).toHaveLength(16);
		expectCadence(byProfile(sent), 2, 120 * MIN);
	});

	it('takes the pool as a list from an expression, notes a repeat, and refuses an empty or malformed pool before sending', async () => {
		const listed = await across([0], {}, { profileIds: `={{ ${JSON.stringify([READY[0], READY[0].toUpperCase(), READY[1]])} }}` });
		expect(listed.output[0].notes).toEqual([`Profile ${READY[0]} is listed more than once in Profile IDs; it counts once.`]);
		const empty = await across([0], {}, { profileIds: ' , ' });
		expect(empty.error?.message).toBe('Profile IDs is empty [item 0]');
		const wrong = await across([0], {}, { profileIds: `${READY[0]}, rita.ready` });
		expect(wrong.error?.message).toBe('Profile IDs holds "rita.ready", which is not a UUID [item 0]');
		expect(farm.state.posts).toHaveLength(1);
	});

	it('refuses bad rules by field, before sending', async () => {
		const result = await across([0], { postingHoursFrom: '9am', timezone: 'Mars/Olympus', maxPostsPerDay: 0 });
		expect(result.error?.message).toBe('Max Posts per Profile per Day, Posting Hours From, Time Zone need fixing before posting [item 0]');
		expect(result.error?.description).toContain('Time Zone is "Mars/Olympus", which is not a time zone');
		expect(farm.state.requests).toBe(0);
	});

	it('an item that does not fit within the horizon fails alone, saying when the pool has room; nothing is sent for it', async () => {
		const result = await across([0, 1, 2], { maxPostsPerDay: 1, horizonDays: 1 }, { profileIds: READY.slice(0, 2).join(','), continueOnFail: true });
		expect(result.output.slice(0, 2).every((o) => typeof o.task_id === 'string')).toBe(true);
		expect(result.output[2].error).toMatch(/^Profile IDs /);
		expect(result.output[2].description).toMatch(/Horizon/);
		expect(result.output[2].description).toMatch(/the pool next has room at 2026-12-08T08:00:00.000Z/);
		expect(farm.state.posts).toHaveLength(2);
	});

	it('refuses the same media on a second profile by default, and allows it when asked', async () => {
		const refused = await across([3, 3], {}, { continueOnFail: true });
		expect(refused.output[1].error).toMatch(/^Media URL /);
		expect(refused.output[1].error).toContain(READY[0]);
		expect(farm.state.posts).toHaveLength(1);
		farm.reset();
		const allowed = await across([4, 4], { sameMedia: 'allow' });
		expect(allowed.error).toBeUndefined();
		const [first, second] = allowed.output;
		expect(first.profile_id).not.toBe(second.profile_id);
		expect(first.execute_at).toBe(second.execute_at); // the same first slot, on two accounts
		expect(farm.state.posts.map((p) => p.body.media_url)).toEqual([clip(4), clip(4)]);
	});

	it('a profile the farm refuses (409, not ready) frees its slot: the next item takes it, elsewhere', async () => {
		const result = await across([0, 1], {}, { profileIds: [WARMING, READY[0]].join('\n'), continueOnFail: true });
		expect(result.output[0]).toMatchObject({ code: '409', may_have_posted: false });
		expect(result.output[1]).toMatchObject({ task_id: expect.any(String) });
		expect(farm.state.posts.map((p) => p.body.profile_id)).toEqual([READY[0]]);
	});

	it('under Retry On Fail, the items already posted are not sent again', async () => {
		// Item 2's media is missing: the preflight refuses it on every try.
		const result = await across([0, 1, 99], { preflight: true }, { nodeSettings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 } });
		expect(result.error?.message).toMatch(/^Media URL answers HTTP 404 /);
		expect(farm.state.posts).toHaveLength(2);
		expect(result.error?.description).toContain(`item 0: ${farm.state.posts[0].task_id}, item 1: ${farm.state.posts[1].task_id}`);
	});

	it('a 502 keeps its slot: the next item goes elsewhere', async () => {
		farm.injectFault({ mode: '502', count: 1, path: '/v1/posts' });
		const result = await across([0, 1], {}, { profileIds: READY.slice(0, 1).join(','), continueOnFail: true });
		expect(result.output[0]).toMatchObject({ may_have_posted: true });
		expect((result.output[1].execute_at as number) - Date.parse('2026-12-07T08:00:00Z')).toBeGreaterThanOrEqual(120 * MIN);
	});
});
