// Post Across Profiles in real n8n, for the end-to-end suite (it shares that suite's n8n): batches
// sent to a running n8n by webhook, as a generator's schedule would, over the sandbox's five ready
// profiles at 2 a day in Berlin's posting hours from tomorrow on.

import { createFarmSandbox, DEFAULT_PROFILES, type FarmSandbox } from '../../dev/sandbox/farmSandbox';

const wf = require('../../dev/workflows');

const POOL = DEFAULT_PROFILES.filter((p) => p.status === 'ready').map((p) => p.profile_id);
const DAY = 86_400_000;
const CASES = {
	sequence: { key: 'sk-fleet-seq-1', credential: 'e2eFleetCred0001', hook: 'a1b2c3d4-0000-4000-8000-0000000000e1', workflow: 'e2eFleetSeq00001' },
	overlap: { key: 'sk-fleet-ovl-2', credential: 'e2eFleetCred0002', hook: 'a1b2c3d4-0000-4000-8000-0000000000e2', workflow: 'e2eFleetOvl00001' },
};

const berlin = (ms: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', dateStyle: 'short', timeStyle: 'short' }).format(new Date(ms));

/** Midnight in Berlin at the start of tomorrow there, as the date picker writes it (no zone). */
function tomorrowInBerlin(): string {
	const today = berlin(Date.now()).slice(0, 10);
	const next = new Date(Date.parse(`${today}T12:00:00Z`) + DAY).toISOString().slice(0, 10);
	return `${next}T00:00:00`;
}

export interface FleetSetup {
	farm: FarmSandbox;
	credentials: object[];
	workflows: object[];
	/** Workflow ids to activate before n8n starts, and the webhook of each. */
	webhooks: Array<{ workflow: string; hook: string }>;
}

export async function fleetSetup(): Promise<FleetSetup> {
	const farm = await createFarmSandbox({ apiKeys: Object.values(CASES).map((c) => c.key), callbackDelayMs: 600_000, rateLimit: { limit: 0, windowMs: 60_000 } }).start();
	const parameters = {
		operation: 'postAcrossProfiles',
		profileIds: POOL.join('\n'),
		mediaType: 'video',
		mediaUrl: `={{ "${farm.url}/_media/generated-" + $json.n + ".mp4" }}`,
		soundId: '7216519837462889218',
		title: '={{ "Tip " + $json.n }}',
		webhookUrl: 'https://n8n.example.com/webhook/x/webhook',
		isLive: true,
		options: { postRef: '={{ "tip-" + $json.n }}', postingHoursFrom: '09:00', postingHoursTo: '21:00', timezone: 'Europe/Berlin', start: '={{ $json.start }}', requestsPerMinute: 0 },
	};
	return {
		farm,
		credentials: Object.values(CASES).map((c) => wf.credential({ baseUrl: farm.url, apiKey: c.key, id: c.credential })),
		workflows: Object.values(CASES).map((c) => wf.batchOnWebhookWorkflow(c.workflow, c.hook, parameters, c.credential)),
		webhooks: Object.values(CASES).map((c) => ({ workflow: c.workflow, hook: c.hook })),
	};
}

type Output = Array<{ profile_id: string; execute_at: number; task_id?: string; error?: string }>;

/** The cases; `context` gives the running n8n's base URL and the farm once the suite has started them. */
export function fleetCases(context: () => { baseUrl: string; farm: FarmSandbox }) {
	const batch = async (hook: string, from: number, count: number, start: string): Promise<Output> => {
		const response = await fetch(`${context().baseUrl}/webhook/${hook}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ from, count, start }),
		});
		expect(response.status).toBe(200);
		return (await response.json()) as Output;
	};
	const expectCadence = (posts: Array<{ profile: string; slot: number }>) => {
		for (const profile of POOL) {
			const slots = posts.filter((p) => p.profile === profile).map((p) => p.slot).sort((a, b) => a - b);
			slots.forEach((slot, i) => {
				expect(slots.filter((other) => other >= slot && other < slot + DAY).length).toBeLessThanOrEqual(2);
				if (i > 0) expect(slot - slots[i - 1]).toBeGreaterThanOrEqual(120 * 60_000);
			});
		}
	};

	it('Post Across Profiles: 20 over 5 profiles at 2 a day, 10 in the first day\'s hours, 10 the next; a second run continues', async () => {
		const start = tomorrowInBerlin();
		const first = await batch(CASES.sequence.hook, 1, 20, start);
		expect(first.filter((item) => item.error)).toEqual([]);
		const day = (item: Output[number]) => berlin(item.execute_at).slice(0, 10);
		const firstDay = start.slice(0, 10);
		expect(first.slice(0, 10).map(day)).toEqual(Array(10).fill(firstDay));
		expect(new Set(first.slice(0, 10).map((item) => item.profile_id))).toEqual(new Set(POOL));
		expect(new Set(first.slice(10).map(day)).size).toBe(1);
		expect(first.slice(10).every((item) => day(item) > firstDay)).toBe(true);
		for (const item of first) {
			const time = berlin(item.execute_at).slice(11);
			expect(time >= '09:00' && time <= '21:00').toBe(true);
		}
		// The same day, the next batch continues where the first left off: the third day.
		const second = await batch(CASES.sequence.hook, 21, 5, start);
		expect(second.every((item) => day(item) > day(first[19]))).toBe(true);
		const all = [...first, ...second].map((item) => ({ profile: item.profile_id, slot: item.execute_at }));
		expectCadence(all);
		// What the farm received is what the node said, each post once.
		const posts = context().farm.state.posts.filter((post) => first.concat(second).some((item) => item.task_id === post.task_id));
		expect(posts).toHaveLength(25);
		expect(posts.map((post) => [post.body.profile_id, post.body.execute_at])).toEqual(first.concat(second).map((item) => [item.profile_id, item.execute_at]));
	});

	it('Post Across Profiles: two overlapping executions on one pool keep every profile within 2 a day and 2 h apart', async () => {
		const start = tomorrowInBerlin();
		const [a, b] = await Promise.all([batch(CASES.overlap.hook, 101, 8, start), batch(CASES.overlap.hook, 201, 8, start)]);
		expect([...a, ...b].filter((item) => item.error)).toEqual([]);
		const ids = new Set([...a, ...b].map((item) => item.task_id));
		const posts = context().farm.state.posts.filter((post) => ids.has(post.task_id));
		expect(posts).toHaveLength(16);
		expectCadence(posts.map((post) => ({ profile: post.body.profile_id as string, slot: post.body.execute_at as number })));
	});
}
