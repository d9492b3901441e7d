// Media Source "Binary File" inside n8n-core: real WorkflowExecute, the item's binary data, the
// upload to the signature-checking test S3 server (signed by the storage credential's own
// authenticate, as n8n calls it), and the post to the loopback sandbox farm API.

import 'reflect-metadata';
import axios from 'axios';
import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { startS3Server, type S3Server } from '../../dev/s3Server';
import { createFarmSandbox, DEFAULT_PROFILES, type FarmSandbox } from '../../dev/sandbox/farmSandbox';
import { makeMp4 } from '../../dev/sandbox/media';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { FarmProfileStorageApi } from '../../credentials/FarmProfileStorageApi.credentials';
import { binaryFile, ONLY_THE_POST, resolveCredentialTest, runFarmProfileNode, type RunOptions } from '../harness/runWorkflow';

const API_KEY = 'sk-binary-7d1e2f3a4b5c';
/** The guards remember per team key across runs: the duplicate test has a key of its own. */
const GUARD_KEY = 'sk-binary-guard-9e8d7c6b';
const RELEASE_KEY = 'sk-binary-release-5a4b3c2d';
const READY = DEFAULT_PROFILES.find((p) => p.status === 'ready')!.profile_id;
const DAY = 24 * 3_600_000;

const jpeg = (n: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from(`JFIF slide ${n} `.repeat(20)), Buffer.from([0xff, 0xd9])]);
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

let farm: FarmSandbox;
let s3: S3Server;
let storage: ICredentialDataDecryptedObject;
beforeAll(async () => {
	farm = await createFarmSandbox({ apiKeys: [API_KEY, GUARD_KEY, RELEASE_KEY], callbackDelayMs: 600_000 }).start();
	s3 = await startS3Server();
	storage = s3.storageCredential();
});
afterAll(async () => {
	await farm.stop();
	await s3.close();
});
beforeEach(() => {
	farm.reset();
	s3.objects.clear();
	s3.requests.length = 0;
});

function run(mediaType: 'video' | 'slideshow', binary: Record<string, ReturnType<typeof binaryFile>>, parameters: Record<string, unknown> = {}, extra: Partial<RunOptions> = {}) {
	return runFarmProfileNode({
		items: [{ n: 0 }],
		binaries: [binary],
		credentials: { apiKey: API_KEY, baseUrl: farm.url },
		storageCredentials: storage,
		parameters: {
			operation: 'post',
			profileId: READY,
			mediaType,
			mediaSource: 'binaryFile',
			soundId: '7216519837462889218',
			title: 'From a file',
			webhookUrl: 'https://n8n.example.com/webhook/abc/webhook',
			...parameters,
			options: { ...ONLY_THE_POST, ...(parameters.options as object) },
		},
		...extra,
	});
}

const video = (seconds = 20) => binaryFile(makeMp4(seconds), 'clip.mp4', 'video/mp4');
const slides = (...files: Buffer[]) => Object.fromEntries(files.map((file, index) => [index === 0 ? 'data' : `data_${index}`, binaryFile(file, `s${index}.jpg`, 'image/jpeg')]));

function expectNoSignature(result: { output: unknown; error?: object }) {
	const text = JSON.stringify(result.output) + JSON.stringify(result.error ?? {});
	expect(text).not.toMatch(/X-Amz-Signature=[0-9a-f]{16}/i);
	expect(text).not.toContain(String(storage.secretAccessKey));
}

function expectNothingUploadedOrPosted() {
	expect(s3.requests.filter((request) => request.method === 'PUT')).toHaveLength(0);
	expect(farm.state.posts).toHaveLength(0);
}

describe('Media Source: Binary File', () => {
	it('uploads a video, posts a presigned link the storage serves, and outputs bucket, key, size, hash and expiry without the signature', async () => {
		const file = makeMp4(20);
		const before = Date.now();
		const result = await run('video', { data: binaryFile(file, 'clip.mp4', 'video/mp4') });
		expect(result.error).toBeUndefined();

		expect(s3.objects.size).toBe(1);
		const [[id, stored]] = [...s3.objects.entries()];
		expect(stored.body!.equals(file)).toBe(true);
		expect(stored.sha256).toBe(sha(file));
		expect(stored.contentType).toBe('video/mp4');
		expect(id).toMatch(new RegExp(`^farm-media/farm/uploads/\\d{4}/\\d{2}/\\d{2}/[\\w.-]+-${sha(file).slice(0, 16)}\\.mp4$`));

		expect(farm.state.posts).toHaveLength(1);
		const mediaUrl = String(farm.state.posts[0].body.media_url);
		expect(mediaUrl).toContain('X-Amz-Signature=');
		expect(new URL(mediaUrl).searchParams.get('X-Amz-Expires')).toBe(String(DAY / 1000));
		const download = await axios.get(mediaUrl, { responseType: 'arraybuffer', validateStatus: () => true });
		expect(download.status).toBe(200);
		expect(Buffer.from(download.data).equals(file)).toBe(true);

		const [output] = result.output;
		expect(output.media).toEqual(
			expect.objectContaining({
				source: 'binary',
				bucket: 'farm-media',
				key: id.slice('farm-media/'.length),
				size: file.length,
				sha256: sha(file),
				content_type: 'video/mp4',
				fields: ['data'],
			}),
		);
		// A day after the link was signed: during the run, before the farm received it.
		const signedAt = Date.parse(String((output.media as { link_expires_at: string }).link_expires_at)) - DAY;
		expect(signedAt).toBeGreaterThanOrEqual(before);
		expect(signedAt).toBeLessThanOrEqual(Date.parse(farm.state.posts[0].received_at));
		expect(String(output.media_url)).toContain('X-Amz-Signature=[redacted]');
		expectNoSignature(result);
	});

	it('writes a three-JPG slideshow zip (slide-1.jpg …) from the item’s binary fields, in order', async () => {
		const files = [jpeg(1), jpeg(2), jpeg(3)];
		const result = await run('slideshow', slides(...files));
		expect(result.error).toBeUndefined();
		expect(s3.objects.size).toBe(1);
		const [stored] = [...s3.objects.values()];
		expect(stored.contentType).toBe('application/zip');
		const zip = stored.body!;
		// Local headers in order, each followed by its bytes (stored, not compressed).
		let at = 0;
		files.forEach((file, index) => {
			expect(zip.readUInt32LE(at)).toBe(0x04034b50);
			const nameLength = zip.readUInt16LE(at + 26);
			expect(zip.toString('utf8', at + 30, at + 30 + nameLength)).toBe(`slide-${index + 1}.jpg`);
			const start = at + 30 + nameLength + zip.readUInt16LE(at + 28);
			expect(zip.subarray(start, start + file.length).equals(file)).toBe(true);
			at = start + file.length;
		});
		const mediaUrl = String(farm.state.posts[0].body.media_url);
		expect((await axios.get(mediaUrl, { responseType: 'arraybuffer' })).data.byteLength).toBe(zip.length);
		expect(result.output[0].media).toEqual(expect.objectContaining({ slides: 3, fields: ['data', 'data_1', 'data_2'], sha256: sha(zip) }));
		expectNoSignature(result);
	});

	it('takes only the named binary fields, in the order named', async () => {
		const files = [jpeg(1), jpeg(2), jpeg(3)];
		const result = await run('slideshow', slides(...files), { binaryProperties: 'data_2, data' });
		expect(result.error).toBeUndefined();
		expect(result.output[0].media).toEqual(expect.objectContaining({ slides: 2, fields: ['data_2', 'data'] }));
	});

	it('gives the public link when the credential has a Public Base URL', async () => {
		const result = await run('video', { data: video() }, {}, { storageCredentials: { ...storage, publicBaseUrl: 'https://media.example.com/' } });
		expect(result.error).toBeUndefined();
		const [key] = [...s3.objects.keys()].map((id) => id.slice('farm-media/'.length));
		expect(farm.state.posts[0].body.media_url).toBe(`https://media.example.com/${key}`);
		expect(result.output[0].media).toEqual(expect.objectContaining({ link_expires_at: null }));
	});
});

describe('Post and Wait for Publish with a file', () => {
	it('uploads, posts the link, and waits; the stored waiting execution holds no link signature', async () => {
		const result = await run('video', { data: video() }, { operation: 'sendAndWait', isLive: true, webhookUrl: undefined });
		expect(result.error).toBeUndefined();
		expect(result.run.status).toBe('waiting');
		const signature = new URL(String(farm.state.posts[0].body.media_url)).searchParams.get('X-Amz-Signature')!;
		expect(signature).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(result.run)).not.toContain(signature);
		expect(result.output[0]).toMatchObject({ task_id: farm.state.posts[0].task_id, media: expect.objectContaining({ source: 'binary' }) });
	});
});

describe('checked before anything is uploaded or posted', () => {
	it.each([
		['a PNG slide', () => run('slideshow', { data: binaryFile(jpeg(1), 'a.jpg', 'image/jpeg'), data_1: binaryFile(png, 'b.jpg', 'image/jpeg') }), /Input Binary Fields "data_1" \(slide 2\) is a PNG image, not a JPEG/, /convert it with the Edit Image node to JPEG/],
		['a missing binary field', () => run('video', { other: video() }), /Input Binary Field names "data", which the item does not have \(its binary fields: "other"\)/, /enter the name of the binary field/],
		['no binary data at all', () => runFarmProfileNode({ items: [{ n: 0 }], credentials: { apiKey: API_KEY, baseUrl: farm.url }, storageCredentials: storage, parameters: { operation: 'post', profileId: READY, mediaType: 'video', mediaSource: 'binaryFile', soundId: '1', title: 't', webhookUrl: 'https://n8n.example.com/webhook/abc/webhook', options: ONLY_THE_POST } }), /names binary data, but the item has none/, /set Media Source to URL/],
		['a file that is not an MP4', () => run('video', { data: binaryFile(jpeg(1), 'clip.mp4', 'video/mp4') }), /is not an MP4 video/, /give an MP4/],
		['a video over 60 s', () => run('video', { data: video(75) }), /is 75\.0 s long/, /trim the video to 60 seconds or less/],
		[
			'a schedule beyond what a presigned link can cover',
			() => run('video', { data: video() }, { additionalFields: { scheduledTime: new Date(Date.now() + 7 * DAY).toISOString() } }),
			/Scheduled Time is more than 6 days ahead/,
			/set a Public Base URL in the storage credential/,
		],
		[
			'storage the farm cannot reach',
			() => runFarmProfileNode({ items: [{ n: 0 }], binaries: [{ data: video() }], credentials: { apiKey: API_KEY, baseUrl: 'https://api.farm.example' }, storageCredentials: storage, parameters: { operation: 'post', profileId: READY, mediaType: 'video', mediaSource: 'binaryFile', soundId: '1', title: 't', webhookUrl: 'https://n8n.example.com/webhook/abc/webhook', options: ONLY_THE_POST } }),
			/Storage credential "Farm Storage" → Endpoint (uses http:\/\/|points at 127\.0\.0\.1)/,
			/./,
		],
	])('%s: the clear error, no upload, no post', async (_name, go, message, fix) => {
		const result = await go();
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toMatch(fix);
		expect(result.error?.description).toContain('Nothing was sent to the farm API.');
		expectNothingUploadedOrPosted();
	});
});

describe('storage failures: the clear error naming the storage credential, no post', () => {
	async function closedPort(): Promise<number> {
		const server = net.createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as net.AddressInfo;
		await new Promise<void>((resolve) => server.close(() => resolve()));
		return port;
	}

	it.each([
		['a bad secret', async () => ({ ...storage, secretAccessKey: 'not-the-secret-key-000' }), /rejected the request signature/, /SignatureDoesNotMatch/],
		['a missing bucket', async () => ({ ...storage, bucket: 'no-such-bucket' }), /has no bucket "no-such-bucket"/, /NoSuchBucket/],
		['an endpoint refusing connections', async () => ({ ...storage, endpoint: `http://127.0.0.1:${await closedPort()}` }), /refused the connection/, /ECONNREFUSED/],
	])('%s', async (_name, credential, message, description) => {
		const storageCredentials = await credential();
		const result = await run('video', { data: video() }, {}, { storageCredentials });
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toMatch(description);
		expect(`${result.error?.message} ${result.error?.description}`).toContain('"Farm Storage"');
		expect(result.error?.description).toContain('Nothing was posted');
		expect(`${result.error?.message} ${result.error?.description}`).not.toContain('not-the-secret-key-000');
		expect(farm.state.posts).toHaveLength(0);
		expect(s3.objects.size).toBe(0);
	});
});

describe("n8n's filesystem binary mode: the files are streamed, never read whole", () => {
	// A binary data manager for the mode "testfs": ids are paths of files on disk, read as streams
	// of 64 KiB. n8n's own helpers (getBinaryStream → BinaryDataService) reach it as they reach the
	// filesystem manager; getAsBuffer is counted, and must not be called.
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'farm-binary-'));
	let buffersRead = 0;
	let streamsOpened = 0;
	beforeAll(() => {
		const service = Container.get(BinaryDataService) as unknown as { managers: Record<string, unknown> };
		service.managers.testfs = {
			getAsStream: async (file: string) => {
				streamsOpened++;
				return fs.createReadStream(file, { highWaterMark: 64 * 1024 });
			},
			getAsBuffer: async (file: string) => {
				buffersRead++;
				return fs.readFileSync(file);
			},
		};
	});
	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
	beforeEach(() => {
		buffersRead = 0;
		streamsOpened = 0;
	});

	function onDisk(name: string, data: Buffer, mimeType: string) {
		const file = path.join(dir, name);
		fs.writeFileSync(file, data);
		return { data: 'testfs', id: `testfs:${file}`, mimeType, fileName: name, fileSize: String(data.length) };
	}

	it('streams a video (moov after a large mdat) to the storage', async () => {
		const file = makeMp4(30, { moovAtEnd: true, mdatBytes: 3 * 1024 * 1024 });
		const result = await run('video', { data: onDisk('big.mp4', file, 'video/mp4') });
		expect(result.error).toBeUndefined();
		const [stored] = [...s3.objects.values()];
		expect(stored.body!.equals(file)).toBe(true);
		expect(result.output[0].media).toEqual(expect.objectContaining({ size: file.length, sha256: sha(file) }));
		expect(buffersRead).toBe(0);
		expect(streamsOpened).toBe(3); // hash, movie header, upload
	});

	it('streams a slideshow zip written from slides on disk (and one in memory)', async () => {
		const files = [jpeg(1), jpeg(2), jpeg(3)];
		const inMemory = await run('slideshow', slides(...files));
		const memoryZip = [...s3.objects.values()][0].body!;
		s3.objects.clear();
		farm.reset();

		const result = await run('slideshow', {
			data: onDisk('a.jpg', files[0], 'image/jpeg'),
			data_1: binaryFile(files[1], 'b.jpg', 'image/jpeg'),
			data_2: onDisk('c.jpg', files[2], 'image/jpeg'),
		});
		expect(inMemory.error).toBeUndefined();
		expect(result.error).toBeUndefined();
		expect(buffersRead).toBe(0);
		const [stored] = [...s3.objects.values()];
		// The same slides make the same zip, in memory or streamed.
		expect(stored.body!.equals(memoryZip)).toBe(true);
		expect(farm.state.posts).toHaveLength(1);
	});

	it('refuses a PNG on disk by its bytes, before uploading', async () => {
		const result = await run('slideshow', { data: onDisk('x.jpg', png, 'image/jpeg') });
		expect(result.error?.message).toMatch(/is a PNG image, not a JPEG/);
		expectNothingUploadedOrPosted();
	});
});

describe('duplicate guard for binary media', () => {
	it('refuses the same file to the same profile twice (its content, not its changing link), before uploading it again', async () => {
		const staticData = {};
		const guarded = { requestsPerMinute: 0, preflight: false, maxPostsPerDay: 0, duplicateWindowHours: 24 };
		const credentials = { apiKey: GUARD_KEY, baseUrl: farm.url };
		const first = await run('video', { data: video(20) }, { options: guarded }, { staticData, credentials });
		expect(first.error).toBeUndefined();
		const second = await run('video', { data: video(20) }, { options: guarded }, { staticData, credentials });
		expect(second.error?.message).toMatch(/^Input Binary Field was already posted to this profile/);
		expect(farm.state.posts).toHaveLength(1);
		expect(s3.requests.filter((request) => request.method === 'PUT')).toHaveLength(1);

		const other = await run('video', { data: video(21) }, { options: guarded }, { staticData, credentials });
		expect(other.error).toBeUndefined();
		expect(farm.state.posts).toHaveLength(2);
	});
});

describe('a failed upload frees the reservation', () => {
	it('the same file posts once the storage works again (the failed try is not counted as posted)', async () => {
		const staticData = {};
		const guarded = { requestsPerMinute: 0, preflight: false, maxPostsPerDay: 0, duplicateWindowHours: 24 };
		const credentials = { apiKey: RELEASE_KEY, baseUrl: farm.url };
		const failed = await run('video', { data: video(33) }, { options: guarded }, { staticData, credentials, storageCredentials: { ...storage, secretAccessKey: 'wrong-secret-0000' } });
		expect(failed.error?.message).toMatch(/rejected the request signature/);
		const retried = await run('video', { data: video(33) }, { options: guarded }, { staticData, credentials });
		expect(retried.error).toBeUndefined();
		expect(farm.state.posts).toHaveLength(1);
	});

	it('with Continue On Fail, the item carries the storage error and its code, marked as not posted', async () => {
		const result = await run('video', { data: video() }, {}, { continueOnFail: true, storageCredentials: { ...storage, bucket: 'gone' } });
		expect(result.output).toEqual([expect.objectContaining({ error: expect.stringMatching(/has no bucket "gone"/), code: 'NoSuchBucket', may_have_posted: false })]);
		expect(farm.state.posts).toHaveLength(0);
	});
});

describe('storage credential', () => {
	it('declares the secret and the session token as passwords', () => {
		const properties = new FarmProfileStorageApi().properties;
		const byName = Object.fromEntries(properties.map((property) => [property.name, property]));
		expect(byName.secretAccessKey.typeOptions?.password).toBe(true);
		expect(byName.sessionToken.typeOptions?.password).toBe(true);
		expect(Object.keys(byName)).toEqual(['endpoint', 'region', 'bucket', 'accessKeyId', 'secretAccessKey', 'sessionToken', 'forcePathStyle', 'pathPrefix', 'publicBaseUrl']);
	});

	async function test(data: ICredentialDataDecryptedObject) {
		const request = await resolveCredentialTest(data, 'farmProfileStorageApi');
		const response = await axios.request({ method: request.method, url: request.url, headers: request.headers as Record<string, string>, validateStatus: () => true });
		return { request, status: response.status };
	}

	it('tests with a signed HEAD of the bucket: 200 for good settings, 403 for a bad secret, 404 for a missing bucket', async () => {
		const good = await test(storage);
		expect(good.request.url).toBe(`${s3.endpoint}/farm-media/`);
		expect(good.status).toBe(200);
		expect((await test({ ...storage, secretAccessKey: 'wrong-secret-0000' })).status).toBe(403);
		expect((await test({ ...storage, bucket: 'missing' })).status).toBe(404);
	});

	it('addresses the bucket in the host name without Force Path Style', async () => {
		const request = await resolveCredentialTest({ ...storage, endpoint: 's3.eu-central-1.amazonaws.com/', forcePathStyle: false }, 'farmProfileStorageApi');
		expect(request.url).toBe('https://farm-media.s3.eu-central-1.amazonaws.com/');
		expect(String((request.headers as Record<string, string>).authorization)).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAFARMTEST00000001\//);
	});
});
