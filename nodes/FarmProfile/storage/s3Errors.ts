// Maps a failed upload to S3-compatible storage (an HTTP status with S3's XML error body, or a network
// error code) to a message and a description that name the storage credential and say what to fix;
// a failed upload posted nothing (and changed no profile).
// The text is built from our own templates: the server's <Message> is included only after secrets,
// signatures and presigned queries are masked, and S3's debugging fields (StringToSign,
// CanonicalRequest, SignatureProvided) are never read.

import type { ApiFailure } from '../transport/failures';
import { classifyNetworkError, findErrorCode, isCertificateRefused } from '../transport/networkErrors';
import { redactSignatures } from '../../shared/secrets';
import type { Storage } from './storageCredential';

/** A failed upload: nothing was posted, so the post is free to be tried again. */
export type StorageFailure = ApiFailure & { mayHavePosted: false };

/** What the storage answered (an S3 XML error body, or headers only for a HEAD), or the error when it did not answer. */
export type StorageAnswer = { status: number; body?: Buffer; headers?: Record<string, unknown> } | { error: unknown };

interface S3ErrorBody {
	code?: string;
	message?: string;
	/** Sent with AuthorizationHeaderMalformed and redirects: the bucket's real region. */
	region?: string;
	/** Sent with PermanentRedirect: the endpoint the bucket must be reached at. */
	endpoint?: string;
}

function tag(xml: string, name: string): string | undefined {
	const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
	if (!match) return undefined;
	return match[1]
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&apos;/g, "'")
		.replace(/&amp;/g, '&')
		.trim();
}

/** Reads S3's <Error><Code>…</Code><Message>…</Message>…</Error>. */
function parseS3ErrorBody(body: Buffer | undefined): S3ErrorBody {
	if (body === undefined) return {};
	const xml = body.toString('utf8', 0, 64 * 1024);
	if (!/<Error[\s>]/.test(xml)) return {};
	return { code: tag(xml, 'Code'), message: tag(xml, 'Message'), region: tag(xml, 'Region'), endpoint: tag(xml, 'Endpoint') };
}

function headerCode(headers: Record<string, unknown> | undefined): string | undefined {
	if (!headers) return undefined;
	for (const [name, value] of Object.entries(headers)) {
		if (/^x-(amz|minio)-error-code$/i.test(name) && typeof value === 'string') return value;
	}
	return undefined;
}

/**
 * The failed upload as the user reads it: what happened, and what to fix in which credential.
 * `nothingDone`: what the failure left undone (a post, or a profile update).
 */
export function mapStorageFailure(storage: Pick<Storage, 'credential' | 'name'>, answer: StorageAnswer, nothingDone = 'Nothing was posted'): StorageFailure {
	const { endpoint, keys } = storage.credential;
	const credential = storage.name ? `the storage credential "${storage.name}"` : 'the S3-compatible storage credential';
	const bucket = `bucket "${storage.credential.bucket}"`;
	const scrub = (text: string) => redactSignatures(text, [keys.secretAccessKey, keys.sessionToken]);

	const fail = (code: string, message: string, description: string): StorageFailure => ({
		code,
		message: scrub(message),
		// Every failure names the storage credential, so the user knows which settings to look at.
		description: scrub(description.includes(credential) ? description : `${description} Storage: ${credential}.`),
		mayHavePosted: false,
	});

	if ('error' in answer) {
		const code = findErrorCode(answer.error) ?? 'NETWORK_ERROR';
		if (classifyNetworkError(code) === 'timed-out') {
			return fail(code, 'The storage did not answer in time (upload)', `${endpoint} did not answer before the timeout. ${nothingDone}. Check that the Endpoint in ${credential} is right and reachable from the n8n machine, then run the node again; a large file on a slow link may need a longer timeout.`);
		}
		if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
			return fail(code, `The storage endpoint's host name does not resolve`, `The host of ${endpoint} was not found (${code}). ${nothingDone}. Check the Endpoint in ${credential} (e.g. https://s3.eu-central-1.amazonaws.com, https://<account id>.r2.cloudflarestorage.com); with virtual-hosted style the bucket name becomes part of the host name, so a bucket that is not a valid host name needs Force Path Style on.`);
		}
		if (code === 'ECONNREFUSED') {
			return fail(code, 'The storage refused the connection', `Nothing listens at ${endpoint} (ECONNREFUSED). ${nothingDone}. Check the Endpoint's host and port in ${credential}, and that the storage server is running.`);
		}
		if (isCertificateRefused(code)) {
			return fail(code, 'The storage endpoint\'s TLS certificate was not accepted', `The connection to ${endpoint} failed its certificate check (${code}). ${nothingDone}. Check the Endpoint in ${credential}; a bucket name with dots does not match the provider's certificate in virtual-hosted style: turn Force Path Style on.`);
		}
		return fail(code, 'The storage could not be reached', `The connection to ${endpoint} failed (${code}). ${nothingDone}. Check the Endpoint in ${credential} and the n8n machine's network, then run the node again.`);
	}

	const { status } = answer;
	const parsed = parseS3ErrorBody(answer.body);
	const serverSaid = parsed.message ? ` The storage said: "${scrub(parsed.message).slice(0, 300)}".` : '';
	const code = parsed.code ?? headerCode(answer.headers) ?? `HTTP_${status}`;
	switch (code) {
		case 'SignatureDoesNotMatch':
			return fail(code, `The storage rejected the request signature: check the keys in ${credential}`, `The Secret Access Key does not belong to the Access Key ID, or the Region does not match the bucket's (SignatureDoesNotMatch).${serverSaid} ${nothingDone}. Re-enter the Secret Access Key (no spaces before or after) and check the Region in ${credential}.`);
		case 'InvalidAccessKeyId':
			return fail(code, `The storage does not know the Access Key ID in ${credential}`, `The Access Key ID does not exist at ${endpoint} (InvalidAccessKeyId). ${nothingDone}. Copy the Access Key ID again from your storage provider, and check that the Endpoint belongs to the provider that issued the key.`);
		case 'ExpiredToken':
		case 'InvalidToken':
		case 'TokenRefreshRequired':
			return fail(code, `The session token in ${credential} is expired or invalid`, `Temporary keys are only valid for a while (${code}). ${nothingDone}. Put fresh temporary keys in ${credential}, or long-lived keys.`);
		case 'AccessDenied':
		case 'AllAccessDisabled':
		case 'AccountProblem':
			return fail(code, `The storage denied the upload to ${bucket}`, `The keys in ${credential} are valid but not allowed to do this (${code}).${serverSaid} ${nothingDone}. The key's policy (or the bucket policy) must allow s3:PutObject and s3:GetObject on ${bucket} and the key prefix; for an R2 or B2 key, give it read and write access to that bucket.`);
		case 'NoSuchBucket':
			return fail(code, `The storage has no ${bucket}`, `${bucket} does not exist at ${endpoint} (NoSuchBucket). ${nothingDone}. Check the bucket name (it is case-sensitive), the Region and the Endpoint in ${credential}; create the bucket first if it is new.`);
		case 'AuthorizationHeaderMalformed':
		case 'IllegalLocationConstraintException':
			return fail(code, `The Region in ${credential} does not match the bucket's`, `${bucket} is ${parsed.region ? `in region "${parsed.region}"` : 'in another region'} (${code}). ${nothingDone}. Set the Region in ${credential} to ${parsed.region ? `"${parsed.region}"` : "the bucket's region"} (Cloudflare R2 uses "auto").`);
		case 'PermanentRedirect':
		case 'TemporaryRedirect':
		case 'HTTP_301':
		case 'HTTP_307':
			return fail(code, `${bucket} must be reached at another endpoint`, `The storage redirected the request (${code})${parsed.endpoint ? ` to ${parsed.endpoint}` : ''}${parsed.region ? `; the bucket is in "${parsed.region}"` : ''}. ${nothingDone}. Set the Endpoint${parsed.region ? ` (e.g. https://s3.${parsed.region}.amazonaws.com)` : ''} and Region in ${credential} to the bucket's.`);
		case 'RequestTimeTooSkewed':
			return fail(code, "The n8n machine's clock is off", `The storage refuses signed requests whose time is more than 15 minutes from its own (RequestTimeTooSkewed). ${nothingDone}. Set the clock of the machine that runs n8n right (e.g. enable NTP time sync), then run the node again.`);
		case 'PreconditionFailed':
			return fail(code, `An object with this key already exists in ${bucket}`, `The upload was refused so that nothing is overwritten (PreconditionFailed). ${nothingDone}. Run the node again: a new key is made for different content.`);
		case 'EntityTooLarge':
		case 'HTTP_413':
			return fail(code, 'The file is too large for the storage', `The storage refused the file's size (${code}).${serverSaid} ${nothingDone}. Make the file smaller (single uploads are limited to 5 GB on AWS S3, and often less elsewhere).`);
		case 'InvalidBucketName':
			return fail(code, `The bucket name in ${credential} is not valid`, `The storage does not accept "${storage.credential.bucket}" as a bucket name (InvalidBucketName). ${nothingDone}. Enter the bucket's name only (no slashes, no URL).`);
		case 'XAmzContentSHA256Mismatch':
		case 'BadDigest':
		case 'IncompleteBody':
			return fail(code, 'The uploaded bytes did not arrive intact', `The storage received something other than what was sent (${code}). ${nothingDone}. Run the node again; if it repeats, a proxy between n8n and the storage is changing the request.`);
		case 'NotImplemented':
			return fail(code, 'The storage does not support this request', `${endpoint} answered NotImplemented.${serverSaid} ${nothingDone}. Check that the Endpoint in ${credential} is an S3-compatible API endpoint (not the provider's web console or a public bucket URL).`);
		case 'SlowDown':
		case 'ServiceUnavailable':
		case 'InternalError':
		case 'RequestTimeout':
			return fail(code, 'The storage is busy or failed', `The storage answered ${status} ${code}. ${nothingDone}. Run the node again in a minute.`);
	}
	if (status === 401 || status === 403) {
		return fail(code, `The storage refused the keys in ${credential}`, `The storage answered ${status} (${code}).${serverSaid} ${nothingDone}. Check the Access Key ID, Secret Access Key and Region in ${credential}, and that the key may write to ${bucket}.`);
	}
	if (status === 404) {
		return fail(code, `The storage answered 404 for ${bucket}`, `Nothing was found at ${endpoint} for ${bucket} (${code}).${serverSaid} ${nothingDone}. Check the Endpoint (the S3 API endpoint, not a website), the bucket name and Force Path Style in ${credential}.`);
	}
	if (status >= 500 || status === 429) {
		return fail(code, 'The storage is busy or failed', `The storage answered ${status} (${code}).${serverSaid} ${nothingDone}. Run the node again in a minute.`);
	}
	return fail(code, `The storage refused the upload (${status})`, `The storage answered ${status} (${code}).${serverSaid} ${nothingDone}. Check the settings in ${credential}.`);
}
