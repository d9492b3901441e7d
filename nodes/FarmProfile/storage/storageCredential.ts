// The storage credential's data as the node and the credential's own signing use it. The credential
// (credentials/FarmProfileStorageApi.credentials.ts) signs every request made with it through
// signForTransport(): n8n calls it for the credential test and for the node's
// httpRequestWithAuthentication, so the node never signs a request by hand.

import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { EMPTY_PAYLOAD_SHA256, sha256Hex, signRequest, UNSIGNED_PAYLOAD, type StorageKeys } from './sigv4';

export const STORAGE_CREDENTIAL_TYPE = 'farmProfileStorageApi';

export interface StorageCredential {
	endpoint: string;
	region: string;
	bucket: string;
	pathStyle: boolean;
	keys: StorageKeys;
	keyPrefix: string;
	publicBaseUrl: string;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value).trim();
}

/** The credential's fields, trimmed; an endpoint without a scheme is taken as https://. */
export function readStorageCredential(data: ICredentialDataDecryptedObject): StorageCredential {
	const endpoint = text(data.endpoint).replace(/\/+$/, '');
	const sessionToken = text(data.sessionToken);
	return {
		endpoint: endpoint && !/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? `https://${endpoint}` : endpoint,
		region: text(data.region) || 'us-east-1',
		bucket: text(data.bucket),
		pathStyle: data.forcePathStyle === true,
		keys: { accessKeyId: text(data.accessKeyId), secretAccessKey: text(data.secretAccessKey), ...(sessionToken ? { sessionToken } : {}) },
		keyPrefix: text(data.pathPrefix),
		publicBaseUrl: text(data.publicBaseUrl),
	};
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
 * Signs a request with Signature V4: the URL is made whole (baseURL + url + qs, as n8n's credential
 * test sends it), and the payload hash is the x-amz-content-sha256 header the caller set, the body's
 * hash for a body in memory, or UNSIGNED-PAYLOAD for a stream.
 */
export function signForTransport(data: ICredentialDataDecryptedObject, options: IHttpRequestOptions): IHttpRequestOptions {
	const credential = readStorageCredential(data);
	// Joined as n8n's HTTP client (axios) joins them: a relative url is appended to baseURL's path.
	const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(options.url) || !options.baseURL;
	const url = new URL(absolute ? options.url : `${options.baseURL!.replace(/\/+$/, '')}/${options.url.replace(/^\/+/, '')}`);
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
