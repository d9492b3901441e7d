// Media Source "Binary File" in real n8n, once per major version: the packed package inside n8n, files
// got the way a user gets them (n8n's HTTP Request node, Response Format: File, from the sandbox's
// /_media/), uploaded to the signature-checking test S3 server (dev/s3Server.js) and posted to the
// sandbox farm API, which downloads each link as the farm's phone would (verifyMedia) and refuses what
// it cannot read.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

import { startS3Server, type S3Server } from '../../dev/s3Server';
import { createFarmSandbox, DEFAULT_PROFILES, type FarmSandbox } from '../../dev/sandbox/farmSandbox';
import { makeMp4 } from '../../dev/sandbox/media';

const { N8nInstance, packPackage } = require('../../dev/n8nInstance');
const wf = require('../../dev/workflows');

const API_KEY = 'sk-e2e-binary-4e5f6a7b';
const READY = DEFAULT_PROFILES.find((p) => p.status === 'ready')!.profile_id;
const BAD_STORAGE_ID = 'farmStorageBad001';
const WRONG_SECRET = 'wrong/secret+KEY0000000000000000000000';
const WORKFLOWS = {
	video: 'e2eBinVideo00001',
	slideshow: 'e2eBinSlides0001',
	pngSlide: 'e2eBinPngSlide01',
	notMp4: 'e2eBinNotMp40001',
	badSecret: 'e2eBinBadSecret1',
};

const jpeg = (n: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from(`JFIF slide ${n} `.repeat(40 + n)), Buffer.from([0xff, 0xd9])]);
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const MP4 = makeMp4(20, { mdatBytes: 64 * 1024 });
const SLIDES = [jpeg(1), jpeg(2), jpeg(3)];

type Execution = { ok: boolean; data: any; stdout: string; stderr: string };

export function binaryMediaSuite(major: 1 | 2) {
	jest.setTimeout(15 * 60_000);

	let sandbox: FarmSandbox;
	let s3: S3Server;
	let n8n: InstanceType<typeof N8nInstance>;
	let storage: Record<string, unknown>;
	const timings: string[] = [];
	const began = Date.now();

	const timed = async (label: string, run: () => Promise<Execution>) => {
		const start = Date.now();
		const result = await run();
		timings.push(`${label} ${((Date.now() - start) / 1000).toFixed(1)} s`);
		return result;
	};

	beforeAll(async () => {
		s3 = await startS3Server();
		sandbox = await createFarmSandbox({ apiKeys: [API_KEY], callbackDelayMs: 600_000, rateLimit: { limit: 0 }, verifyMedia: true }).start();
		sandbox.serveMedia('clip.mp4', { body: MP4, contentType: 'video/mp4' });
		SLIDES.forEach((data, index) => sandbox.serveMedia(`photo-${index + 1}.jpg`, { body: data, contentType: 'image/jpeg' }));
		sandbox.serveMedia('photo-2.png', { body: png, contentType: 'image/png' });
		sandbox.serveMedia('not-a-video.mp4', { body: jpeg(9), contentType: 'video/mp4' });

		const tarball = packPackage(join(tmpdir(), `farm-pack-binary-${major}-${process.pid}`));
		n8n = await N8nInstance.create({ major, tarball });
		process.stdout.write(`binary media end-to-end: n8n ${n8n.host.version} on Node ${n8n.host.nodeVersion}\n`);

		storage = s3.storageCredential();
		await n8n.importCredentials([
			wf.credential({ baseUrl: sandbox.url, apiKey: API_KEY }),
			wf.storageCredential(storage),
			wf.storageCredential({ ...storage, secretAccessKey: WRONG_SECRET }, { id: BAD_STORAGE_ID, name: 'Farm Storage (wrong secret)' }),
		]);
		const media = (name: string) => `${sandbox.url}/_media/${name}`;
		const post = (mediaType: 'video' | 'slideshow', extra: object = {}) => ({
			profileId: READY,
			mediaType,
			soundId: '7216519837462889218',
			title: 'From a downloaded file',
			webhookUrl: 'https://n8n.example.com/webhook/x/webhook',
			// The guards have their own tests; here the same clip is posted in both binary data modes.
			options: { maxPostsPerDay: 0, duplicateWindowHours: 0 },
			...extra,
		});
		await n8n.importWorkflows([
			wf.downloadAndPostWorkflow(WORKFLOWS.video, { urls: [media('clip.mp4')], parameters: post('video', { binaryProperty: 'data' }) }),
			wf.downloadAndPostWorkflow(WORKFLOWS.slideshow, {
				urls: [1, 2, 3].map((n) => media(`photo-${n}.jpg`)),
				parameters: post('slideshow', { binaryProperties: 'data, data_1, data_2' }),
			}),
			wf.downloadAndPostWorkflow(WORKFLOWS.pngSlide, {
				urls: [media('photo-1.jpg'), media('photo-2.png'), media('photo-3.jpg')],
				parameters: post('slideshow', { binaryProperties: 'data, data_1, data_2' }),
			}),
			wf.downloadAndPostWorkflow(WORKFLOWS.notMp4, { urls: [media('not-a-video.mp4')], parameters: post('video') }),
			wf.downloadAndPostWorkflow(WORKFLOWS.badSecret, { urls: [media('clip.mp4')], parameters: post('video'), storageCredentialId: BAD_STORAGE_ID }),
		]);
	});

	afterAll(async () => {
		process.stdout.write(`binary media end-to-end, n8n ${major}.x: ${timings.join(', ')}; whole suite ${((Date.now() - began) / 1000).toFixed(0)} s\n`);
		await n8n?.dispose();
		await sandbox?.stop();
		await s3?.close();
	});

	beforeEach(() => {
		sandbox.reset();
		s3.objects.clear();
		s3.requests.length = 0;
	});

	const runData = (result: Execution) => result.data?.data?.resultData?.runData ?? {};
	const farmOutput = (result: Execution) => runData(result)['Farm Profile'][0].data.main[0][0].json;
	const text = (result: Execution) => result.stdout + result.stderr;

	/** Nothing that signs or opens the storage appears in what n8n printed. */
	function expectNoSecrets(result: Execution) {
		expect(text(result)).not.toMatch(/X-Amz-Signature=[0-9a-f]{8}/i);
		for (const post of sandbox.state.posts) {
			const signature = new URL(String(post.body.media_url)).searchParams.get('X-Amz-Signature');
			if (signature) expect(text(result)).not.toContain(signature);
		}
		expect(text(result)).not.toContain(String(storage.secretAccessKey));
		expect(text(result)).not.toContain(WRONG_SECRET);
	}

	/** The one object the S3 server stored: its key (without the bucket) and body. */
	function storedObject() {
		expect([...s3.objects.keys()]).toHaveLength(1);
		const [[id, object]] = [...s3.objects.entries()];
		expect(id.startsWith('farm-media/farm/uploads/')).toBe(true);
		return { key: id.slice('farm-media/'.length), object };
	}

	async function postsTheVideo(result: Execution) {
		expect(result.ok).toBe(true);
		const { key, object } = storedObject();
		expect(object.body!.equals(MP4)).toBe(true);
		expect(object.contentType).toBe('video/mp4');
		expect(key).toMatch(new RegExp(`^farm/uploads/\\d{4}/\\d{2}/\\d{2}/[\\w.-]+-${sha(MP4).slice(0, 16)}\\.mp4$`));

		// The farm downloaded the presigned link (the S3 server checked its signature) and read an MP4.
		expect(sandbox.state.posts).toHaveLength(1);
		const [post] = sandbox.state.posts;
		expect(String(post.body.media_url).startsWith(`${s3.endpoint}/farm-media/${key}?`)).toBe(true);
		expect(post.media).toMatchObject({ status: 200, kind: 'mp4', size: MP4.length, sha256: sha(MP4) });
		expect(s3.requests.filter((r) => r.method === 'GET' && r.auth === 'query' && r.outcome === 'Served')).toHaveLength(1);

		expect(farmOutput(result)).toMatchObject({
			task_id: post.task_id,
			media: expect.objectContaining({ source: 'binary', bucket: 'farm-media', key, size: MP4.length, sha256: sha(MP4), content_type: 'video/mp4', fields: ['data'] }),
		});
		expect(String(farmOutput(result).media_url)).toContain('X-Amz-Signature=[redacted]');
		expectNoSecrets(result);
	}

	/** How n8n held the downloaded file: 'filesystem' (an id on disk) or 'memory' (base64 in the item). */
	const binaryMode = (result: Execution) => {
		const binary = runData(result).Download[0].data.main[0][0].binary.data;
		return typeof binary.id === 'string' && binary.id.startsWith('filesystem') ? 'filesystem' : binary.id ? binary.id.split(':')[0] : 'memory';
	};

	describe('n8n execute', () => {
		it('(a) a video downloaded by the HTTP Request node: uploaded, its presigned link posted, fetched and read by the farm', async () => {
			const result = await timed('video', () => n8n.execute(WORKFLOWS.video));
			if (!result.ok) throw new Error(text(result));
			await postsTheVideo(result);
			// n8n 1.x keeps binary data in memory by default; 2.x on disk (filesystem mode is its default).
			expect(binaryMode(result)).toBe(major === 1 ? 'memory' : 'filesystem');
		});

		it("(a) the same in n8n's filesystem binary data mode (N8N_DEFAULT_BINARY_DATA_MODE=filesystem)", async () => {
			// Same user folder (database, credentials, workflows, the installed package), other environment.
			const onDisk = await N8nInstance.create({ major, userFolder: n8n.userFolder, env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' } });
			const result = await timed('video (filesystem mode)', () => onDisk.execute(WORKFLOWS.video));
			if (!result.ok) throw new Error(text(result));
			expect(binaryMode(result)).toBe('filesystem');
			await postsTheVideo(result);
		});

		it('(b) three JPGs downloaded, brought onto one item by Aggregate (Include Binaries), posted as a slideshow', async () => {
			const result = await timed('slideshow', () => n8n.execute(WORKFLOWS.slideshow));
			if (!result.ok) throw new Error(text(result));
			expect(Object.keys(runData(result).Aggregate[0].data.main[0][0].binary)).toEqual(['data', 'data_1', 'data_2']);

			const { key, object } = storedObject();
			const zip = object.body!;
			expect(object.contentType).toBe('application/zip');
			expect(key).toMatch(new RegExp(`-${sha(zip).slice(0, 16)}\\.zip$`));

			expect(sandbox.state.posts).toHaveLength(1);
			const [post] = sandbox.state.posts;
			expect(post.body.media_type).toBe('slideshow');
			expect(post.media).toMatchObject({
				status: 200,
				kind: 'zip',
				size: zip.length,
				sha256: sha(zip),
				entries: SLIDES.map((data, index) => ({ name: `slide-${index + 1}.jpg`, size: data.length })),
			});
			expect(farmOutput(result)).toMatchObject({
				task_id: post.task_id,
				media: expect.objectContaining({ bucket: 'farm-media', key, size: zip.length, sha256: sha(zip), slides: 3, fields: ['data', 'data_1', 'data_2'] }),
			});
			expectNoSecrets(result);
		});

		/** `n8n execute` exits 1 and prints the execution with the node's error: message (with the item) and description (the fix). */
		const refused = async (label: string, workflow: string, message: RegExp, fix: RegExp) => {
			const result = await timed(label, () => n8n.execute(workflow));
			expect(result.ok).toBe(false);
			expect(text(result)).toContain('Execution was NOT successful');
			const error = result.data?.data?.resultData?.error ?? {};
			expect(error.node?.name).toBe('Farm Profile');
			expect(error.message).toMatch(message);
			expect(error.message).toMatch(/\[item 0\]$/);
			expect(error.description).toMatch(fix);
			expect(sandbox.state.requests).toBe(0);
			expect(sandbox.state.posts).toHaveLength(0);
			expect(s3.objects.size).toBe(0);
			expectNoSecrets(result);
			return result;
		};

		it('(c) a PNG among the slides: the clear error, nothing uploaded, no post', async () => {
			await refused(
				'png slide',
				WORKFLOWS.pngSlide,
				/^Input Binary Fields "data_1" \(slide 2\) is a PNG image, not a JPEG \(checked by its bytes, not its name\)/,
				/convert it with the Edit Image node to JPEG[\s\S]*Nothing was sent to the farm API\./,
			);
			expect(s3.requests).toHaveLength(0);
		});

		it('(c) a "video" that is not an MP4: the clear error, nothing uploaded, no post', async () => {
			await refused(
				'not mp4',
				WORKFLOWS.notMp4,
				/^Input Binary Field "data" is not an MP4 video \(its bytes do not start with an ftyp box\)/,
				/give an MP4 \(H\.264\) video[\s\S]*Nothing was sent to the farm API\./,
			);
			expect(s3.requests).toHaveLength(0);
		});

		it('(c) a wrong secret key in the storage credential: SignatureDoesNotMatch, named, no post', async () => {
			const result = await refused(
				'wrong secret',
				WORKFLOWS.badSecret,
				/^The storage rejected the request signature: check the keys in the storage credential "Farm Storage \(wrong secret\)"/,
				/\(SignatureDoesNotMatch\)[\s\S]*Nothing was posted\. Re-enter the Secret Access Key/,
			);
			expect(result.data.data.resultData.error.errorResponse).toMatchObject({ failureCode: 'SignatureDoesNotMatch', mayHavePosted: false });
			expect(s3.requests.map((r) => r.outcome)).toContain('SignatureDoesNotMatch');
		});
	});

	describe("n8n start: the storage credential's test through n8n's credential tester", () => {
		beforeAll(async () => {
			await n8n.start();
			await n8n.setupOwner();
		});

		it('passes with the right keys and fails with a wrong secret', async () => {
			const test = (secretAccessKey: string) =>
				n8n.rest('POST', '/rest/credentials/test', {
					credentials: { id: wf.STORAGE_CREDENTIAL_ID, name: 'Farm Storage (test S3)', type: 'farmProfileStorageApi', data: { ...storage, secretAccessKey } },
				});
			const good = await test(String(storage.secretAccessKey));
			expect(good.json?.data).toMatchObject({ status: 'OK' });
			expect(s3.requests.at(-1)).toMatchObject({ method: 'HEAD', url: '/farm-media/', outcome: 'BucketExists' });

			const bad = await test(WRONG_SECRET);
			// n8n 2.x shows the credential's own words for a 403 (its test rules); 1.x its generic ones (its
			// tester does not reach the rules for this kind of error), as for the farm API key's test.
			const refusal =
				major === 2
					? 'The storage refused (403): check the Access Key ID, Secret Access Key and Region. This test also needs s3:ListBucket on the bucket; the node itself needs only s3:PutObject and s3:GetObject.'
					: 'Forbidden - perhaps check your credentials?';
			expect(bad.json?.data).toEqual({ status: 'Error', message: refusal });
			expect(s3.requests.at(-1)).toMatchObject({ method: 'HEAD', outcome: 'SignatureDoesNotMatch' });
			expect(JSON.stringify(bad.json)).not.toContain(WRONG_SECRET);
		});
	});
}
