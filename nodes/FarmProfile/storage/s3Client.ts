// Upload to S3-compatible storage and make the link the farm gets. The HTTP call is a parameter
// (the node passes this.helpers.httpRequest), so nothing here depends on n8n beyond its types.
//
// PUT: signed with SigV4; Content-Type and Content-Length always; x-amz-content-sha256 is the body's
// hash when it is known (a Buffer, or a stream whose hash the caller computed) so the storage checks
// the bytes, else UNSIGNED-PAYLOAD; If-None-Match: * so an existing object is never replaced (AWS S3,
// R2 and MinIO refuse with 412; a server without conditional writes ignores it). The content's
// SHA-256 goes along as x-amz-meta-sha256, so a 412 for our own earlier upload of the same bytes
// (a retry) is recognised and taken as done.
//
// Nothing here throws for a storage failure: the result says ok: false with the mapped failure, and
// the node turns it into its error (and posts nothing).

import { createHash } from 'node:crypto';
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { mapStorageFailure, type StorageFailure } from './s3Errors';
import { EMPTY_PAYLOAD_SHA256, objectUrl, presignUrl, sha256Hex, signRequest, UNSIGNED_PAYLOAD, type StorageKeys } from './sigv4';
import { withoutSignature } from '../../shared/secrets';
import { planLinkExpiry, publicObjectUrl } from './objectKey';
import type { Problem } from '../posting/checks';

export interface StorageSettings {
	endpoint: string;
	region: string;
	bucket: string;
	/** true: <endpoint>/<bucket>/<key>; false: <bucket>.<endpoint host>/<key>. */
	pathStyle: boolean;
	keys: StorageKeys;
	/** The credential's name, for error messages. */
	credentialName?: string;
	/** Per request; default 10 minutes (a large video on a slow link). */
	timeoutMs?: number;
	ignoreSslIssues?: boolean;
	/**
	 * 'client' (default): requests are signed here with the keys. 'transport': the HTTP function signs
	 * them (the node's httpRequestWithAuthentication with the storage credential, whose authenticate
	 * signs); requests then carry x-amz-content-sha256 for it to sign. Presigned links are made here either way.
	 */
	signing?: 'client' | 'transport';
}

/** this.helpers.httpRequest, or anything with its contract. */
export type HttpRequestFunction = (options: IHttpRequestOptions) => Promise<unknown>;

/** A stream of the body (or a promise of one); called again if the upload has to be repeated. */
export type OpenStream = () => NodeJS.ReadableStream | Promise<NodeJS.ReadableStream> | AsyncIterable<Uint8Array | string>;

export interface PutObjectInput {
	key: string;
	/** The bytes in memory, or a function that opens a stream of them (n8n's filesystem binary mode). */
	body: Buffer | { open: OpenStream; length: number };
	contentType: string;
	/** The content's SHA-256 (hex). Computed for a Buffer when not given; for a stream, UNSIGNED-PAYLOAD is signed without it. */
	sha256?: string;
	/** Send If-None-Match: * (default true). */
	ifNoneMatch?: boolean;
	/** The signing time; default now. */
	now?: Date;
}

export interface UploadedObject {
	bucket: string;
	key: string;
	size: number;
	sha256?: string;
	etag?: string;
	/** The object was already there with the same content (a repeated upload), so it was not written again. */
	alreadyExisted: boolean;
	/** The object's URL, unsigned (not a link anyone can download from unless the bucket is public). */
	objectUrl: string;
}

export type PutObjectResult = { ok: true; object: UploadedObject } | { ok: false; failure: StorageFailure };

interface FullResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body?: unknown;
}

const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

function header(headers: Record<string, unknown>, name: string): string | undefined {
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() === name) return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
	}
	return undefined;
}

function asBuffer(body: unknown): Buffer | undefined {
	if (body === undefined || body === null) return undefined;
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (typeof body === 'string') return Buffer.from(body);
	return undefined;
}

/** The SHA-256 (hex) of a stream, read chunk by chunk: nothing is held in memory. */
export async function sha256OfStream(stream: AsyncIterable<Uint8Array | string> | NodeJS.ReadableStream): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of stream as AsyncIterable<Uint8Array | string>) hash.update(chunk);
	return hash.digest('hex');
}

async function send(
	http: HttpRequestFunction,
	settings: StorageSettings,
	request: { method: 'PUT' | 'HEAD'; url: string; headers: Record<string, string>; body?: unknown },
): Promise<{ response: FullResponse } | { error: unknown }> {
	try {
		const response = (await http({
			method: request.method,
			url: request.url,
			headers: request.headers as IDataObject,
			...(request.body !== undefined ? { body: request.body as Buffer } : {}),
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			encoding: 'arraybuffer',
			json: false,
			timeout: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
			...(settings.ignoreSslIssues ? { skipSslCertificateValidation: true } : {}),
		})) as FullResponse;
		return { response };
	} catch (error) {
		return { error };
	}
}

function failureOf(settings: StorageSettings, outcome: { response: FullResponse } | { error: unknown }, action = 'upload'): StorageFailure {
	const common = {
		credentialName: settings.credentialName,
		bucket: settings.bucket,
		endpoint: settings.endpoint,
		action,
		secrets: [settings.keys.secretAccessKey, settings.keys.sessionToken],
	};
	if ('error' in outcome) return mapStorageFailure({ ...common, error: outcome.error });
	const body = asBuffer(outcome.response.body);
	return mapStorageFailure({ ...common, status: outcome.response.statusCode, body, headers: outcome.response.headers });
}

/** Uploads one object. Resolves with ok: false and the mapped failure when the storage refused or was unreachable. */
export async function putObject(http: HttpRequestFunction, settings: StorageSettings, input: PutObjectInput): Promise<PutObjectResult> {
	const url = objectUrl({ endpoint: settings.endpoint, bucket: settings.bucket, key: input.key, pathStyle: settings.pathStyle });
	const size = Buffer.isBuffer(input.body) ? input.body.length : input.body.length;
	const sha256 = input.sha256 ?? (Buffer.isBuffer(input.body) ? sha256Hex(input.body) : undefined);
	const payloadHash = sha256 ?? UNSIGNED_PAYLOAD;

	const attempt = async (conditional: boolean) => {
		const headers: Record<string, string> = {
			'content-type': input.contentType,
			'content-length': String(size),
		};
		if (sha256) headers['x-amz-meta-sha256'] = sha256;
		if (conditional) headers['if-none-match'] = '*';
		const signed = requestHeaders(settings, { method: 'PUT', url, headers, payloadHash, date: input.now });
		const body = Buffer.isBuffer(input.body) ? input.body : await input.body.open();
		return await send(http, settings, { method: 'PUT', url, headers: signed, body });
	};

	const conditional = input.ifNoneMatch ?? true;
	let outcome = await attempt(conditional);
	// A server that does not implement conditional writes may refuse the header: write without it
	// (the key holds the content's hash, so what is there could only be the same bytes).
	if (conditional && 'response' in outcome && outcome.response.statusCode === 501) outcome = await attempt(false);

	const object = { bucket: settings.bucket, key: input.key, size, sha256, objectUrl: url };
	if ('error' in outcome) return { ok: false, failure: failureOf(settings, outcome) };
	const { statusCode, headers } = outcome.response;
	if (statusCode >= 200 && statusCode < 300) {
		return { ok: true, object: { ...object, etag: header(headers, 'etag'), alreadyExisted: false } };
	}
	if (statusCode === 412 && sha256) {
		// Already there: ours from an earlier try if it carries the same content hash.
		const existing = await headObject(http, settings, input.key, input.now);
		if ('response' in existing && existing.response.statusCode === 200 && header(existing.response.headers, 'x-amz-meta-sha256') === sha256) {
			return { ok: true, object: { ...object, etag: header(existing.response.headers, 'etag'), alreadyExisted: true } };
		}
	}
	return { ok: false, failure: failureOf(settings, outcome) };
}

/** The request's headers, signed here, or with the payload hash for the transport to sign. */
function requestHeaders(
	settings: StorageSettings,
	request: { method: string; url: string; headers: Record<string, string>; payloadHash: string; date?: Date },
): Record<string, string> {
	if (settings.signing === 'transport') return { ...request.headers, 'x-amz-content-sha256': request.payloadHash };
	return signRequest({ ...request, keys: settings.keys, region: settings.region });
}

async function headObject(http: HttpRequestFunction, settings: StorageSettings, key: string, now?: Date) {
	const url = objectUrl({ endpoint: settings.endpoint, bucket: settings.bucket, key, pathStyle: settings.pathStyle });
	const signed = requestHeaders(settings, { method: 'HEAD', url, headers: {}, payloadHash: EMPTY_PAYLOAD_SHA256, date: now });
	return await send(http, settings, { method: 'HEAD', url, headers: signed });
}

export interface PresignedLink {
	/** The link to give the farm: contains the signature, never put it in an output, error or log. */
	url: string;
	/** The same link with its signature masked, for outputs and logs. */
	safeUrl: string;
	expiresAt: Date;
}

/** A presigned GET link to the object, valid for expiresInSeconds (1 to 604800). */
export function presignGet(settings: StorageSettings, key: string, expiresInSeconds: number, now: Date = new Date()): PresignedLink {
	const url = objectUrl({ endpoint: settings.endpoint, bucket: settings.bucket, key, pathStyle: settings.pathStyle });
	const signed = presignUrl({ url, keys: settings.keys, region: settings.region, expiresInSeconds, date: now });
	return { url: signed, safeUrl: withoutSignature(signed), expiresAt: new Date(now.getTime() + expiresInSeconds * 1000) };
}

export interface MediaLinkInput {
	key: string;
	now: Date;
	scheduledAt?: Date;
	marginSeconds?: number;
	/** When set, the link is <publicBaseUrl>/<key> and does not expire. */
	publicBaseUrl?: string;
}

export interface MediaLink {
	url: string;
	safeUrl: string;
	/** Undefined for a public link. */
	expiresAt?: Date;
}

/**
 * Checks the link can cover the post before anything is uploaded (call it first), and makes it after
 * the upload: a public URL when a public base URL is set, else a presigned GET until the scheduled
 * time plus the margin. Returns a problem for the Scheduled Time field when 7 days are not enough.
 */
export function mediaLink(settings: StorageSettings, input: MediaLinkInput): MediaLink | { problem: Problem } {
	if (input.publicBaseUrl) {
		const url = publicObjectUrl(input.publicBaseUrl, input.key);
		return { url, safeUrl: url };
	}
	const plan = planLinkExpiry({ now: input.now, scheduledAt: input.scheduledAt, marginSeconds: input.marginSeconds });
	if ('problem' in plan) return plan;
	return presignGet(settings, input.key, plan.expiresInSeconds, input.now);
}
