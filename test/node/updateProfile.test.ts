// Profile → Update inside n8n-core: real WorkflowExecute, real HTTP to the loopback sandbox (which
// downloads each picture as the farm would) and, for a binary picture, the upload to the
// signature-checking test S3 server. Every assertion on what was sent is on what the servers received.

import { createHash } from 'node:crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { startS3Server, type S3Server } from '../../dev/s3Server';
import { createFarmSandbox, DEFAULT_PROFILES, profileObject, type FarmSandbox } from '../../dev/sandbox/farmSandbox';
import { makeImage } from '../../dev/sandbox/media';
import { binaryFile, ONLY_THE_POST, runFarmProfileNode, type RunOptions } from '../harness/runWorkflow';

const API_KEY = 'sk-profile-2b7d4e91';
const OTHER_TEAM_KEY = 'sk-profile-other-5f3a';
const [RITA, ROB] = DEFAULT_PROFILES.filter((p) => p.status === 'ready');
const WES = DEFAULT_PROFILES.find((p) => p.status === 'warming')!;
const UNKNOWN = '99999999-9999-4999-8999-999999999999';

const jpeg = makeImage('jpeg', 'Rita');
const png = makeImage('png', 'Wes');
const gif = makeImage('gif');
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

// The farm knows two teams: Rob belongs to the other one.
const TEAMS = { [API_KEY]: DEFAULT_PROFILES.filter((p) => p !== ROB).map((p) => p.profile_id), [OTHER_TEAM_KEY]: [ROB.profile_id] };

let farm: FarmSandbox;
let s3: S3Server;
let storage: ICredentialDataDecryptedObject;
const pictures: Record<string, string> = {};
beforeAll(async () => {
	[farm, s3] = await Promise.all([
		createFarmSandbox({ apiKeys: [API_KEY, OTHER_TEAM_KEY], teams: TEAMS, verifyMedia: true, callbackDelayMs: 600_000, rateLimit: { limit: 0 } }).start(),
		startS3Server(),
	]);
	storage = s3.storageCredential();
	pictures.jpeg = farm.serveMedia('rita.jpg', { body: jpeg, contentType: 'image/jpeg' });
	pictures.png = farm.serveMedia('wes.png', { body: png, contentType: 'image/png' });
	pictures.webpNamedJpg = farm.serveMedia('fake.jpg', { body: makeImage('webp'), contentType: 'image/jpeg' });
});
afterAll(async () => await Promise.all([farm.stop(), s3.close()]));
beforeEach(() => {
	farm.reset();
	s3.reset();
});

const update = (parameters: Record<string, unknown>, extra: Partial<RunOptions> = {}) =>
	runFarmProfileNode({
		items: [{ n: 0 }],
		credentials: { apiKey: API_KEY, baseUrl: farm.url },
		parameters: { resource: 'profile', operation: 'update', profileId: RITA.profile_id, ...parameters, options: { requestsPerMinute: 0, ...(parameters.options as object) } },
		nodeSettings: { typeVersion: 2 },
		...extra,
	});


function expectNoSecrets(result: { output: unknown; error?: object }) {
	const text = JSON.stringify(result.output) + JSON.stringify(result.error ?? {});
	expect(text).not.toContain(API_KEY);
	expect(text).not.toMatch(/X-Amz-Signature=[0-9a-f]{16}/i);
	expect(text).not.toContain(String(storage.secretAccessKey));
}

describe('update from fields and URLs', () => {
	it('sets the bio and picture of each profile in a list: one PATCH per item, the profile objects as output', async () => {
		const result = await update(
			{ profileId: '={{ $json.profile }}', bio: '={{ $json.bio }}', pictureUrl: '={{ $json.picture }}' },
			{ items: [{ profile: RITA.profile_id, bio: 'Calm mornings, one tip a day', picture: pictures.jpeg }, { profile: WES.profile_id, bio: 'Slow living', picture: pictures.png }] },
		);
		expect(result.error).toBeUndefined();
		expect(farm.state.profileUpdates.map((u) => [u.profile_id, u.body, u.picture?.kind])).toEqual([
			[RITA.profile_id, { bio: 'Calm mornings, one tip a day', profile_picture_url: pictures.jpeg }, 'jpeg'],
			[WES.profile_id, { bio: 'Slow living', profile_picture_url: pictures.png }, 'png'],
		]);
		expect(result.output).toEqual([
			profileObject(RITA),
			{ ...profileObject(WES), notes: ['The profile\'s status is "warming", not "ready": the update is applied, but only a ready profile may post.'] },
		]);
		// Each picture was looked at before its PATCH: a HEAD and a ranged read of its first bytes.
		expect(farm.state.mediaRequests.filter((r) => r.name === 'rita.jpg').map((r) => r.method)).toEqual(['HEAD', 'GET', 'GET']);
	});

	it('a bio alone sends only the bio and looks at no picture', async () => {
		const result = await update({ bio: 'Just the bio' });
		expect(result.output).toEqual([profileObject(RITA)]);
		expect(farm.state.profileUpdates.map((u) => u.body)).toEqual([{ bio: 'Just the bio' }]);
		expect(farm.state.mediaRequests).toEqual([]);
	});
});

describe('update from the binary file', () => {
	it('checks the PNG by its bytes, uploads it to the storage, and the farm gets a link it can download', async () => {
		const result = await update(
			{ mediaSource: 'binaryFile', binaryProperty: 'avatar' },
			{ binaries: [{ avatar: binaryFile(png, 'rita.png', 'image/png') }], storageCredentials: storage },
		);
		expect(result.error).toBeUndefined();
		const [stored] = [...s3.objects.values()];
		expect(stored).toMatchObject({ sha256: sha(png), contentType: 'image/png' });
		const [applied] = farm.state.profileUpdates;
		expect(applied.body.bio).toBeUndefined();
		expect(applied.picture).toMatchObject({ status: 200, kind: 'png', sha256: sha(png) });
		expect(new URL(applied.body.profile_picture_url!).searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
		expect(result.output).toEqual([
			{
				...profileObject(RITA),
				uploaded_picture: expect.objectContaining({ source: 'binary', key: expect.stringMatching(/\/profile-5b0c8a4e-2f61-4c3a-9d0e-7a1b2c3d4e5f-[0-9a-f]{16}\.png$/), content_type: 'image/png', size: png.length }),
			},
		]);
		expectNoSecrets(result);
	});

	it('a failed upload says the profile was not changed, names the storage credential, and sends nothing to the farm', async () => {
		const result = await update(
			{ mediaSource: 'binaryFile', binaryProperty: 'data' },
			{ binaries: [{ data: binaryFile(png, 'rita.png', 'image/png') }], storageCredentials: { ...storage, secretAccessKey: 'wrong/secret+KEY0000000000000000000000' } },
		);
		expect(result.error?.message).toMatch(/^The storage rejected the request signature/);
		expect(result.error?.description).toContain('The profile was not changed.');
		expect(result.error?.description).not.toContain('Nothing was posted');
		expect(farm.state.requests).toBe(0);
		expectNoSecrets(result);
	});

	it('refuses a file that is neither JPEG nor PNG before uploading or sending anything', async () => {
		const result = await update(
			{ bio: 'x', mediaSource: 'binaryFile', binaryProperty: 'data' },
			{ binaries: [{ data: binaryFile(gif, 'avatar.jpg', 'image/jpeg') }], storageCredentials: storage },
		);
		expect(result.error?.message).toBe('Input Binary Field "data" is a GIF image, not a JPEG or PNG (checked by its bytes, not its name) [item 0]');
		expect(result.error?.description).toContain('Nothing was sent to the farm API.');
		expect(s3.requests).toEqual([]);
		expect(farm.state.requests).toBe(0);
	});
});

describe('refused before anything is sent', () => {
	it('every problem of the item at once: Profile ID not a UUID, Picture URL on plain http', async () => {
		const result = await update({ profileId: 'rita.ready', bio: 'x', pictureUrl: 'http://cdn.example.com/rita.jpg' });
		expect(result.error?.message).toBe('Profile ID, Picture URL need fixing before updating the profile [item 0]');
		expect(result.error?.description).toMatch(/Profile ID is not a UUID: .*\nPicture URL uses http:\/\/: .*\nNothing was sent to the farm API\./);
		expect(farm.state.requests).toBe(0);
		expect(farm.state.mediaRequests).toEqual([]);
	});

	it('an update of nothing (no bio, no picture)', async () => {
		const result = await update({});
		expect(result.error?.message).toBe('Bio is empty, and so is Picture URL [item 0]');
		expect(farm.state.requests).toBe(0);
	});

	it('a Picture URL that is not a JPEG or PNG by its bytes, whatever its name and type say', async () => {
		const result = await update({ pictureUrl: pictures.webpNamedJpg });
		expect(result.error?.message).toBe('Picture URL is a WebP image, not a JPEG or PNG (checked by its bytes, not its name) [item 0]');
		expect(farm.state.requests).toBe(0);
	});
});

describe("the farm's refusals, each with its fix", () => {
	it('404 unknown, 403 another team\'s, 422 by field; with Continue On Fail the other items are updated', async () => {
		const result = await update(
			{ profileId: '={{ $json.profile }}', bio: '={{ $json.bio }}' },
			{
				items: [
					{ profile: UNKNOWN, bio: 'a' },
					{ profile: ROB.profile_id, bio: 'b' },
					{ profile: RITA.profile_id, bio: 'x'.repeat(81) },
					{ profile: RITA.profile_id, bio: 'fits' },
				],
				continueOnFail: true,
			},
		);
		const [unknown, otherTeam, tooLong, fine] = result.output;
		expect(unknown).toEqual({
			error: 'Farm profile not found (404) [item 0]',
			description: expect.stringMatching(/^The profile was not changed\. Check Profile ID: .*\nServer said: Farm profile not found$/s),
			code: '404',
			may_have_posted: false,
		});
		expect(otherTeam).toMatchObject({ error: 'The farm profile belongs to another team (403) [item 1]', code: '403' });
		expect(tooLong).toMatchObject({ error: 'The farm API could not accept these fields (422) [item 2]', description: expect.stringContaining('Server said: Bio: String should have at most 80 characters') });
		expect(fine).toEqual(profileObject(RITA));
		expect(farm.state.profileUpdates.map((u) => u.body)).toEqual([{ bio: 'fits' }]);
		expectNoSecrets(result);
	});

	it('a 409 shows the server\'s reason; a 502 says the update may or may not be applied and is safe to repeat, and is not sent again', async () => {
		farm.injectFault({ mode: 'status', status: 409, body: { detail: 'Profile is being set up' }, path: `/v1/farm-profiles/${RITA.profile_id}` });
		const conflict = await update({ bio: 'x' });
		expect(conflict.error).toMatchObject({ message: 'The farm API refused to change the profile now (409) [item 0]', description: expect.stringContaining('Server said: Profile is being set up') });

		farm.reset();
		farm.injectFault({ mode: 'status', status: 502, body: { detail: 'Bad Gateway' }, path: `/v1/farm-profiles/${RITA.profile_id}` });
		const gateway = await update({ bio: 'x' });
		expect(gateway.error).toMatchObject({ message: 'The farm API answered 502 Bad Gateway [item 0]', description: expect.stringContaining('An update is safe to repeat') });
		expect(farm.state.requests).toBe(1);
	});
});

describe("the team's pacing", () => {
	let limited: FarmSandbox;
	beforeAll(async () => {
		limited = await createFarmSandbox({ apiKeys: ['sk-profile-pace-8c1d'], rateLimit: { limit: 3, windowMs: 1_000 }, callbackDelayMs: 600_000 }).start();
	});
	afterAll(async () => limited.stop());

	it('an update and posts with one key share the budget: 2 updates then 2 posts under 3 per window, none refused', async () => {
		const credentials = { apiKey: 'sk-profile-pace-8c1d', baseUrl: limited.url };
		const pace = { requestsPerMinute: 3, rateLimitWindow: 1.2 };
		const updated = await runFarmProfileNode({
			items: [{ n: 0 }, { n: 1 }],
			credentials,
			parameters: { resource: 'profile', operation: 'update', profileId: RITA.profile_id, bio: '={{ "Bio " + $json.n }}', options: pace },
		});
		const posted = await runFarmProfileNode({
			items: [{ n: 0 }, { n: 1 }],
			credentials,
			parameters: {
				operation: 'post',
				profileId: RITA.profile_id,
				mediaType: 'video',
				mediaUrl: '={{ "https://cdn.example.com/clips/clip-" + $json.n + ".mp4" }}',
				soundId: '7216519837462889218',
				title: 'Tip',
				webhookUrl: 'https://n8n.example.com/webhook/abc/webhook',
				options: { ...ONLY_THE_POST, ...pace },
			},
		});
		expect(updated.error).toBeUndefined();
		expect(posted.error).toBeUndefined();
		expect(limited.state.profileUpdates).toHaveLength(2);
		expect(limited.state.posts).toHaveLength(2);
		// Four requests in all: the fourth waited for the window instead of meeting a 429 and a resend.
		expect(limited.state.requests).toBe(4);
	});
});
