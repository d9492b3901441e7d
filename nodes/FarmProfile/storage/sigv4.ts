// AWS Signature Version 4 for S3-compatible storage, with node:crypto only (no runtime dependencies):
// signing a request's headers and presigning a GET URL. Checked in test/storage/sigv4.test.ts
// against the official AWS SDK signer (@smithy/signature-v4) on the same inputs.
//
// S3 rules followed here (they differ from the other AWS services): the canonical URI is the path as
// sent, encoded once, never normalised; each key segment is encoded with RFC 3986 (only A-Z a-z 0-9
// - . _ ~ are left as they are, '/' separates segments).

import { createHash, createHmac } from 'node:crypto';

export interface StorageKeys {
	accessKeyId: string;
	secretAccessKey: string;
	/** For temporary credentials (AWS STS). */
	sessionToken?: string;
}

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const EMPTY_PAYLOAD_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
/** SigV4 presigned URLs are valid for 7 days at most. */
export const MAX_PRESIGN_SECONDS = 604800;

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** Headers that are never signed: proxies and clients may change them on the way. */
const UNSIGNABLE_HEADERS = new Set([
	'authorization',
	'cache-control',
	'connection',
	'expect',
	'from',
	'keep-alive',
	'max-forwards',
	'pragma',
	'referer',
	'te',
	'trailer',
	'transfer-encoding',
	'upgrade',
	'user-agent',
	'x-amzn-trace-id',
]);

export function sha256Hex(data: string | Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
	return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** 20240102T030405Z */
function amzDate(date: Date): string {
	return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** RFC 3986 percent-encoding as AWS wants it: UTF-8, uppercase hex, only A-Z a-z 0-9 - . _ ~ kept. */
export function uriEncode(value: string): string {
	return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** An object key as it goes in a URL path: each segment encoded, the '/' between them kept. */
export function encodeKey(key: string): string {
	return key.split('/').map(uriEncode).join('/');
}

function scopeOf(date: Date, region: string, service: string): { shortDate: string; scope: string } {
	const shortDate = amzDate(date).slice(0, 8);
	return { shortDate, scope: `${shortDate}/${region}/${service}/aws4_request` };
}

function signingKey(secretAccessKey: string, shortDate: string, region: string, service: string): Buffer {
	const dateKey = hmac(`AWS4${secretAccessKey}`, shortDate);
	return hmac(hmac(hmac(dateKey, region), service), 'aws4_request');
}

function canonicalQuery(params: Array<[string, string]>): string {
	return params
		.map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
		.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
		.map(([name, value]) => `${name}=${value}`)
		.join('&');
}

function queryParams(url: URL): Array<[string, string]> {
	return [...url.searchParams.entries()];
}

interface Canonical {
	request: string;
	signedHeaders: string;
}

function canonicalRequest(
	method: string,
	url: URL,
	query: Array<[string, string]>,
	headers: Record<string, string>,
	payloadHash: string,
): Canonical {
	const names = Object.keys(headers)
		.map((name) => name.toLowerCase())
		.filter((name) => !UNSIGNABLE_HEADERS.has(name) && !name.startsWith('proxy-') && !name.startsWith('sec-'));
	const values: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		const lower = name.toLowerCase();
		if (names.includes(lower)) values[lower] = String(value).replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').trim();
	}
	const sorted = [...new Set(names)].sort();
	const signedHeaders = sorted.join(';');
	const request = [
		method.toUpperCase(),
		url.pathname || '/',
		canonicalQuery(query),
		sorted.map((name) => `${name}:${values[name]}\n`).join(''),
		signedHeaders,
		payloadHash,
	].join('\n');
	return { request, signedHeaders };
}

function stringToSign(date: Date, scope: string, canonical: string): string {
	return [ALGORITHM, amzDate(date), scope, sha256Hex(canonical)].join('\n');
}

export interface SignRequestInput {
	method: string;
	/** The full URL as it will be sent (path already encoded, e.g. from storageCredential.ts objectUrl()). */
	url: string;
	/** Headers that will be sent and should be signed (e.g. content-type, content-length, if-none-match). */
	headers?: Record<string, string>;
	/** The body's SHA-256 in hex, or UNSIGNED_PAYLOAD for a streamed body. Default: the empty body's hash. */
	payloadHash?: string;
	keys: StorageKeys;
	region: string;
	service?: string;
	/** The signing time; default now. */
	date?: Date;
}

/**
 * Signs a request with an Authorization header. Returns every header to send: the given ones plus
 * host, x-amz-date, x-amz-content-sha256, x-amz-security-token (temporary keys) and authorization.
 */
export function signRequest(input: SignRequestInput): Record<string, string> {
	const { keys, region } = input;
	const service = input.service ?? 's3';
	const date = input.date ?? new Date();
	const url = new URL(input.url);
	const payloadHash = input.payloadHash ?? EMPTY_PAYLOAD_SHA256;
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = String(value);
	headers.host = url.host;
	headers['x-amz-date'] = amzDate(date);
	headers['x-amz-content-sha256'] = payloadHash;
	if (keys.sessionToken) headers['x-amz-security-token'] = keys.sessionToken;
	delete headers.authorization;

	const { shortDate, scope } = scopeOf(date, region, service);
	const canonical = canonicalRequest(input.method, url, queryParams(url), headers, payloadHash);
	const signature = hmac(signingKey(keys.secretAccessKey, shortDate, region, service), stringToSign(date, scope, canonical.request)).toString('hex');
	headers.authorization = `${ALGORITHM} Credential=${keys.accessKeyId}/${scope}, SignedHeaders=${canonical.signedHeaders}, Signature=${signature}`;
	return headers;
}

export interface PresignInput {
	/** The object's URL (e.g. from storageCredential.ts objectUrl()); any query it has is kept and signed. */
	url: string;
	keys: StorageKeys;
	region: string;
	/** How long the link works, in seconds: 1 to 604800 (7 days). */
	expiresInSeconds: number;
	method?: string;
	service?: string;
	date?: Date;
}

/**
 * A presigned URL (query-string authentication, only the host header signed, UNSIGNED-PAYLOAD).
 * Throws a RangeError when expiresInSeconds is not a whole number from 1 to 604800.
 */
export function presignUrl(input: PresignInput): string {
	const { keys, region, expiresInSeconds } = input;
	if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_PRESIGN_SECONDS) {
		throw new RangeError(`A presigned URL is valid for 1 to ${MAX_PRESIGN_SECONDS} seconds (7 days), not ${expiresInSeconds}`);
	}
	const service = input.service ?? 's3';
	const date = input.date ?? new Date();
	const url = new URL(input.url);
	const { shortDate, scope } = scopeOf(date, region, service);
	const query: Array<[string, string]> = [
		...queryParams(url),
		['X-Amz-Algorithm', ALGORITHM],
		['X-Amz-Credential', `${keys.accessKeyId}/${scope}`],
		['X-Amz-Date', amzDate(date)],
		['X-Amz-Expires', String(expiresInSeconds)],
		['X-Amz-SignedHeaders', 'host'],
	];
	if (keys.sessionToken) query.push(['X-Amz-Security-Token', keys.sessionToken]);
	const canonical = canonicalRequest(input.method ?? 'GET', url, query, { host: url.host }, UNSIGNED_PAYLOAD);
	const signature = hmac(signingKey(keys.secretAccessKey, shortDate, region, service), stringToSign(date, scope, canonical.request)).toString('hex');
	return `${url.protocol}//${url.host}${url.pathname}?${canonicalQuery(query)}&X-Amz-Signature=${signature}`;
}

