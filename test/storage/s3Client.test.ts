// putObject / presignGet / mediaLink against the signature-checking test S3 server, through n8n's
// own HTTP helper (n8n-core 2.x: what this.helpers.httpRequest calls) and through a plain client
// for virtual-hosted style.

import 'reflect-metadata';
import axios from 'axios';
import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { mediaLink, presignGet, putObject, sha256OfStream, type HttpRequestFunction, type StorageSettings } from '../../nodes/FarmProfile/storage/s3Client';
import { objectKey } from '../../nodes/FarmProfile/storage/objectKey';
import { send } from './rawHttp';
import { startS3Server, type S3Server } from '../../dev/s3Server';

/** n8n's real request helper (the one behind this.helpers.httpRequest in n8n-core 2.x). */
const n8nHttp: HttpRequestFunction = async (options) => await Container.get(OutboundHttp).requests().request(options);

/**
 * What n8n 1.x's this.helpers.httpRequest does (n8n-core 1.123 convertN8nRequestToAxios): axios with
 * maxBodyLength -1, maxRedirects 0 only when disableFollowRedirect is set.
 */
const n8n1LikeHttp: HttpRequestFunction = async (options: IHttpRequestOptions) => {
	const response = await axios.request({
		url: options.url,
		method: options.method,
		headers: options.headers as Record<string, string>,
		data: options.body,
		timeout: options.timeout,
		maxBodyLength: -1,
		maxContentLength: -1,
		...(options.disableFollowRedirect ? { maxRedirects: 0 } : {}),
		responseType: options.encoding as 'arraybuffer',
		validateStatus: options.ignoreHttpStatusErrors ? () => true : undefined,
	});
	return { statusCode: response.status, headers: response.headers, body: response.data };
};

/** A plain client with n8n's contract (returnFullResponse + ignoreHttpStatusErrors), able to reach *.farm.test. */
const plainHttp: HttpRequestFunction = async (options: IHttpRequestOptions) => {
	const response = await send({
		method: options.method ?? 'GET',
		url: options.url,
		headers: options.headers as Record<string, string>,
		body: options.body as unknown as Buffer | Readable | undefined,
	});
	return { statusCode: response.statusCode, headers: response.headers, body: response.body };
};

let server: S3Server;
let settings: StorageSettings;
beforeAll(async () => {
	server = await startS3Server();
	settings = {
		endpoint: server.endpoint,
		region: server.config.region,
		bucket: 'farm-media',
		pathStyle: true,
		keys: { accessKeyId: server.config.accessKeyId, secretAccessKey: server.config.secretAccessKey },
		credentialName: 'Test Storage',
		timeoutMs: 5000,
	};
});
afterAll(async () => server.close());

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
let counter = 0;
const freshKey = (ext = 'mp4') => `uploads/2026/03/04/ref-${++counter}-${Date.now()}.${ext}`;

describe('putObject', () => {
	it('uploads a Buffer through n8n\'s HTTP helper, signed with the content hash, and the presigned link serves it', async () => {
		const data = Buffer.from('a small mp4 ' + 'x'.repeat(1000));
		const key = freshKey();
		const result = await putObject(n8nHttp, settings, { key, body: data, contentType: 'video/mp4' });
		expect(result).toEqual({
			ok: true,
			object: {
				bucket: 'farm-media',
				key,
				size: data.length,
				sha256: sha(data),
				etag: `"${createHash('md5').update(data).digest('hex')}"`,
				alreadyExisted: false,
				objectUrl: `${server.endpoint}/farm-media/${key}`,
			},
		});
		const request = server.requests.at(-1)!;
		expect(request).toMatchObject({ method: 'PUT', auth: 'header', outcome: 'Stored', bodyBytes: data.length });
		expect(request.headers['x-amz-content-sha256']).toBe(sha(data));
		expect(request.headers['if-none-match']).toBe('*');
		expect(request.headers['content-type']).toBe('video/mp4');
		expect(server.objects.get(`farm-media/${key}`)?.body?.equals(data)).toBe(true);

		const link = presignGet(settings, key, 3600);
		const download = await send({ method: 'GET', url: link.url });
		expect(download.statusCode).toBe(200);
		expect(download.body.equals(data)).toBe(true);
		expect(link.safeUrl).not.toContain(/X-Amz-Signature=([0-9a-f]+)/.exec(link.url)![1]);
	});

	it('streams a file (n8n filesystem binary mode) with Content-Length, no chunking, UNSIGNED-PAYLOAD', async () => {
		const file = path.join(os.tmpdir(), `farm-s3-${process.pid}.mp4`);
		const data = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
		fs.writeFileSync(file, data);
		try {
			const key = freshKey();
			const result = await putObject(n8nHttp, settings, {
				key,
				body: { open: () => fs.createReadStream(file), length: data.length },
				contentType: 'video/mp4',
			});
			expect(result.ok).toBe(true);
			const request = server.requests.at(-1)!;
			expect(request.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
			expect(request.headers['content-length']).toBe(String(data.length));
			expect(request.headers['transfer-encoding']).toBeUndefined();
			expect(server.objects.get(`farm-media/${key}`)?.sha256).toBe(sha(data));

			// With the hash computed first (it is in the key anyway), the storage checks the bytes.
			const hash = await sha256OfStream(fs.createReadStream(file));
			expect(hash).toBe(sha(data));
			const signed = await putObject(n8nHttp, settings, { key: freshKey(), body: { open: () => fs.createReadStream(file), length: data.length }, sha256: hash, contentType: 'video/mp4' });
			expect(signed).toMatchObject({ ok: true, object: { sha256: hash } });
			expect(server.requests.at(-1)!.headers['x-amz-content-sha256']).toBe(hash);
		} finally {
			fs.unlinkSync(file);
		}
	});

	it.each([
		["n8n 2.x's helper", () => n8nHttp],
		["an axios client set up like n8n 1.x's helper", () => n8n1LikeHttp],
	])('streams 256 MiB through %s without holding it in memory', async (_name, transport) => {
		const quiet = await startS3Server({ storeBodies: false, accessKeyId: server.config.accessKeyId, secretAccessKey: server.config.secretAccessKey });
		try {
			// A new buffer per chunk, as a file stream gives: anything that keeps chunks shows in memory.
			const chunkBytes = 256 * 1024;
			const chunks = 1024;
			const open = () =>
				Readable.from(
					(function* () {
						for (let i = 0; i < chunks; i++) yield Buffer.alloc(chunkBytes, i & 0xff);
					})(),
				);
			const before = process.memoryUsage();
			let peak = 0;
			const sampler = setInterval(() => {
				const now = process.memoryUsage();
				peak = Math.max(peak, now.arrayBuffers - before.arrayBuffers, now.rss - before.rss);
			}, 10);
			const result = await putObject(transport(), { ...settings, endpoint: quiet.endpoint }, { key: 'big.mp4', body: { open, length: chunkBytes * chunks }, contentType: 'video/mp4' });
			clearInterval(sampler);
			expect(result.ok).toBe(true);
			expect(quiet.objects.get('farm-media/big.mp4')?.size).toBe(256 * 1024 * 1024);
			expect(peak).toBeLessThan(96 * 1024 * 1024);
		} finally {
			await quiet.close();
		}
	}, 60000);

	it('uploads in virtual-hosted style (bucket in the Host header)', async () => {
		const vhost = { ...settings, endpoint: server.virtualHostEndpoint, pathStyle: false };
		const data = Buffer.from('vhost slide');
		const key = freshKey('zip');
		const result = await putObject(plainHttp, vhost, { key, body: data, contentType: 'application/zip' });
		expect(result).toMatchObject({ ok: true, object: { objectUrl: `http://farm-media.s3.farm.test:${server.port}/${key}` } });
		expect(server.requests.at(-1)).toMatchObject({ style: 'virtual-hosted', outcome: 'Stored' });
		const link = presignGet(vhost, key, 60);
		expect((await send({ method: 'GET', url: link.url })).body.equals(data)).toBe(true);
	});

	it('keys with spaces, unicode and special characters go through signed', async () => {
		for (const key of ['a b/ü 日本/x+y=z&(1)!.jpg', "it's ~ok*.mp4"]) {
			const data = Buffer.from(key);
			expect(await putObject(n8nHttp, settings, { key, body: data, contentType: 'image/jpeg' })).toMatchObject({ ok: true });
			expect(server.objects.get(`farm-media/${key}`)?.body?.equals(data)).toBe(true);
			expect((await send({ method: 'GET', url: presignGet(settings, key, 60).url })).statusCode).toBe(200);
		}
	});

	it('never overwrites: other content under an existing key is refused, the same content is taken as done', async () => {
		const key = freshKey();
		const first = Buffer.from('first');
		expect(await putObject(n8nHttp, settings, { key, body: first, contentType: 'video/mp4' })).toMatchObject({ ok: true, object: { alreadyExisted: false } });
		const again = await putObject(n8nHttp, settings, { key, body: first, contentType: 'video/mp4' });
		expect(again).toMatchObject({ ok: true, object: { alreadyExisted: true, sha256: sha(first) } });
		const other = await putObject(n8nHttp, settings, { key, body: Buffer.from('second'), contentType: 'video/mp4' });
		expect(other).toMatchObject({ ok: false, failure: { code: 'PreconditionFailed', httpCode: 412 } });
		expect(server.objects.get(`farm-media/${key}`)?.body?.toString()).toBe('first');
	});

	it('a server without conditional writes (501 to If-None-Match) gets the upload without the header', async () => {
		const plain = await startS3Server({ conditionalWrites: false, accessKeyId: server.config.accessKeyId, secretAccessKey: server.config.secretAccessKey });
		try {
			const result = await putObject(n8nHttp, { ...settings, endpoint: plain.endpoint }, { key: 'k.mp4', body: Buffer.from('v'), contentType: 'video/mp4' });
			expect(result.ok).toBe(true);
			expect(plain.requests.map((r) => r.outcome)).toEqual(['NotImplemented', 'Stored']);
		} finally {
			await plain.close();
		}
	});
});

describe('putObject failures are mapped, name the credential and show no secret', () => {
	const data = Buffer.from('payload');
	const check = (result: Awaited<ReturnType<typeof putObject>>, code: string | RegExp) => {
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.failure.code).toMatch(code);
		expect(result.failure.description).toContain('"Test Storage"');
		expect(result.failure.description).toContain('Nothing was posted');
		const text = JSON.stringify(result);
		expect(text).not.toContain(server.config.secretAccessKey);
		expect(text).not.toMatch(/[0-9a-f]{64}/);
	};

	it('bad secret → SignatureDoesNotMatch', async () => {
		check(await putObject(n8nHttp, { ...settings, keys: { ...settings.keys, secretAccessKey: 'wrong/secret' } }, { key: freshKey(), body: data, contentType: 'video/mp4' }), 'SignatureDoesNotMatch');
	});
	it('unknown key id → InvalidAccessKeyId', async () => {
		check(await putObject(n8nHttp, { ...settings, keys: { ...settings.keys, accessKeyId: 'AKIANOBODY' } }, { key: freshKey(), body: data, contentType: 'video/mp4' }), 'InvalidAccessKeyId');
	});
	it('policy without PutObject → AccessDenied', async () => {
		server.config.deny.put = true;
		try {
			const result = await putObject(n8nHttp, settings, { key: freshKey(), body: data, contentType: 'video/mp4' });
			check(result, 'AccessDenied');
			expect(!result.ok && result.failure.description).toMatch(/s3:PutObject and s3:GetObject/);
		} finally {
			server.config.deny.put = false;
		}
	});
	it('unknown bucket → NoSuchBucket', async () => {
		check(await putObject(n8nHttp, { ...settings, bucket: 'no-such' }, { key: freshKey(), body: data, contentType: 'video/mp4' }), 'NoSuchBucket');
	});
	it('wrong region → AuthorizationHeaderMalformed naming the right one', async () => {
		const result = await putObject(n8nHttp, { ...settings, region: 'eu-west-1' }, { key: freshKey(), body: data, contentType: 'video/mp4' });
		check(result, 'AuthorizationHeaderMalformed');
		expect(!result.ok && result.failure.description).toContain('"us-east-1"');
	});
	it('clock 20 minutes off → RequestTimeTooSkewed', async () => {
		check(await putObject(n8nHttp, settings, { key: freshKey(), body: data, contentType: 'video/mp4', now: new Date(Date.now() - 20 * 60 * 1000) }), 'RequestTimeTooSkewed');
	});
	it('nothing listening → ECONNREFUSED', async () => {
		const closed = await startS3Server();
		const endpoint = closed.endpoint;
		await closed.close();
		check(await putObject(n8nHttp, { ...settings, endpoint }, { key: freshKey(), body: data, contentType: 'video/mp4' }), 'ECONNREFUSED');
	});
	it('no answer → timeout', async () => {
		const silent = net.createServer(() => undefined);
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		const sockets: net.Socket[] = [];
		silent.on('connection', (socket) => sockets.push(socket));
		try {
			const port = (silent.address() as net.AddressInfo).port;
			const result = await putObject(n8nHttp, { ...settings, endpoint: `http://127.0.0.1:${port}`, timeoutMs: 300 }, { key: freshKey(), body: data, contentType: 'video/mp4' });
			check(result, /^(ETIMEDOUT|ECONNABORTED)$/);
			expect(!result.ok && result.failure.retryable).toBe(true);
		} finally {
			sockets.forEach((socket) => socket.destroy());
			silent.close();
		}
	});
	it('host that does not resolve → ENOTFOUND / EAI_AGAIN', async () => {
		check(await putObject(n8nHttp, { ...settings, endpoint: 'http://storage.farm-profile.invalid:9000' }, { key: freshKey(), body: data, contentType: 'video/mp4' }), /^(ENOTFOUND|EAI_AGAIN)$/);
	});
});

describe('presignGet and mediaLink', () => {
	it('an expired link is refused by the storage', async () => {
		const key = freshKey();
		await putObject(n8nHttp, settings, { key, body: Buffer.from('x'), contentType: 'video/mp4' });
		const old = presignGet(settings, key, 60, new Date(Date.now() - 120 * 1000));
		const answer = await send({ method: 'GET', url: old.url });
		expect(answer.statusCode).toBe(403);
		expect(answer.body.toString()).toContain('Request has expired');
	});

	it('mediaLink: presigned until the scheduled time + 24 h, public when a base URL is set, refused beyond 7 days', async () => {
		const key = freshKey();
		await putObject(n8nHttp, settings, { key, body: Buffer.from('scheduled'), contentType: 'video/mp4' });
		const now = new Date();
		const scheduledAt = new Date(now.getTime() + 2 * 86400 * 1000);
		const link = mediaLink(settings, { key, now, scheduledAt });
		expect('url' in link && link.expiresAt?.getTime()).toBe(now.getTime() + (2 * 86400 + 86400) * 1000);
		if (!('url' in link)) throw new Error('expected a link');
		expect(link.url).toContain('X-Amz-Expires=259200&');
		expect((await send({ method: 'GET', url: link.url })).body.toString()).toBe('scheduled');
		expect(link.safeUrl).toContain('X-Amz-Signature=[redacted]');

		expect(mediaLink(settings, { key, now, publicBaseUrl: 'https://cdn.example.com/m/' })).toEqual({
			url: `https://cdn.example.com/m/${key}`,
			safeUrl: `https://cdn.example.com/m/${key}`,
		});
		expect(mediaLink(settings, { key, now, scheduledAt: new Date(now.getTime() + 6.5 * 86400 * 1000) })).toMatchObject({ problem: { fix: expect.stringMatching(/Public Base URL/) } });
		expect(objectKey({ date: now, reference: 'r', sha256: '0'.repeat(64), extension: 'mp4' })).toMatch(/^\d{4}\/\d{2}\/\d{2}\/r-0{16}\.mp4$/);
	});
});
