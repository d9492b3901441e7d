// Our SigV4 (nodes/FarmProfile/storage/sigv4.ts) against the official AWS SDK signer on the same
// inputs: the Authorization header and the presigned URL must be byte-identical.

import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

import {
	EMPTY_PAYLOAD_SHA256,
	MAX_PRESIGN_SECONDS,
	UNSIGNED_PAYLOAD,
	encodeKey,
	presignUrl,
	sha256Hex,
	signRequest,
	uriEncode,
} from '../../nodes/FarmProfile/storage/sigv4';
import { objectUrl as storageObjectUrl, readStorageCredential } from '../../nodes/FarmProfile/storage/storageCredential';
import { withoutSignature } from '../../nodes/shared/secrets';

/** The object's URL as the node addresses it with a storage credential of these settings. */
const objectUrl = ({ endpoint, bucket, key, pathStyle }: { endpoint: string; bucket: string; key: string; pathStyle: boolean }) =>
	storageObjectUrl(readStorageCredential({ endpoint, bucket, forcePathStyle: pathStyle }), key);

const keys = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const date = new Date('2026-03-04T05:06:07.891Z');

const KEYS = [
	'plain.mp4',
	'posts/2026/03/04/ref-0123456789abcdef.mp4',
	'with space/and+plus.jpg',
	'ünïcödé/日本語/émoji-🎬.zip',
	"special !'()*~._-=&?#%$@,;:[]{}.jpg",
	'double//slash/ trailing-space ',
	'tilde~and%25percent',
];
const ENDPOINTS: Array<[string, string, boolean]> = [
	['https://s3.eu-central-1.amazonaws.com', 'eu-central-1', false],
	['https://s3.us-east-1.amazonaws.com', 'us-east-1', true],
	['https://abc123.r2.cloudflarestorage.com', 'auto', true],
	['https://s3.us-west-004.backblazeb2.com', 'us-west-004', false],
	['http://127.0.0.1:9000', 'us-east-1', true],
	['https://nyc3.digitaloceanspaces.com', 'nyc3', false],
];

function sdkSigner(region: string, sessionToken?: string): SignatureV4 {
	return new SignatureV4({
		service: 's3',
		region,
		sha256: Sha256,
		uriEscapePath: false, // S3: the path is signed as sent, encoded once
		credentials: { ...keys, sessionToken },
	});
}

type SdkRequest = Parameters<SignatureV4['presign']>[0];

function sdkRequest(url: string, method: string, headers: Record<string, string>): SdkRequest {
	const parsed = new URL(url);
	const query: Record<string, string> = {};
	parsed.searchParams.forEach((value, name) => (query[name] = value));
	return {
		method,
		protocol: parsed.protocol,
		hostname: parsed.hostname,
		port: parsed.port ? Number(parsed.port) : undefined,
		path: parsed.pathname,
		query,
		headers: { host: parsed.host, ...headers },
	};
}

/** The SDK's presigned request written as our URL: the canonical (sorted) query, then the signature. */
function sdkPresignedUrl(request: SdkRequest): string {
	const query = request.query as Record<string, string>;
	const params = Object.keys(query)
		.filter((name) => name !== 'X-Amz-Signature')
		.map((name) => `${uriEncode(name)}=${uriEncode(query[name])}`)
		.sort();
	const port = request.port ? `:${request.port}` : '';
	return `${request.protocol}//${request.hostname}${port}${request.path}?${params.join('&')}&X-Amz-Signature=${query['X-Amz-Signature']}`;
}

describe('uriEncode / encodeKey', () => {
	it('keeps only unreserved characters and encodes the rest as uppercase UTF-8', () => {
		expect(uriEncode("AZaz09-._~ !'()*/+=&é")).toBe('AZaz09-._~%20%21%27%28%29%2A%2F%2B%3D%26%C3%A9');
		expect(encodeKey('a b/c+d/ü')).toBe('a%20b/c%2Bd/%C3%BC');
	});
});

describe('signRequest matches the AWS SDK signer', () => {
	const cases: Array<[string, string, string, boolean]> = [];
	for (const key of KEYS) for (const [endpoint, region, pathStyle] of ENDPOINTS) cases.push([key, endpoint, region, pathStyle]);

	it.each(cases)('PUT %j to %s (%s, path style %s)', async (key, endpoint, region, pathStyle) => {
		const url = objectUrl({ endpoint, bucket: 'farm-media', key, pathStyle });
		const body = Buffer.from(`body of ${key}`);
		const given = { 'Content-Type': 'video/mp4', 'Content-Length': String(body.length), 'If-None-Match': '*' };
		const ours = signRequest({ method: 'PUT', url, headers: given, payloadHash: sha256Hex(body), keys, region, date });

		const sdk = await sdkSigner(region).sign(
			sdkRequest(url, 'PUT', { 'content-type': 'video/mp4', 'content-length': String(body.length), 'if-none-match': '*', 'x-amz-content-sha256': sha256Hex(body) }),
			{ signingDate: date },
		);
		expect(ours.authorization).toBe(sdk.headers.authorization);
		expect(ours['x-amz-date']).toBe(sdk.headers['x-amz-date']);
		expect(ours.authorization).toContain('SignedHeaders=content-length;content-type;host;if-none-match;x-amz-content-sha256;x-amz-date,');
	});

	it.each([
		['UNSIGNED-PAYLOAD for a streamed body', UNSIGNED_PAYLOAD],
		['the empty body', EMPTY_PAYLOAD_SHA256],
	])('signs %s the same way', async (_name, payloadHash) => {
		const url = objectUrl({ endpoint: 'https://s3.eu-west-3.amazonaws.com', bucket: 'b', key: 'stream/video 1.mp4', pathStyle: false });
		const ours = signRequest({ method: 'PUT', url, headers: { 'content-length': '123456789' }, payloadHash, keys, region: 'eu-west-3', date });
		const sdk = await sdkSigner('eu-west-3').sign(sdkRequest(url, 'PUT', { 'content-length': '123456789', 'x-amz-content-sha256': payloadHash }), {
			signingDate: date,
		});
		expect(ours['x-amz-content-sha256']).toBe(payloadHash);
		expect(ours.authorization).toBe(sdk.headers.authorization);
	});

	it('signs temporary keys (session token) and leaves unsignable headers out, like the SDK', async () => {
		const url = objectUrl({ endpoint: 'https://s3.ap-southeast-2.amazonaws.com', bucket: 'b', key: 'k.jpg', pathStyle: true });
		const temporary = { ...keys, sessionToken: 'FwoGZXIvYXdzEXAMPLE//token+with/slashes=' };
		const headers = { 'content-type': 'image/jpeg', 'user-agent': 'n8n', 'x-amz-meta-post-ref': '  spaced   value ' };
		const ours = signRequest({ method: 'PUT', url, headers, payloadHash: UNSIGNED_PAYLOAD, keys: temporary, region: 'ap-southeast-2', date });
		const sdk = await sdkSigner('ap-southeast-2', temporary.sessionToken).sign(
			sdkRequest(url, 'PUT', { ...headers, 'x-amz-content-sha256': UNSIGNED_PAYLOAD }),
			{ signingDate: date },
		);
		expect(ours.authorization).toBe(sdk.headers.authorization);
		expect(ours['x-amz-security-token']).toBe(temporary.sessionToken);
		expect(ours.authorization).not.toContain('user-agent');
	});

	it('signs a GET and a HEAD with a query string', async () => {
		for (const method of ['GET', 'HEAD']) {
			const url = `${objectUrl({ endpoint: 'https://s3.us-east-2.amazonaws.com', bucket: 'b', key: 'a/b c', pathStyle: true })}?response-content-type=video%2Fmp4&x-id=GetObject`;
			const ours = signRequest({ method, url, keys, region: 'us-east-2', date });
			const sdk = await sdkSigner('us-east-2').sign(sdkRequest(url, method, { 'x-amz-content-sha256': EMPTY_PAYLOAD_SHA256 }), { signingDate: date });
			expect(ours.authorization).toBe(sdk.headers.authorization);
		}
	});
});

describe('presignUrl matches the AWS SDK signer', () => {
	const expiries = [1, 3600, 86400 + 7200, MAX_PRESIGN_SECONDS];
	const cases: Array<[string, string, string, boolean, number]> = [];
	KEYS.forEach((key, index) => {
		for (const [endpoint, region, pathStyle] of ENDPOINTS) cases.push([key, endpoint, region, pathStyle, expiries[index % expiries.length]]);
	});

	it.each(cases)('GET %j at %s (%s, path style %s) for %i s', async (key, endpoint, region, pathStyle, expiresInSeconds) => {
		const url = objectUrl({ endpoint, bucket: 'farm-media', key, pathStyle });
		const ours = presignUrl({ url, keys, region, expiresInSeconds, date });
		const sdk = await sdkSigner(region).presign(sdkRequest(url, 'GET', { 'x-amz-content-sha256': UNSIGNED_PAYLOAD }), {
			signingDate: date,
			expiresIn: expiresInSeconds,
			// The S3 form: UNSIGNED-PAYLOAD in the canonical request, only `host` signed, nothing else in the query.
			unsignableHeaders: new Set(['x-amz-content-sha256']),
			unhoistableHeaders: new Set(['x-amz-content-sha256']),
		});
		expect(ours).toBe(sdkPresignedUrl(sdk));
		expect(ours).toContain('X-Amz-Date=20260304T050607Z&');
		expect(ours).toContain(`X-Amz-Expires=${expiresInSeconds}&`);
		expect(ours).toContain('X-Amz-SignedHeaders=host&');
	});

	it('presigns with a session token like the SDK', async () => {
		const url = objectUrl({ endpoint: 'https://s3.eu-north-1.amazonaws.com', bucket: 'b', key: 'ref-1.mp4', pathStyle: false });
		const sessionToken = 'IQoJb3JpZ2luX2VjEXAMPLE/+=';
		const ours = presignUrl({ url, keys: { ...keys, sessionToken }, region: 'eu-north-1', expiresInSeconds: 600, date });
		const sdk = await sdkSigner('eu-north-1', sessionToken).presign(sdkRequest(url, 'GET', { 'x-amz-content-sha256': UNSIGNED_PAYLOAD }), {
			signingDate: date,
			expiresIn: 600,
			unsignableHeaders: new Set(['x-amz-content-sha256']),
			unhoistableHeaders: new Set(['x-amz-content-sha256']),
		});
		expect(ours).toBe(sdkPresignedUrl(sdk));
	});

	it('refuses more than 7 days, less than a second, or a fraction', () => {
		const url = 'https://s3.amazonaws.com/b/k';
		for (const expiresInSeconds of [MAX_PRESIGN_SECONDS + 1, 0, -5, 1.5, Number.NaN]) {
			expect(() => presignUrl({ url, keys, region: 'us-east-1', expiresInSeconds })).toThrow(RangeError);
		}
	});
});

describe('withoutSignature', () => {
	it('masks the signature and the session token, and keeps the rest', () => {
		const url = presignUrl({
			url: 'https://s3.amazonaws.com/b/k.mp4',
			keys: { ...keys, sessionToken: 'SECRETTOKEN' },
			region: 'us-east-1',
			expiresInSeconds: 60,
			date,
		});
		const signature = /X-Amz-Signature=([0-9a-f]{64})/.exec(url)![1];
		const safe = withoutSignature(url);
		expect(safe).not.toContain(signature);
		expect(safe).not.toContain('SECRETTOKEN');
		expect(safe).toContain('X-Amz-Signature=[redacted]');
		expect(safe).toContain('X-Amz-Expires=60');
		expect(safe).not.toContain(keys.secretAccessKey);
	});
});
