// The storage credential (credentials/FarmProfileStorageApi.credentials.ts) read into the one shape
// its uploads, its links, its error messages and its own signing use, and the URLs it addresses.
// The credential signs every request made with it (its authenticate is signForTransport): n8n runs
// it for the credential's test and for the node's httpRequestWithAuthentication, so the node never
// signs a request by hand. Presigned links are made by the node with the same keys.

import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { hasScheme, withHttps } from '../../shared/addresses';
import { EMPTY_PAYLOAD_SHA256, encodeKey, sha256Hex, signRequest, UNSIGNED_PAYLOAD, uriEncode, type StorageKeys } from './sigv4';

export const STORAGE_CREDENTIAL_TYPE = 'farmProfileStorageApi';

/** The credential's fields, trimmed. */
export interface StorageCredential {
	/** With its scheme (https:// when the user typed none), without a trailing slash. */
	endpoint: string;
	region: string;
	bucket: string;
	/** true: <endpoint>/<bucket>/<key>; false: <bucket>.<endpoint host>/<key> (virtual-hosted style). */
	pathStyle: boolean;
	keys: StorageKeys;
	/** The folder in the bucket the uploads go to, as the user typed it. */
	keyPrefix: string;
	/** Empty, or a public bucket or CDN: the farm then downloads <publicBaseUrl>/<key>. */
	publicBaseUrl: string;
}

/** this.helpers.httpRequest, or anything with its contract. */
export type HttpRequestFunction = (options: IHttpRequestOptions) => Promise<unknown>;

/** The storage as the node holds it for one run. */
export interface Storage {
	credential: StorageCredential;
	/** The name the user gave the credential, for messages. */
	name?: string;
	/** Sends a request signed by the credential (httpRequestWithAuthentication). */
	http: HttpRequestFunction;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value).trim();
}

export function readStorageCredential(data: ICredentialDataDecryptedObject): StorageCredential {
	const sessionToken = text(data.sessionToken);
	return {
		endpoint: withHttps(text(data.endpoint).replace(/\/+$/, '')),
		region: text(data.region) || 'us-east-1',
		bucket: text(data.bucket),
		pathStyle: data.forcePathStyle === true,
		keys: { accessKeyId: text(data.accessKeyId), secretAccessKey: text(data.secretAccessKey), ...(sessionToken ? { sessionToken } : {}) },
		keyPrefix: text(data.pathPrefix),
		publicBaseUrl: text(data.publicBaseUrl),
	};
}

/**
 * The bucket's URL, ending in '/'. A path on the endpoint (a gateway under a prefix) is kept in
 * front of the bucket or key. Throws a TypeError when the endpoint is not a URL.
 */
export function bucketUrl(storage: StorageCredential): string {
	const base = new URL(storage.endpoint);
	const prefix = base.pathname.replace(/\/+$/, '');
	if (storage.pathStyle) return `${base.protocol}//${base.host}${prefix}/${uriEncode(storage.bucket)}/`;
	return `${base.protocol}//${storage.bucket}.${base.host}${prefix}/`;
}

/** The object's URL: the bucket's and the key, each of its segments encoded. */
export function objectUrl(storage: StorageCredential, key: string): string {
	return `${bucketUrl(storage)}${encodeKey(key)}`;
}

function payloadHashOf(options: IHttpRequestOptions, headers: Record<string, string>): string {
	const given = headers['x-amz-content-sha256'];
	if (given) return given;
	const body = options.body as unknown;
	if (body === undefined || body === null || body === '') return EMPTY_PAYLOAD_SHA256;
	if (Buffer.isBuffer(body) || typeof body === 'string') return sha256Hex(body);
	return UNSIGNED_PAYLOAD;
}

/**
 * Signs a request with Signature V4. A URL without a scheme is a path in the bucket (the
 * credential's test sends '/', the bucket itself), or under baseURL when one is given; qs is
 * added to it. The payload hash is the x-amz-content-sha256 header the caller set, the body's hash
 * for a body in memory, or UNSIGNED-PAYLOAD for a stream.
 */
export function signForTransport(data: ICredentialDataDecryptedObject, options: IHttpRequestOptions): IHttpRequestOptions {
	const credential = readStorageCredential(data);
	// Joined as n8n's HTTP client (axios) joins them: a relative url is appended to the base's path.
	const base = options.baseURL ?? bucketUrl(credential);
	const url = new URL(hasScheme(options.url) ? options.url : `${base.replace(/\/+$/, '')}/${options.url.replace(/^\/+/, '')}`);
	for (const [name, value] of Object.entries((options.qs ?? {}) as IDataObject)) {
		if (value !== undefined && value !== null) url.searchParams.append(name, String(value));
	}
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries((options.headers ?? {}) as IDataObject)) {
		if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
	}
	// Signed: what S3 needs signed (x-amz-*) and what the upload depends on. Other headers go along
	// unsigned: an HTTP client may drop or rewrite them (e.g. a Content-Type without a body).
	const hasBody = options.body !== undefined && options.body !== null && options.body !== '';
	const toSign: Record<string, string> = {};
	const unsigned: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		const signable = name.startsWith('x-amz-') || name === 'if-none-match' || name === 'content-md5' || (hasBody && (name === 'content-type' || name === 'content-length'));
		(signable ? toSign : unsigned)[name] = value;
	}
	const signed = signRequest({
		method: options.method ?? 'GET',
		url: url.toString(),
		headers: toSign,
		payloadHash: payloadHashOf(options, headers),
		keys: credential.keys,
		region: credential.region,
	});
	// Host is set by the HTTP client from the URL; sending it twice would confuse some servers.
	delete signed.host;
	return { ...options, url: url.toString(), baseURL: undefined, qs: undefined, headers: { ...unsigned, ...signed } };
}
