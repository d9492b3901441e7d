// The storage credential's signing (signForTransport, what n8n runs as the credential's
// authenticate), the checks before an upload (checkStorage), and uploadMedia with signing left to
// the transport, against the signature-checking test S3 server.

import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { startS3Server, type S3Server } from '../../dev/s3Server';
import type { BinaryMedia } from '../../nodes/FarmProfile/media/binaryMedia';
import { EMPTY_PAYLOAD_SHA256, signRequest, UNSIGNED_PAYLOAD } from '../../nodes/FarmProfile/storage/sigv4';
import { readStorageCredential, signForTransport } from '../../nodes/FarmProfile/storage/storageCredential';
import { checkStorage, uploadMedia, type Storage } from '../../nodes/FarmProfile/storage/upload';
import { send } from './rawHttp';

let server: S3Server;
let data: ICredentialDataDecryptedObject;
beforeAll(async () => {
	server = await startS3Server();
	data = server.storageCredential('farm-media', '/farm//uploads/'); // a prefix with stray slashes
});
afterAll(async () => server.close());

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** What httpRequestWithAuthentication does: the credential's authenticate, then the request. */
function storageOf(credentialData: ICredentialDataDecryptedObject, name = 'My Storage'): Storage {
	const credential = readStorageCredential(credentialData);
	return {
		credential,
		settings: { endpoint: credential.endpoint, region: credential.region, bucket: credential.bucket, pathStyle: credential.pathStyle, keys: credential.keys, credentialName: name, signing: 'transport' },
		http: async (options: IHttpRequestOptions) => {
			const signed = signForTransport(credentialData, options);
			const response = await send({ method: signed.method ?? 'GET', url: signed.url, headers: signed.headers as Record<string, string>, body: signed.body as Buffer | Readable | undefined });
			return { statusCode: response.statusCode, headers: response.headers, body: response.body };
		},
	};
}

describe('signForTransport (the credential’s authenticate)', () => {
	const date = new Date('2026-03-04T05:06:07Z');
	beforeAll(() => jest.useFakeTimers({ now: date, doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] }));
	afterAll(() => jest.useRealTimers());

	it('signs the whole URL (baseURL + url + qs) as signRequest does, and leaves Host to the client', () => {
		const signed = signForTransport(data, { method: 'HEAD', baseURL: `${server.endpoint}/farm-media`, url: '/', qs: { 'list-type': 2 } });
		expect(signed.url).toBe(`${server.endpoint}/farm-media/?list-type=2`);
		expect(signed.qs).toBeUndefined();
		const expected = signRequest({ method: 'HEAD', url: `${server.endpoint}/farm-media/?list-type=2`, payloadHash: EMPTY_PAYLOAD_SHA256, keys: { accessKeyId: String(data.accessKeyId), secretAccessKey: String(data.secretAccessKey) }, region: 'us-east-1', date });
		expect((signed.headers as Record<string, string>).authorization).toBe(expected.authorization);
		expect((signed.headers as Record<string, string>).host).toBeUndefined();
	});

	it('payload hash: the one the caller set, a Buffer’s own, the empty body’s, or UNSIGNED-PAYLOAD for a stream', () => {
		const hashOf = (options: Partial<IHttpRequestOptions>) => (signForTransport(data, { method: 'PUT', url: `${server.endpoint}/farm-media/k`, ...options }).headers as Record<string, string>)['x-amz-content-sha256'];
		expect(hashOf({ headers: { 'X-Amz-Content-Sha256': 'abc' } })).toBe('abc');
		expect(hashOf({ body: Buffer.from('hello') })).toBe(sha(Buffer.from('hello')));
		expect(hashOf({})).toBe(EMPTY_PAYLOAD_SHA256);
		expect(hashOf({ body: Readable.from([Buffer.from('x')]) as unknown as Buffer })).toBe(UNSIGNED_PAYLOAD);
	});

	it('adds the session token of temporary keys', () => {
		const signed = signForTransport({ ...data, sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN' }, { method: 'GET', url: `${server.endpoint}/farm-media/k` });
		expect((signed.headers as Record<string, string>)['x-amz-security-token']).toBe('FwoGZXIvYXdzEXAMPLETOKEN');
	});
});

describe('checkStorage', () => {
	const now = new Date('2026-03-04T00:00:00Z');
	const storage = (overrides: ICredentialDataDecryptedObject = {}) => storageOf({ ...data, ...overrides });

	it('passes a complete credential whose endpoint the (local) farm can reach', () => {
		expect(checkStorage(storage(), { farmIsPrivate: true, now })).toEqual([]);
	});

	it('names each empty field of the credential', () => {
		const issues = checkStorage(storage({ bucket: ' ', secretAccessKey: '' }), { farmIsPrivate: true, now });
		expect(issues.map((issue) => issue.field)).toEqual(['Storage credential "My Storage" → Bucket', 'Storage credential "My Storage" → Secret Access Key']);
	});

	it('refuses storage a farm on the internet cannot download from: http://, private addresses', () => {
		expect(checkStorage(storage({ endpoint: 'http://minio.example.com:9000' }), { farmIsPrivate: false, now })).toEqual([
			expect.objectContaining({ field: 'Storage credential "My Storage" → Endpoint', problem: 'uses http://' }),
		]);
		expect(checkStorage(storage({ endpoint: 'https://10.0.0.5:9000' }), { farmIsPrivate: false, now })).toEqual([
			expect.objectContaining({ problem: expect.stringMatching(/^points at 10\.0\.0\.5, a private or loopback address/) }),
		]);
	});

	it('with a Public Base URL, that is what the farm must reach (the endpoint may be private), and the link does not expire', () => {
		const withPublic = storage({ endpoint: 'https://10.0.0.5:9000', publicBaseUrl: 'https://media.example.com' });
		const farAhead = new Date(now.getTime() + 30 * 86_400_000);
		expect(checkStorage(withPublic, { farmIsPrivate: false, now, scheduledAt: farAhead })).toEqual([]);
	});

	it('refuses a schedule a presigned link cannot cover (7 days at most, 24 h of it after the post), for Scheduled Time', () => {
		const ok = new Date(now.getTime() + 6 * 86_400_000);
		const tooFar = new Date(now.getTime() + 6 * 86_400_000 + 1000);
		expect(checkStorage(storage(), { farmIsPrivate: true, now, scheduledAt: ok })).toEqual([]);
		const [issue] = checkStorage(storage(), { farmIsPrivate: true, now, scheduledAt: tooFar });
		expect(issue.field).toBe('Scheduled Time');
		expect(issue.fix).toMatch(/schedule the post before 2026-03-10T00:00:00Z/);
	});
});

describe('uploadMedia', () => {
	const file = Buffer.from('an mp4 for the upload test '.repeat(100));
	const media = (body: BinaryMedia['body'] = file): BinaryMedia => ({ mediaType: 'video', contentType: 'video/mp4', extension: 'mp4', size: file.length, sha256: sha(file), body, fields: ['data'] });

	it('uploads under the prefix with a key of its own, and gives a link the storage serves, its signature kept out of the output', async () => {
		const now = new Date();
		const result = await uploadMedia(storageOf(data), media(), { reference: 'post-1', now, scheduledAt: new Date(now.getTime() + 3_600_000) });
		if (!result.ok) throw new Error(result.failure.description);
		const { uploaded } = result;
		expect(uploaded.output.key).toMatch(new RegExp(`^farm/uploads/\\d{4}/\\d{2}/\\d{2}/post-1-${sha(file).slice(0, 16)}\\.mp4$`));
		expect(server.objects.get(`farm-media/${uploaded.output.key}`)?.sha256).toBe(sha(file));
		expect(uploaded.output.link_expires_at).toBe(new Date(now.getTime() + 3_600_000 + 86_400_000).toISOString());
		expect((await send({ method: 'GET', url: uploaded.url })).body).toEqual(file);
		expect(JSON.stringify(uploaded.output) + uploaded.safeUrl).not.toMatch(/X-Amz-Signature=[0-9a-f]/);
		const signature = new URL(uploaded.url).searchParams.get('X-Amz-Signature')!;
		expect(uploaded.secrets).toContain(signature);
	});

	it('streams a body it can open again, and takes a repeated upload of the same bytes as done', async () => {
		const now = new Date();
		const streamed = media({ open: async () => Readable.from([file.subarray(0, 100), file.subarray(100)]), length: file.length });
		const first = await uploadMedia(storageOf(data), streamed, { reference: 'post-2', now });
		const again = await uploadMedia(storageOf(data), streamed, { reference: 'post-2', now });
		expect(first.ok && again.ok).toBe(true);
		expect(again.ok && again.uploaded.output.already_uploaded).toBe(true);
	});

	it('returns the mapped failure naming the credential, never the secret', async () => {
		const result = await uploadMedia(storageOf({ ...data, secretAccessKey: 'the-wrong-secret-123' }, 'Prod Bucket'), media(), { reference: 'post-3', now: new Date() });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.failure.code).toBe('SignatureDoesNotMatch');
		expect(result.failure.message).toContain('"Prod Bucket"');
		expect(JSON.stringify(result.failure)).not.toContain('the-wrong-secret-123');
	});
});

describe('signForTransport: which headers are signed', () => {
	it('signs x-amz-*, If-None-Match and, with a body, Content-Type and Content-Length; others go along unsigned', () => {
		const withBody = signForTransport(data, {
			method: 'PUT',
			url: `${server.endpoint}/farm-media/k`,
			body: Buffer.from('x'),
			headers: { 'Content-Type': 'video/mp4', 'content-length': '1', 'if-none-match': '*', 'x-amz-meta-sha256': 'ab', accept: 'application/json' },
		}).headers as Record<string, string>;
		expect(withBody.authorization).toMatch(/SignedHeaders=content-length;content-type;host;if-none-match;x-amz-content-sha256;x-amz-date;x-amz-meta-sha256,/);
		expect(withBody.accept).toBe('application/json');

		// n8n's credential test may carry a Content-Type on a HEAD without a body: not signed, so a client dropping it does no harm.
		const head = signForTransport(data, { method: 'HEAD', url: `${server.endpoint}/farm-media/`, headers: { 'content-type': 'application/json' } }).headers as Record<string, string>;
		expect(head.authorization).toMatch(/SignedHeaders=host;x-amz-content-sha256;x-amz-date,/);
		expect(head['content-type']).toBe('application/json');
	});
});
