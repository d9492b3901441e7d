// The storage credential: its data read into the one shape the node uses, the URLs it addresses, and
// its authenticate (what n8n runs for every request made with it) against the test S3 server.

import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { startS3Server, type S3Server } from '../../dev/s3Server';
import { FarmProfileStorageApi } from '../../credentials/FarmProfileStorageApi.credentials';
import { EMPTY_PAYLOAD_SHA256, signRequest, UNSIGNED_PAYLOAD } from '../../nodes/FarmProfile/storage/sigv4';
import { bucketUrl, objectUrl, readStorageCredential } from '../../nodes/FarmProfile/storage/storageCredential';
import { send } from './rawHttp';

let server: S3Server;
let data: ICredentialDataDecryptedObject;
beforeAll(async () => {
	server = await startS3Server();
	data = server.storageCredential();
});
afterAll(async () => server.close());

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const authenticate = async (credentialData: ICredentialDataDecryptedObject, options: IHttpRequestOptions) =>
	await new FarmProfileStorageApi().authenticate(credentialData, options);
const headersOf = (options: IHttpRequestOptions) => options.headers as Record<string, string>;

describe('readStorageCredential', () => {
	it('trims every field, takes an endpoint without a scheme as https:// and drops its trailing slashes', () => {
		expect(
			readStorageCredential({
				endpoint: ' s3.eu-central-1.amazonaws.com// ',
				region: ' eu-central-1 ',
				bucket: ' media ',
				accessKeyId: ' AKID ',
				secretAccessKey: ' secret ',
				sessionToken: ' ',
				forcePathStyle: false,
				pathPrefix: ' farm/ ',
				publicBaseUrl: ' https://cdn.example.com ',
			}),
		).toEqual({
			endpoint: 'https://s3.eu-central-1.amazonaws.com',
			region: 'eu-central-1',
			bucket: 'media',
			pathStyle: false,
			keys: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
			keyPrefix: 'farm/',
			publicBaseUrl: 'https://cdn.example.com',
		});
	});

	it('keeps a scheme the user typed, defaults the region, and keeps the session token of temporary keys', () => {
		const credential = readStorageCredential({ endpoint: 'http://127.0.0.1:9000', bucket: 'b', accessKeyId: 'a', secretAccessKey: 's', sessionToken: 'TOKEN', forcePathStyle: true });
		expect(credential).toMatchObject({ endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', pathStyle: true, keys: { sessionToken: 'TOKEN' } });
		expect(readStorageCredential({}).endpoint).toBe('');
	});
});

describe('bucketUrl and objectUrl', () => {
	const at = (endpoint: string, forcePathStyle: boolean, bucket = 'media') => readStorageCredential({ endpoint, bucket, forcePathStyle });

	it('address the bucket in the path (Force Path Style) or in the host name', () => {
		expect(bucketUrl(at('https://s3.eu-central-1.amazonaws.com', true))).toBe('https://s3.eu-central-1.amazonaws.com/media/');
		expect(bucketUrl(at('s3.eu-central-1.amazonaws.com/', false))).toBe('https://media.s3.eu-central-1.amazonaws.com/');
		expect(objectUrl(at('https://s3.eu-central-1.amazonaws.com', true), 'a b.mp4')).toBe('https://s3.eu-central-1.amazonaws.com/media/a%20b.mp4');
		expect(objectUrl(at('https://s3.eu-central-1.amazonaws.com/', false), 'x/y.jpg')).toBe('https://media.s3.eu-central-1.amazonaws.com/x/y.jpg');
		expect(objectUrl(at('http://127.0.0.1:9000', true, 'b'), 'k')).toBe('http://127.0.0.1:9000/b/k');
		expect(objectUrl(at('http://127.0.0.1:9000', false, 'b'), 'k')).toBe('http://b.127.0.0.1:9000/k');
	});

	it('drop a default port and keep a gateway path in front of the bucket or key', () => {
		expect(objectUrl(at('https://gw.example.com:443/s3/', true, 'b'), 'k')).toBe('https://gw.example.com/s3/b/k');
		expect(objectUrl(at('https://gw.example.com/s3', false, 'b'), 'k')).toBe('https://b.gw.example.com/s3/k');
	});

	it('throw for an endpoint that is not a URL', () => {
		expect(() => bucketUrl(at('https://exa mple.com', true))).toThrow('Invalid URL');
	});
});

describe('the credential’s authenticate', () => {
	const date = new Date('2026-03-04T05:06:07Z');
	beforeAll(() => jest.useFakeTimers({ now: date, doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] }));
	afterAll(() => jest.useRealTimers());

	it('reads a URL without a scheme as a path in the bucket, path style or virtual-hosted', async () => {
		expect((await authenticate(data, { method: 'HEAD', url: '/' })).url).toBe(`${server.endpoint}/farm-media/`);
		expect((await authenticate(data, { method: 'GET', url: 'a b/k.mp4' })).url).toBe(`${server.endpoint}/farm-media/a%20b/k.mp4`);
		const vhost = { ...data, endpoint: 's3.eu-central-1.amazonaws.com/', forcePathStyle: false };
		expect((await authenticate(vhost, { method: 'HEAD', url: '/' })).url).toBe('https://farm-media.s3.eu-central-1.amazonaws.com/');
	});

	it('signs the whole URL (baseURL + url + qs) as signRequest does, and leaves Host to the client', async () => {
		const signed = await authenticate(data, { method: 'HEAD', baseURL: `${server.endpoint}/farm-media`, url: '/', qs: { 'list-type': 2 } });
		expect(signed.url).toBe(`${server.endpoint}/farm-media/?list-type=2`);
		expect(signed.qs).toBeUndefined();
		const expected = signRequest({ method: 'HEAD', url: `${server.endpoint}/farm-media/?list-type=2`, payloadHash: EMPTY_PAYLOAD_SHA256, keys: { accessKeyId: String(data.accessKeyId), secretAccessKey: String(data.secretAccessKey) }, region: 'us-east-1', date });
		expect(headersOf(signed).authorization).toBe(expected.authorization);
		expect(headersOf(signed).host).toBeUndefined();
	});

	it('payload hash: the one the caller set, a Buffer’s own, the empty body’s, or UNSIGNED-PAYLOAD for a stream', async () => {
		const hashOf = async (options: Partial<IHttpRequestOptions>) => headersOf(await authenticate(data, { method: 'PUT', url: `${server.endpoint}/farm-media/k`, ...options }))['x-amz-content-sha256'];
		expect(await hashOf({ headers: { 'X-Amz-Content-Sha256': 'abc' } })).toBe('abc');
		expect(await hashOf({ body: Buffer.from('hello') })).toBe(sha(Buffer.from('hello')));
		expect(await hashOf({})).toBe(EMPTY_PAYLOAD_SHA256);
		expect(await hashOf({ body: Readable.from([Buffer.from('x')]) as unknown as Buffer })).toBe(UNSIGNED_PAYLOAD);
	});

	it('adds the session token of temporary keys', async () => {
		const signed = await authenticate({ ...data, sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN' }, { method: 'GET', url: `${server.endpoint}/farm-media/k` });
		expect(headersOf(signed)['x-amz-security-token']).toBe('FwoGZXIvYXdzEXAMPLETOKEN');
	});

	it('signs x-amz-*, If-None-Match and, with a body, Content-Type and Content-Length; others go along unsigned', async () => {
		const withBody = headersOf(
			await authenticate(data, {
				method: 'PUT',
				url: `${server.endpoint}/farm-media/k`,
				body: Buffer.from('x'),
				headers: { 'Content-Type': 'video/mp4', 'content-length': '1', 'if-none-match': '*', 'x-amz-meta-sha256': 'ab', accept: 'application/json' },
			}),
		);
		expect(withBody.authorization).toMatch(/SignedHeaders=content-length;content-type;host;if-none-match;x-amz-content-sha256;x-amz-date;x-amz-meta-sha256,/);
		expect(withBody.accept).toBe('application/json');

		// n8n's credential test may carry a Content-Type on a HEAD without a body: not signed, so a client dropping it does no harm.
		const head = headersOf(await authenticate(data, { method: 'HEAD', url: '/', headers: { 'content-type': 'application/json' } }));
		expect(head.authorization).toMatch(/SignedHeaders=host;x-amz-content-sha256;x-amz-date,/);
		expect(head['content-type']).toBe('application/json');
	});
});

// Path style, good and bad keys: test/node/binaryMedia.test.ts, with n8n's expression engine.
describe('the credential’s test request, signed by its authenticate', () => {
	const test = async (credentialData: ICredentialDataDecryptedObject) => {
		const signed = await authenticate(credentialData, { ...new FarmProfileStorageApi().test.request } as IHttpRequestOptions);
		return await send({ method: signed.method ?? 'GET', url: signed.url, headers: headersOf(signed) });
	};

	it('reaches the bucket in the host name without Force Path Style', async () => {
		expect((await test({ ...data, endpoint: server.virtualHostEndpoint, forcePathStyle: false })).statusCode).toBe(200);
		expect(server.requests.at(-1)).toMatchObject({ method: 'HEAD', host: `farm-media.s3.farm.test:${server.port}`, style: 'virtual-hosted', outcome: 'BucketExists' });
	});
});
