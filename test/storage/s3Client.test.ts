// putObject and mediaLink against the signature-checking test S3 server, each request signed by the
// storage credential's authenticate as n8n runs it, and sent through n8n's own HTTP helper (n8n-core
// 2.x: what this.helpers.httpRequest calls), an axios client set up like 1.x's, or a plain client
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
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { mediaLink, putObject } from '../../nodes/FarmProfile/storage/s3Client';
import type { HttpRequestFunction, Storage } from '../../nodes/FarmProfile/storage/storageCredential';
import { send } from './rawHttp';
import { connectTestStorage, plainHttp } from './storageContext';
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

let server: S3Server;
let data: ICredentialDataDecryptedObject;
let storage: Storage;
beforeAll(async () => {
	server = await startS3Server();
	data = server.storageCredential();
	storage = await connect();
});
afterAll(async () => server.close());

/** The storage as the node connects to it, named "Test Storage", sent through n8n's helper unless told otherwise. */
const connect = (overrides: ICredentialDataDecryptedObject = {}, transport: HttpRequestFunction = n8nHttp) =>
	connectTestStorage({ ...data, ...overrides }, { name: 'Test Storage', transport });

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
let counter = 0;
const freshKey = (ext = 'mp4') => `uploads/2026/03/04/ref-${++counter}-${Date.now()}.${ext}`;
const buffer = (bytes: Buffer) => ({ body: bytes, sha256: sha(bytes), contentType: 'video/mp4' as const });

/** A link to the object the storage serves (a presigned one, as the credential has no Public Base URL). */
function linkTo(target: Storage, key: string, now = new Date()): string {
	const link = mediaLink(target.credential, { key, now });
	if ('problem' in link) throw new Error(link.problem.problem);
	return link.url;
}

describe('putObject', () => {
	it("uploads a Buffer through n8n's HTTP helper, signed with the content hash, and the presigned link serves it", async () => {
		const bytes = Buffer.from('a small mp4 ' + 'x'.repeat(1000));
		const key = freshKey();
		expect(await putObject(storage, { key, ...buffer(bytes) })).toEqual({ ok: true, alreadyExisted: false });
		const request = server.requests.at(-1)!;
		expect(request).toMatchObject({ method: 'PUT', url: `/farm-media/${key}`, style: 'path', auth: 'header', outcome: 'Stored', bodyBytes: bytes.length });
		expect(request.headers['x-amz-content-sha256']).toBe(sha(bytes));
		expect(request.headers['if-none-match']).toBe('*');
		expect(request.headers['content-type']).toBe('video/mp4');
		expect(server.objects.get(`farm-media/${key}`)?.body?.equals(bytes)).toBe(true);

		const download = await send({ method: 'GET', url: linkTo(storage, key) });
		expect(download.statusCode).toBe(200);
		expect(download.body.equals(bytes)).toBe(true);
	});

	it('streams a file (n8n filesystem binary mode) with Content-Length and no chunking, the storage checking its hash', async () => {
		const file = path.join(os.tmpdir(), `farm-s3-${process.pid}.mp4`);
		const bytes = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
		fs.writeFileSync(file, bytes);
		try {
			const key = freshKey();
			const body = { open: async () => fs.createReadStream(file), length: bytes.length };
			expect(await putObject(storage, { key, body, sha256: sha(bytes), contentType: 'video/mp4' })).toMatchObject({ ok: true });
			const request = server.requests.at(-1)!;
			expect(request.headers['x-amz-content-sha256']).toBe(sha(bytes));
			expect(request.headers['content-length']).toBe(String(bytes.length));
			expect(request.headers['transfer-encoding']).toBeUndefined();
			expect(server.objects.get(`farm-media/${key}`)?.sha256).toBe(sha(bytes));

			const lying = await putObject(storage, { key: freshKey(), body, sha256: sha(Buffer.from('other bytes')), contentType: 'video/mp4' });
			expect(lying).toMatchObject({ ok: false, failure: { code: 'XAmzContentSHA256Mismatch' } });
		} finally {
			fs.unlinkSync(file);
		}
	});

	it.each([
		["n8n 2.x's helper", n8nHttp],
		["an axios client set up like n8n 1.x's helper", n8n1LikeHttp],
	])('streams 256 MiB through %s without holding it in memory', async (_name, transport) => {
		const quiet = await startS3Server({ storeBodies: false, accessKeyId: server.config.accessKeyId, secretAccessKey: server.config.secretAccessKey });
		try {
			// A new buffer per chunk, as a file stream gives: anything that keeps chunks shows in memory.
			const chunkBytes = 256 * 1024;
			const chunks = 1024;
			const chunkAt = (i: number) => Buffer.alloc(chunkBytes, i & 0xff);
			const hash = createHash('sha256');
			for (let i = 0; i < chunks; i++) hash.update(chunkAt(i));
			const open = async () =>
				Readable.from(
					(function* () {
						for (let i = 0; i < chunks; i++) yield chunkAt(i);
					})(),
				);
			const big = await connect({ endpoint: quiet.endpoint }, transport);
			const before = process.memoryUsage();
			let peak = 0;
			const sampler = setInterval(() => {
				const now = process.memoryUsage();
				peak = Math.max(peak, now.arrayBuffers - before.arrayBuffers, now.rss - before.rss);
			}, 10);
			const result = await putObject(big, { key: 'big.mp4', body: { open, length: chunkBytes * chunks }, sha256: hash.digest('hex'), contentType: 'video/mp4' });
			clearInterval(sampler);
			expect(result.ok).toBe(true);
			expect(quiet.objects.get('farm-media/big.mp4')?.size).toBe(256 * 1024 * 1024);
			expect(peak).toBeLessThan(96 * 1024 * 1024);
		} finally {
			await quiet.close();
		}
	}, 60000);

	it('uploads in virtual-hosted style (bucket in the Host header)', async () => {
		const vhost = await connect({ endpoint: server.virtualHostEndpoint, forcePathStyle: false }, plainHttp);
		const bytes = Buffer.from('vhost slide');
		const key = freshKey('zip');
		expect(await putObject(vhost, { key, body: bytes, sha256: sha(bytes), contentType: 'application/zip' })).toMatchObject({ ok: true });
		expect(server.requests.at(-1)).toMatchObject({ host: `farm-media.s3.farm.test:${server.port}`, url: `/${key}`, style: 'virtual-hosted', outcome: 'Stored' });
		expect((await send({ method: 'GET', url: linkTo(vhost, key) })).body.equals(bytes)).toBe(true);
	});

	it('keys with spaces, unicode and special characters go through signed', async () => {
		for (const key of ['a b/ü 日本/x+y=z&(1)!.jpg', "it's ~ok*.mp4"]) {
			const bytes = Buffer.from(key);
			expect(await putObject(storage, { key, ...buffer(bytes) })).toMatchObject({ ok: true });
			expect(server.objects.get(`farm-media/${key}`)?.body?.equals(bytes)).toBe(true);
			expect((await send({ method: 'GET', url: linkTo(storage, key) })).statusCode).toBe(200);
		}
	});

	it('never overwrites: other content under an existing key is refused, the same content is taken as done', async () => {
		const key = freshKey();
		const first = Buffer.from('first');
		expect(await putObject(storage, { key, ...buffer(first) })).toEqual({ ok: true, alreadyExisted: false });
		expect(await putObject(storage, { key, ...buffer(first) })).toEqual({ ok: true, alreadyExisted: true });
		expect(server.requests.at(-1)).toMatchObject({ method: 'HEAD', url: `/farm-media/${key}` });
		const other = await putObject(storage, { key, ...buffer(Buffer.from('second')) });
		expect(other).toMatchObject({ ok: false, failure: { code: 'PreconditionFailed', mayHavePosted: false } });
		expect(server.objects.get(`farm-media/${key}`)?.body?.toString()).toBe('first');
	});

	it('a server without conditional writes (501 to If-None-Match) gets the upload without the header', async () => {
		const plain = await startS3Server({ conditionalWrites: false, accessKeyId: server.config.accessKeyId, secretAccessKey: server.config.secretAccessKey });
		try {
			const result = await putObject(await connect({ endpoint: plain.endpoint }), { key: 'k.mp4', ...buffer(Buffer.from('v')) });
			expect(result.ok).toBe(true);
			expect(plain.requests.map((r) => r.outcome)).toEqual(['NotImplemented', 'Stored']);
		} finally {
			await plain.close();
		}
	});
});

describe('putObject failures are mapped, say nothing was posted, name the credential and show no secret', () => {
	const bytes = Buffer.from('payload');
	const check = (result: Awaited<ReturnType<typeof putObject>>, code: string | RegExp) => {
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.failure.code).toMatch(code);
		expect(result.failure.mayHavePosted).toBe(false);
		expect(result.failure.description).toContain('"Test Storage"');
		expect(result.failure.description).toContain('Nothing was posted');
		const text = JSON.stringify(result);
		expect(text).not.toContain(server.config.secretAccessKey);
		expect(text).not.toMatch(/[0-9a-f]{64}/);
	};
	const upload = async (overrides: ICredentialDataDecryptedObject, transport?: HttpRequestFunction) =>
		await putObject(await connect(overrides, transport), { key: freshKey(), ...buffer(bytes) });

	it('bad secret → SignatureDoesNotMatch', async () => {
		check(await upload({ secretAccessKey: 'wrong/secret' }), 'SignatureDoesNotMatch');
	});
	it('unknown key id → InvalidAccessKeyId', async () => {
		check(await upload({ accessKeyId: 'AKIANOBODY' }), 'InvalidAccessKeyId');
	});
	it('policy without PutObject → AccessDenied', async () => {
		server.config.deny.put = true;
		try {
			const result = await upload({});
			check(result, 'AccessDenied');
			expect(!result.ok && result.failure.description).toMatch(/s3:PutObject and s3:GetObject/);
		} finally {
			server.config.deny.put = false;
		}
	});
	it('unknown bucket → NoSuchBucket', async () => {
		check(await upload({ bucket: 'no-such' }), 'NoSuchBucket');
	});
	it('wrong region → AuthorizationHeaderMalformed naming the right one', async () => {
		const result = await upload({ region: 'eu-west-1' });
		check(result, 'AuthorizationHeaderMalformed');
		expect(!result.ok && result.failure.description).toContain('"us-east-1"');
	});
	it('the storage clock 20 minutes from ours → RequestTimeTooSkewed', async () => {
		const ahead = await startS3Server({ now: () => new Date(Date.now() + 20 * 60 * 1000), accessKeyId: server.config.accessKeyId, secretAccessKey: server.config.secretAccessKey });
		try {
			check(await upload({ endpoint: ahead.endpoint }), 'RequestTimeTooSkewed');
		} finally {
			await ahead.close();
		}
	});
	it('nothing listening → ECONNREFUSED', async () => {
		const closed = await startS3Server();
		const endpoint = closed.endpoint;
		await closed.close();
		const result = await upload({ endpoint });
		check(result, 'ECONNREFUSED');
		expect(!result.ok && result.failure.message).toBe('The storage refused the connection');
	});
	it('no answer → timeout', async () => {
		const silent = net.createServer(() => undefined);
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		const sockets: net.Socket[] = [];
		silent.on('connection', (socket) => sockets.push(socket));
		try {
			const port = (silent.address() as net.AddressInfo).port;
			const impatient: HttpRequestFunction = async (options) => await n8nHttp({ ...options, timeout: 300 });
			const result = await upload({ endpoint: `http://127.0.0.1:${port}` }, impatient);
			check(result, /^(ETIMEDOUT|ECONNABORTED)$/);
			expect(!result.ok && result.failure.message).toBe('The storage did not answer in time (upload)');
		} finally {
			sockets.forEach((socket) => socket.destroy());
			silent.close();
		}
	});
	it('host that does not resolve → ENOTFOUND / EAI_AGAIN', async () => {
		check(await upload({ endpoint: 'http://storage.farm-profile.invalid:9000' }), /^(ENOTFOUND|EAI_AGAIN)$/);
	});
});

describe('mediaLink', () => {
	it('an expired link is refused by the storage', async () => {
		const key = freshKey();
		await putObject(storage, { key, ...buffer(Buffer.from('x')) });
		const dayAndHourAgo = new Date(Date.now() - 25 * 3_600_000);
		const answer = await send({ method: 'GET', url: linkTo(storage, key, dayAndHourAgo) });
		expect(answer.statusCode).toBe(403);
		expect(answer.body.toString()).toContain('Request has expired');
	});

	it('presigned until the scheduled time + 24 h, public when the credential has a Public Base URL, refused beyond 7 days', async () => {
		const key = freshKey();
		await putObject(storage, { key, ...buffer(Buffer.from('scheduled')) });
		const now = new Date();
		const scheduledAt = new Date(now.getTime() + 2 * 86400 * 1000);
		const link = mediaLink(storage.credential, { key, now, scheduledAt });
		if (!('url' in link)) throw new Error('expected a link');
		expect(link.expiresAt?.getTime()).toBe(now.getTime() + (2 * 86400 + 86400) * 1000);
		expect(link.url).toContain('X-Amz-Expires=259200&');
		expect((await send({ method: 'GET', url: link.url })).body.toString()).toBe('scheduled');
		expect(link.safeUrl).toContain('X-Amz-Signature=[redacted]');
		expect(link.safeUrl).not.toContain(new URL(link.url).searchParams.get('X-Amz-Signature'));

		const withPublic = await connect({ publicBaseUrl: 'https://cdn.example.com/m/' });
		expect(mediaLink(withPublic.credential, { key, now })).toEqual({ url: `https://cdn.example.com/m/${key}`, safeUrl: `https://cdn.example.com/m/${key}` });
		expect(mediaLink(storage.credential, { key, now, scheduledAt: new Date(now.getTime() + 6.5 * 86400 * 1000) })).toMatchObject({ problem: { fix: expect.stringMatching(/Public Base URL/) } });
	});
});
