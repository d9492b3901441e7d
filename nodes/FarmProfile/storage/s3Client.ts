// The upload to S3-compatible storage and the link the farm downloads from. Requests go through the
// storage's http function, signed by the credential (storageCredential.ts); links are presigned here
// with the same keys.
//
// PUT: Content-Type and Content-Length always; x-amz-content-sha256 is the content's hash, so the
// storage checks the bytes; If-None-Match: * so an existing object is never replaced (AWS S3, R2 and
// MinIO refuse with 412; a server without conditional writes ignores it). The content's SHA-256 goes
// along as x-amz-meta-sha256, so a 412 for our own earlier upload of the same bytes (a retry) is
// recognised and taken as done.
//
// Nothing here throws for a storage failure: the result says ok: false with the mapped failure.

import type { IDataObject } from 'n8n-workflow';

import { withoutSignature } from '../../shared/secrets';
import type { UploadFile } from '../media/binaryMedia';
import type { Problem } from '../posting/checks';
import { planLinkExpiry, publicObjectUrl } from './objectKey';
import { mapStorageFailure, type StorageAnswer, type StorageFailure } from './s3Errors';
import { presignUrl } from './sigv4';
import { objectUrl, type HttpRequestFunction, type Storage, type StorageCredential } from './storageCredential';

export interface PutObjectInput extends Pick<UploadFile, 'body' | 'contentType' | 'sha256'> {
	key: string;
}

export type PutObjectResult = { ok: true; alreadyExisted: boolean } | { ok: false; failure: StorageFailure };

/** Per request: a large video on a slow link takes a while. */
const TIMEOUT_MS = 10 * 60 * 1000;

function header(headers: Record<string, unknown>, name: string): string | undefined {
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === name) return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
	}
	return undefined;
}

function asBuffer(body: unknown): Buffer | undefined {
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	if (typeof body === 'string') return Buffer.from(body);
	return undefined;
}

async function send(
	http: HttpRequestFunction,
	request: { method: 'PUT' | 'HEAD'; url: string; headers: Record<string, string>; body?: Buffer | NodeJS.ReadableStream },
): Promise<StorageAnswer> {
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
			timeout: TIMEOUT_MS,
		})) as { statusCode: number; headers?: Record<string, unknown>; body?: unknown };
		return { status: response.statusCode, headers: response.headers ?? {}, body: asBuffer(response.body) };
	} catch (error) {
		return { error };
	}
}

/**
 * Uploads one object. Resolves with ok: false and the mapped failure when the storage refused or was
 * unreachable; `nothingDone` says in it what did not happen (mapStorageFailure's default: no post).
 */
export async function putObject(storage: Storage, input: PutObjectInput, nothingDone?: string): Promise<PutObjectResult> {
	const url = objectUrl(storage.credential, input.key);
	const put = async (conditional: boolean) => {
		const headers: Record<string, string> = {
			'content-type': input.contentType,
			'content-length': String(input.body.length),
			'x-amz-content-sha256': input.sha256,
			'x-amz-meta-sha256': input.sha256,
			...(conditional ? { 'if-none-match': '*' } : {}),
		};
		const body = Buffer.isBuffer(input.body) ? input.body : await input.body.open();
		return await send(storage.http, { method: 'PUT', url, headers, body });
	};

	let answer = await put(true);
	// A server that does not implement conditional writes may refuse the header: write without it
	// (the key holds the content's hash, so what is there could only be the same bytes).
	if ('status' in answer && answer.status === 501) answer = await put(false);
	if ('error' in answer) return { ok: false, failure: mapStorageFailure(storage, answer, nothingDone) };
	if (answer.status >= 200 && answer.status < 300) return { ok: true, alreadyExisted: false };
	if (answer.status === 412) {
		// Already there: ours from an earlier try if it carries the same content hash.
		const existing = await send(storage.http, { method: 'HEAD', url, headers: {} });
		if ('status' in existing && existing.status === 200 && header(existing.headers ?? {}, 'x-amz-meta-sha256') === input.sha256) {
			return { ok: true, alreadyExisted: true };
		}
	}
	return { ok: false, failure: mapStorageFailure(storage, answer, nothingDone) };
}

export interface MediaLink {
	/** The link for the farm: a presigned one carries a signature, keep it out of every output, error and log. */
	url: string;
	/** The same link with its signature masked. */
	safeUrl: string;
	/** Undefined for a public link. */
	expiresAt?: Date;
}

/**
 * The link the farm downloads the object from: <Public Base URL>/<key> when the credential has one
 * (it does not expire), else a presigned GET until the scheduled time plus the download margin.
 * Returns a problem for the Scheduled Time field when the 7 days a presigned link lasts are not enough.
 */
export function mediaLink(credential: StorageCredential, input: { key: string; now: Date; scheduledAt?: Date }): MediaLink | { problem: Problem } {
	if (credential.publicBaseUrl) {
		const url = publicObjectUrl(credential.publicBaseUrl, input.key);
		return { url, safeUrl: url };
	}
	const plan = planLinkExpiry({ now: input.now, scheduledAt: input.scheduledAt });
	if ('problem' in plan) return plan;
	const url = presignUrl({ url: objectUrl(credential, input.key), keys: credential.keys, region: credential.region, expiresInSeconds: plan.expiresInSeconds, date: input.now });
	return { url, safeUrl: withoutSignature(url), expiresAt: plan.expiresAt };
}
