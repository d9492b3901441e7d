// Maps a failed call to S3-compatible storage (an HTTP status with S3's XML error body, or a network
// error code) to a message and a description that name the storage credential and say what to fix.
// The text is built from our own templates: the server's <Message> is included only after secrets,
// signatures and presigned queries are masked, and S3's debugging fields (StringToSign,
// CanonicalRequest, SignatureProvided) are never read.

import { redactSignatures } from '../../shared/secrets';

export interface StorageFailure {
	/** One line for the error's title. */
	message: string;
	/** What happened and what to do. */
	description: string;
	/** S3's <Code> (e.g. AccessDenied), a network code (e.g. ECONNREFUSED), or HTTP_<status>. */
	code: string;
	/** Whether trying the same upload again later can succeed (throttling, 5xx, network). */
	retryable: boolean;
	httpCode?: number;
}

export interface S3ErrorBody {
	code?: string;
	message?: string;
	/** Sent with AuthorizationHeaderMalformed and redirects: the bucket's real region. */
	region?: string;
	/** Sent with PermanentRedirect: the endpoint the bucket must be reached at. */
	endpoint?: string;
	bucketName?: string;
}

export interface StorageFailureInput {
	/** HTTP status, when the storage answered. */
	status?: number;
	/** The response body (S3's XML error document), when there is one. */
	body?: string | Buffer;
	/** Response headers: HEAD answers have no body, some servers put the code in x-amz-error-code / x-minio-error-code. */
	headers?: Record<string, unknown>;
	/** The thrown error when the storage did not answer (its .code / .cause.code is read). */
	error?: unknown;
	/** How the credential is called in the message, e.g. the name the user gave it. */
	credentialName?: string;
	bucket?: string;
	endpoint?: string;
	/** The operation, for the message: "upload" (default) or "download check". */
	action?: string;
	/** Anything that must never show: secret key, session token, signed URLs. */
	secrets?: Array<string | undefined>;
}

export const DEFAULT_STORAGE_CREDENTIAL_NAME = 'S3-compatible storage credential';

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
export function parseS3ErrorBody(body: string | Buffer | undefined): S3ErrorBody {
	if (body === undefined) return {};
	const xml = (Buffer.isBuffer(body) ? body.toString('utf8') : body).slice(0, 64 * 1024);
	if (!/<Error[\s>]/.test(xml)) return {};
	return {
		code: tag(xml, 'Code'),
		message: tag(xml, 'Message'),
		region: tag(xml, 'Region'),
		endpoint: tag(xml, 'Endpoint'),
		bucketName: tag(xml, 'BucketName'),
	};
}


function networkCode(error: unknown): string | undefined {
	if (typeof error !== 'object' || error === null) return undefined;
	const record = error as { code?: unknown; cause?: { code?: unknown }; message?: unknown };
	for (const value of [record.code, record.cause?.code]) {
		if (typeof value === 'string' && /^[A-Z][A-Z0-9_]+$/.test(value)) return value;
	}
	if (typeof record.message === 'string' && /timeout/i.test(record.message)) return 'ETIMEDOUT';
	return undefined;
}

function headerCode(headers: Record<string, unknown> | undefined): string | undefined {
	if (!headers) return undefined;
	for (const [name, value] of Object.entries(headers)) {
		if (/^x-(amz|minio)-error-code$/i.test(name) && typeof value === 'string') return value;
	}
	return undefined;
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);
const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/;

export function mapStorageFailure(input: StorageFailureInput): StorageFailure {
	const credential = input.credentialName ? `the storage credential "${input.credentialName}"` : `the ${DEFAULT_STORAGE_CREDENTIAL_NAME}`;
	const action = input.action ?? 'upload';
	const bucket = input.bucket ? `bucket "${input.bucket}"` : 'the bucket';
	const endpoint = input.endpoint ? redactSignatures(input.endpoint, input.secrets) : 'the endpoint';
	const parsed = parseS3ErrorBody(input.body);
	const scrub = (text: string) => redactSignatures(text, input.secrets);
	const serverSaid = parsed.message ? ` The storage said: "${scrub(parsed.message).slice(0, 300)}".` : '';

	const fail = (code: string, message: string, description: string, retryable = false): StorageFailure => ({
		code,
		message: scrub(message),
		// Every failure names the storage credential, so the user knows which settings to look at.
		description: scrub(description.includes(credential) ? description : `${description} Storage: ${credential}.`),
		retryable,
		...(input.status !== undefined ? { httpCode: input.status } : {}),
	});

	if (input.status === undefined) {
		const code = networkCode(input.error) ?? 'NETWORK_ERROR';
		if (TIMEOUT_CODES.has(code)) {
			return fail(code, `The storage did not answer in time (${action})`, `${endpoint} did not answer before the timeout. Nothing was posted. Check that the Endpoint in ${credential} is right and reachable from the n8n machine, then run the node again; a large file on a slow link may need a longer timeout.`, true);
		}
		if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
			return fail(code, `The storage endpoint's host name does not resolve`, `The host of ${endpoint} was not found (${code}). Nothing was posted. Check the Endpoint in ${credential} (e.g. https://s3.eu-central-1.amazonaws.com, https://<account id>.r2.cloudflarestorage.com); with virtual-hosted style the bucket name becomes part of the host name, so a bucket that is not a valid host name needs Force Path Style on.`, code === 'EAI_AGAIN');
		}
		if (code === 'ECONNREFUSED') {
			return fail(code, 'The storage refused the connection', `Nothing listens at ${endpoint} (ECONNREFUSED). Nothing was posted. Check the Endpoint's host and port in ${credential}, and that the storage server is running.`, true);
		}
		if (TLS_CODES.test(code)) {
			return fail(code, 'The storage endpoint\'s TLS certificate was not accepted', `The connection to ${endpoint} failed its certificate check (${code}). Nothing was posted. Check the Endpoint in ${credential}; a bucket name with dots does not match the provider's certificate in virtual-hosted style: turn Force Path Style on.`);
		}
		return fail(code, 'The storage could not be reached', `The connection to ${endpoint} failed (${code}). Nothing was posted. Check the Endpoint in ${credential} and the n8n machine's network, then run the node again.`, true);
	}

	const status = input.status;
	const code = parsed.code ?? headerCode(input.headers) ?? `HTTP_${status}`;
	switch (code) {
		case 'SignatureDoesNotMatch':
			return fail(code, `The storage rejected the request signature: check the keys in ${credential}`, `The Secret Access Key does not belong to the Access Key ID, or the Region does not match the bucket's (SignatureDoesNotMatch).${serverSaid} Nothing was posted. Re-enter the Secret Access Key (no spaces before or after) and check the Region in ${credential}.`);
		case 'InvalidAccessKeyId':
			return fail(code, `The storage does not know the Access Key ID in ${credential}`, `The Access Key ID does not exist at ${endpoint} (InvalidAccessKeyId). Nothing was posted. Copy the Access Key ID again from your storage provider, and check that the Endpoint belongs to the provider that issued the key.`);
		case 'ExpiredToken':
		case 'InvalidToken':
		case 'TokenRefreshRequired':
			return fail(code, `The session token in ${credential} is expired or invalid`, `Temporary keys are only valid for a while (${code}). Nothing was posted. Put fresh temporary keys in ${credential}, or long-lived keys.`);
		case 'AccessDenied':
		case 'AllAccessDisabled':
		case 'AccountProblem':
			return fail(code, `The storage denied the ${action} to ${bucket}`, `The keys in ${credential} are valid but not allowed to do this (${code}).${serverSaid} Nothing was posted. The key's policy (or the bucket policy) must allow s3:PutObject and s3:GetObject on ${bucket} and the key prefix; for an R2 or B2 key, give it read and write access to that bucket.`);
		case 'NoSuchBucket':
			return fail(code, `The storage has no ${bucket}`, `${bucket} does not exist at ${endpoint} (NoSuchBucket). Nothing was posted. Check the bucket name (it is case-sensitive), the Region and the Endpoint in ${credential}; create the bucket first if it is new.`);
		case 'AuthorizationHeaderMalformed':
		case 'IllegalLocationConstraintException':
			return fail(code, `The Region in ${credential} does not match the bucket's`, `${bucket} is ${parsed.region ? `in region "${parsed.region}"` : 'in another region'} (${code}). Nothing was posted. Set the Region in ${credential} to ${parsed.region ? `"${parsed.region}"` : "the bucket's region"} (Cloudflare R2 uses "auto").`);
		case 'PermanentRedirect':
		case 'TemporaryRedirect':
		case 'HTTP_301':
		case 'HTTP_307':
			return fail(code, `${bucket} must be reached at another endpoint`, `The storage redirected the request (${code})${parsed.endpoint ? ` to ${parsed.endpoint}` : ''}${parsed.region ? `; the bucket is in "${parsed.region}"` : ''}. Nothing was posted. Set the Endpoint${parsed.region ? ` (e.g. https://s3.${parsed.region}.amazonaws.com)` : ''} and Region in ${credential} to the bucket's.`);
		case 'RequestTimeTooSkewed':
			return fail(code, "The n8n machine's clock is off", `The storage refuses signed requests whose time is more than 15 minutes from its own (RequestTimeTooSkewed). Nothing was posted. Set the clock of the machine that runs n8n right (e.g. enable NTP time sync), then run the node again.`);
		case 'PreconditionFailed':
			return fail(code, `An object with this key already exists in ${bucket}`, `The upload was refused so that nothing is overwritten (PreconditionFailed). Nothing was posted. Run the node again: a new key is made for different content.`);
		case 'EntityTooLarge':
		case 'HTTP_413':
			return fail(code, 'The file is too large for the storage', `The storage refused the file's size (${code}).${serverSaid} Nothing was posted. Make the file smaller (single uploads are limited to 5 GB on AWS S3, and often less elsewhere).`);
		case 'InvalidBucketName':
			return fail(code, `The bucket name in ${credential} is not valid`, `The storage does not accept "${input.bucket ?? ''}" as a bucket name (InvalidBucketName). Nothing was posted. Enter the bucket's name only (no slashes, no URL).`);
		case 'XAmzContentSHA256Mismatch':
		case 'BadDigest':
		case 'IncompleteBody':
			return fail(code, 'The uploaded bytes did not arrive intact', `The storage received something other than what was sent (${code}). Nothing was posted. Run the node again; if it repeats, a proxy between n8n and the storage is changing the request.`, true);
		case 'NotImplemented':
			return fail(code, 'The storage does not support this request', `${endpoint} answered NotImplemented.${serverSaid} Nothing was posted. Check that the Endpoint in ${credential} is an S3-compatible API endpoint (not the provider's web console or a public bucket URL).`);
		case 'SlowDown':
		case 'ServiceUnavailable':
		case 'InternalError':
		case 'RequestTimeout':
			return fail(code, 'The storage is busy or failed', `The storage answered ${status} ${code}. Nothing was posted. Run the node again in a minute.`, true);
	}
	if (status === 401 || status === 403) {
		return fail(code, `The storage refused the keys in ${credential}`, `The storage answered ${status} (${code}).${serverSaid} Nothing was posted. Check the Access Key ID, Secret Access Key and Region in ${credential}, and that the key may write to ${bucket}.`);
	}
	if (status === 404) {
		return fail(code, `The storage answered 404 for ${bucket}`, `Nothing was found at ${endpoint} for ${bucket} (${code}).${serverSaid} Nothing was posted. Check the Endpoint (the S3 API endpoint, not a website), the bucket name and Force Path Style in ${credential}.`);
	}
	if (status >= 500 || status === 429) {
		return fail(code, 'The storage is busy or failed', `The storage answered ${status} (${code}).${serverSaid} Nothing was posted. Run the node again in a minute.`, true);
	}
	return fail(code, `The storage refused the ${action} (${status})`, `The storage answered ${status} (${code}).${serverSaid} Nothing was posted. Check the settings in ${credential}.`);
}
