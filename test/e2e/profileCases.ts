// The Profile resource and Sound ID's list in real n8n, for the end-to-end suite (it shares that
// suite's n8n): the Sound list through n8n's own list endpoint in the editor's back end, profile
// updates sent to the running n8n by webhook (pictures from URLs, and files downloaded by n8n's HTTP
// Request node and uploaded to the test S3 server), bad inputs refused with nothing sent, and an
// update and posts on one key kept within the team's limit.

import { startS3Server, type S3Server } from '../../dev/s3Server';
import { createFarmSandbox, DEFAULT_PROFILES, makeSources, profileObject, type FarmSandbox } from '../../dev/sandbox/farmSandbox';
import { makeImage } from '../../dev/sandbox/media';

const wf = require('../../dev/workflows');
const { localExamples } = require('../../dev/examples');

const [RITA, ROB] = DEFAULT_PROFILES.filter((p) => p.status === 'ready');
const WES = DEFAULT_PROFILES.find((p) => p.status === 'warming')!;
const CREDENTIAL_NAME = 'Farm Profile API (sandbox)';
const CASES = {
	update: { key: 'sk-profile-upd-1', credential: 'e2eProfileCred01', hook: 'a1b2c3d4-0000-4000-8000-0000000000c1', workflow: 'e2eProfileUpd001' },
	binary: { key: 'sk-profile-upd-1', credential: 'e2eProfileCred01', hook: 'a1b2c3d4-0000-4000-8000-0000000000c2', workflow: 'e2eProfileBin001' },
	pace: { key: 'sk-profile-pace-2', credential: 'e2eProfileCred02', hook: 'a1b2c3d4-0000-4000-8000-0000000000c3', workflow: 'e2eProfilePace01' },
};
const STORAGE = { id: 'e2eProfileStor01', name: 'Farm Storage (profile pictures)' };
/** The playground's example, its credential, and the sandbox address it is written for (scripts/start.js substitutes it too). */
const EXAMPLE = { id: 'farmExampleProf1', file: 'update-profiles.json', credential: 'farmPlaygrndCrd1' };

const jpeg = makeImage('jpeg', 'Rita');
const png = makeImage('png', 'Wes');
const gif = makeImage('gif');

export interface ProfileSetup {
	farm: FarmSandbox;
	/** The farm of the pacing case: 3 requests per 6 s per key. */
	paceFarm: FarmSandbox;
	s3: S3Server;
	credentials: object[];
	workflows: object[];
	/** Workflow ids to activate before n8n starts, and the webhook of each. */
	webhooks: Array<{ workflow: string; hook: string }>;
	stop(): Promise<void>;
}

const farmCredential = (c: { credential: string }) => ({ farmProfileApi: { id: c.credential, name: CREDENTIAL_NAME } });

/** Webhook ({profiles: [...]}) → one item per profile → `nodes`, in a row; answers with the last node's items. */
function profilesOnWebhook(c: { workflow: string; hook: string }, nodes: Array<{ name: string }>) {
	const webhook = wf.node('Start Webhook', 'n8n-nodes-base.webhook', 2, 0, { httpMethod: 'POST', path: c.hook, responseMode: 'lastNode', responseData: 'allEntries', options: {} }, { webhookId: c.hook });
	const profiles = wf.node('Profiles', 'n8n-nodes-base.code', 2, 120, { jsCode: 'return $input.first().json.body.profiles.map((profile) => ({ json: profile }));' });
	const chain = [webhook, profiles, ...nodes];
	const connections = Object.fromEntries(chain.slice(0, -1).map((from, i) => [from.name, { main: [[{ node: chain[i + 1].name, type: 'main', index: 0 }]] }]));
	return wf.workflow(c.workflow, `Profiles on webhook ${c.workflow}`, chain, connections);
}

/** Farm Profile (version 2) updating the item's profile; failures become error items. */
const updateNode = (name: string, x: number, parameters: object, credentials: object) =>
	wf.node(name, wf.NODE, 2, x, { resource: 'profile', operation: 'update', profileId: '={{ $json.profile_id }}', ...parameters }, { credentials, onError: 'continueRegularOutput' });

export async function profileSetup(): Promise<ProfileSetup> {
	const farm = await createFarmSandbox({
		apiKeys: [CASES.update.key],
		sources: makeSources(150, { 20: 'Morning lo-fi', 130: 'Lo-Fi study beats' }),
		verifyMedia: true,
		callbackDelayMs: 600_000,
		rateLimit: { limit: 0 },
	}).start();
	farm.serveMedia('rita.jpg', { body: jpeg, contentType: 'image/jpeg' });
	farm.serveMedia('wes.png', { body: png, contentType: 'image/png' });
	farm.serveMedia('gif-named.jpg', { body: gif, contentType: 'image/jpeg' });
	const paceFarm = await createFarmSandbox({ apiKeys: [CASES.pace.key], rateLimit: { limit: 3, windowMs: 6_000 }, callbackDelayMs: 600_000 }).start();
	const s3 = await startS3Server();

	const pace = { requestsPerMinute: 3, rateLimitWindow: 6 };
	const workflows = [
		...localExamples({ sandbox: farm.url }, EXAMPLE.file),
		profilesOnWebhook(CASES.update, [
			updateNode('Farm Profile', 240, { bio: '={{ $json.bio ?? "" }}', mediaSource: 'url', pictureUrl: '={{ $json.picture ?? "" }}' }, farmCredential(CASES.update)),
		]),
		profilesOnWebhook(CASES.binary, [
			wf.node('Download', 'n8n-nodes-base.httpRequest', 4.2, 240, {
				url: '={{ $json.picture }}',
				options: { response: { response: { responseFormat: 'file', outputPropertyName: 'data' } } },
			}),
			updateNode(
				'Farm Profile',
				360,
				{ profileId: '={{ $("Profiles").item.json.profile_id }}', mediaSource: 'binaryFile', binaryProperty: 'data' },
				{ ...farmCredential(CASES.binary), farmProfileStorageApi: { id: STORAGE.id, name: STORAGE.name } },
			),
		]),
		profilesOnWebhook(CASES.pace, [
			updateNode('Update profile', 240, { bio: '={{ $json.bio }}', options: pace }, farmCredential(CASES.pace)),
			wf.node('Post', wf.NODE, 2, 360, {
				resource: 'post',
				operation: 'post',
				profileId: '={{ $json.profile_id }}',
				mediaType: 'video',
				mediaUrl: '={{ "https://cdn.example.com/clips/" + $json.profile_id + ".mp4" }}',
				soundId: { __rl: true, mode: 'id', value: '7216519837462889218' },
				title: 'Tip of the day',
				webhookUrl: 'https://n8n.example.com/webhook/x/webhook',
				isLive: true,
				options: { ...pace, preflight: false, maxPostsPerDay: 0, duplicateWindowHours: 0 },
			}, { credentials: farmCredential(CASES.pace) }),
		]),
	];
	return {
		farm,
		paceFarm,
		s3,
		credentials: [
			wf.credential({ baseUrl: farm.url, apiKey: CASES.update.key, id: CASES.update.credential, name: CREDENTIAL_NAME }),
			wf.credential({ baseUrl: paceFarm.url, apiKey: CASES.pace.key, id: CASES.pace.credential, name: CREDENTIAL_NAME }),
			wf.credential({ baseUrl: farm.url, apiKey: CASES.update.key, id: EXAMPLE.credential, name: CREDENTIAL_NAME }),
			wf.storageCredential(s3.storageCredential(), STORAGE),
		],
		workflows,
		webhooks: Object.values(CASES).map((c) => ({ workflow: c.workflow, hook: c.hook })),
		stop: async () => {
			await farm.stop();
			await paceFarm.stop();
			await s3.close();
		},
	};
}

type Rest = (method: string, route: string, body?: unknown) => Promise<{ status: number; json: any; text: string }>;
type Execute = (workflowId: string) => Promise<{ ok: boolean; data: any; stdout: string; stderr: string }>;

/**
 * The cases; `context` gives the running n8n (base URL, its REST API as the owner, `n8n execute` of a
 * workflow as "Execute workflow" runs it) and the setup, once the suite has started them.
 */
export function profileCases(context: () => { baseUrl: string; rest: Rest; execute: Execute; setup: ProfileSetup }) {
	const send = async (c: { hook: string }, profiles: object[]) => {
		const response = await fetch(`${context().baseUrl}/webhook/${c.hook}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ profiles }),
		});
		expect(response.status).toBe(200);
		return (await response.json()) as Array<Record<string, any>>;
	};
	const media = (name: string) => `${context().setup.farm.url}/_media/${name}`;
	
	beforeEach(() => {
		context().setup.farm.reset();
		context().setup.s3.reset();
	});

	/** What the editor asks n8n for when the Sound ID list opens, scrolls or is searched. */
	const soundList = async (extra: { filter?: string; paginationToken?: string }) => {
		const response = await context().rest('POST', '/rest/dynamic-node-parameters/resource-locator-results', {
			path: 'parameters.soundId',
			nodeTypeAndVersion: { name: wf.NODE, version: 2 },
			currentNodeParameters: { resource: 'post', operation: 'post', soundId: { __rl: true, mode: 'list', value: '' }, options: {} },
			methodName: 'searchSounds',
			credentials: farmCredential(CASES.update),
			...extra,
		});
		expect(response.status).toBe(200);
		return response.json.data as { results: Array<{ name: string; value: string }>; paginationToken?: string };
	};

	it("Sound ID list: n8n's list endpoint gives the team's sounds, title and post count, 100 a page, and the second page by its token", async () => {
		const first = await soundList({});
		expect(first.results).toHaveLength(100);
		expect(first.results[19]).toEqual({ name: 'Morning lo-fi · 200 posts', value: '7300000000000000020' });
		expect(first.paginationToken).toEqual(expect.any(String));
		const second = await soundList({ paginationToken: first.paginationToken });
		expect(second.results).toHaveLength(50);
		expect(second.results[0]).toEqual({ name: 'Sound 101 · 1,010 posts', value: '7300000000000000101' });
		expect(second.paginationToken).toBeUndefined();
	});

	it('Sound ID list: a search finds the matching sounds on both pages, no hashtag among them', async () => {
		const found = await soundList({ filter: 'lo-fi' });
		expect(found.results).toEqual([
			{ name: 'Morning lo-fi · 200 posts', value: '7300000000000000020' },
			{ name: 'Lo-Fi study beats · 1,300 posts', value: '7300000000000000130' },
		]);
	});

	it('Update: the bio and a picture URL of each profile in a list; the profile objects come back, a note for one not ready', async () => {
		const { farm } = context().setup;
		const output = await send(CASES.update, [
			{ profile_id: RITA.profile_id, bio: 'Calm mornings, one tip a day', picture: media('rita.jpg') },
			{ profile_id: WES.profile_id, bio: 'Slow living', picture: media('wes.png') },
		]);
		expect(output).toEqual([
			profileObject(RITA),
			{ ...profileObject(WES), notes: ['The profile\'s status is "warming", not "ready": the update is applied, but only a ready profile may post.'] },
		]);
		expect(farm.state.profileUpdates.map((u) => [u.profile_id, u.body, u.picture?.kind])).toEqual([
			[RITA.profile_id, { bio: 'Calm mornings, one tip a day', profile_picture_url: media('rita.jpg') }, 'jpeg'],
			[WES.profile_id, { bio: 'Slow living', profile_picture_url: media('wes.png') }, 'png'],
		]);
	});

	it('Update: a picture downloaded by n8n as a file is uploaded to the storage and the farm downloads it by its link', async () => {
		const { farm, s3 } = context().setup;
		const [output] = await send(CASES.binary, [{ profile_id: RITA.profile_id, picture: media('wes.png') }]);
		expect(output).toEqual({ ...profileObject(RITA), uploaded_picture: expect.objectContaining({ source: 'binary', content_type: 'image/png', size: png.length }) });
		expect(s3.objects.size).toBe(1);
		const [applied] = farm.state.profileUpdates;
		expect(applied.picture).toMatchObject({ status: 200, kind: 'png', size: png.length });
		expect(JSON.stringify(output)).not.toMatch(/X-Amz-Signature=[0-9a-f]{16}/i);
	});

	it('Update: bad inputs are refused with what to fix, and nothing reaches the farm or the storage', async () => {
		const { farm, s3 } = context().setup;
		const refused = await send(CASES.update, [
			{ profile_id: 'rita.ready', bio: 'Hi' },
			{ profile_id: RITA.profile_id, bio: '' },
			{ profile_id: RITA.profile_id, picture: 'http://cdn.example.com/rita.jpg' },
			{ profile_id: RITA.profile_id, picture: media('gif-named.jpg') },
		]);
		expect(refused.map((item) => item.error)).toEqual([
			'Profile ID is not a UUID [item 0]',
			'Bio is empty, and so is Picture URL [item 1]',
			'Picture URL uses http:// [item 2]',
			'Picture URL is a GIF image, not a JPEG or PNG (checked by its bytes, not its name) [item 3]',
		]);
		for (const item of refused) expect(item.description).toContain('Nothing was sent to the farm API.');
		const [file] = await send(CASES.binary, [{ profile_id: RITA.profile_id, picture: media('gif-named.jpg') }]);
		expect(file.error).toBe('Input Binary Field "data" is a GIF image, not a JPEG or PNG (checked by its bytes, not its name) [item 0]');
		expect(farm.state.requests).toBe(0);
		expect(s3.requests).toEqual([]);
	});

	it("the playground's example sets the bio and picture of each profile in its list", async () => {
		const { farm } = context().setup;
		const result = await context().execute(EXAMPLE.id);
		if (!result.ok) throw new Error(`${result.stdout}\n${result.stderr}`);
		const output = result.data.data.resultData.runData['Update profile'][0].data.main[0].map((item: { json: object }) => item.json);
		expect(output).toEqual([profileObject(RITA), profileObject(ROB), expect.objectContaining({ ...profileObject(WES), notes: [expect.stringContaining('"warming"')] })]);
		expect(farm.state.profileUpdates.map((u) => [u.profile_id, u.picture?.kind])).toEqual([
			[RITA.profile_id, 'jpeg'],
			[ROB.profile_id, 'png'],
			[WES.profile_id, 'jpeg'],
		]);
	});

	it('an update and posts on one key stay within the limit: 2 updates and 2 posts at 3 per window, none refused', async () => {
		const { paceFarm } = context().setup;
		paceFarm.reset();
		const posted = await send(CASES.pace, [
			{ profile_id: RITA.profile_id, bio: 'Morning person' },
			{ profile_id: ROB.profile_id, bio: 'Evening person' },
		]);
		expect(posted.map((item) => [item.profile_id, typeof item.task_id])).toEqual([
			[RITA.profile_id, 'string'],
			[ROB.profile_id, 'string'],
		]);
		expect(paceFarm.state.profileUpdates).toHaveLength(2);
		expect(paceFarm.state.posts).toHaveLength(2);
		// Four requests in all: the fourth waited for the window instead of meeting a 429 and a resend.
		expect(paceFarm.state.requests).toBe(4);
	});
}
