// Media Source "Binary File": the upload to the user's S3-compatible storage and the link the farm
// gets. The storage credential signs every request itself (its authenticate), so the node sends
// them through httpRequestWithAuthentication; presigned links are made with its keys (s3Client.ts).
//
// checkStorage() runs before the post is reserved (nothing uploaded yet): the credential's fields,
// the link's reachability by the farm (the same rule as media URLs) and whether a presigned link can
// last until the post is done. uploadMedia() runs after the reservation; it never throws for a
// storage failure, it returns it mapped (storage/s3Errors.ts): a failure that posted nothing.

import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { isPrivateUrl } from '../../shared/addresses';
import { checkPublicUrl } from '../posting/checks';
import type { FieldIssue } from '../posting/body';
import type { UploadFile } from '../media/binaryMedia';
import { decryptedCredentialOptions } from '../state/n8nInternals';
import { objectKey, planLinkExpiry, publicObjectUrl } from './objectKey';
import { mediaLink, putObject } from './s3Client';
import type { StorageFailure } from './s3Errors';
import { objectUrl, readStorageCredential, STORAGE_CREDENTIAL_TYPE, type Storage } from './storageCredential';

/** Reads the storage credential once per node run. */
export async function connectStorage(ctx: IExecuteFunctions): Promise<Storage> {
	const data = await ctx.getCredentials<ICredentialDataDecryptedObject>(STORAGE_CREDENTIAL_TYPE);
	const reuse = decryptedCredentialOptions(ctx, STORAGE_CREDENTIAL_TYPE, data);
	return {
		credential: readStorageCredential(data),
		name: ctx.getNode().credentials?.[STORAGE_CREDENTIAL_TYPE]?.name,
		http: async (options) => {
			try {
				return await ctx.helpers.httpRequestWithAuthentication.call(ctx, STORAGE_CREDENTIAL_TYPE, options, reuse);
			} catch (error) {
				// n8n wraps a network error in a NodeApiError; its cause carries the code (ECONNREFUSED, …).
				throw (error as { cause?: unknown }).cause ?? error;
			}
		},
	};
}

/** The storage credential as issues name it. */
function credentialLabel(storage: Storage): string {
	return storage.name ? `Storage credential "${storage.name}"` : 'Storage credential';
}

/**
 * What must hold before anything is uploaded: the credential is filled in, the farm can reach the
 * link, and a presigned link can last until the post is done (scheduledAt plus the download margin).
 */
export function checkStorage(storage: Storage, context: { farmIsPrivate: boolean; now: Date; scheduledAt?: Date }): FieldIssue[] {
	const { credential } = storage;
	const label = credentialLabel(storage);
	const issues: FieldIssue[] = [];
	for (const [name, value] of [
		['Endpoint', credential.endpoint],
		['Bucket', credential.bucket],
		['Access Key ID', credential.keys.accessKeyId],
		['Secret Access Key', credential.keys.secretAccessKey],
	] as const) {
		if (value === '') issues.push({ field: `${label} → ${name}`, problem: 'is empty', fix: `enter the ${name} of your S3-compatible storage in the credential` });
	}
	if (issues.length > 0) return issues;

	let link: string;
	try {
		link = credential.publicBaseUrl || objectUrl(credential, 'x');
	} catch {
		return [{ field: `${label} → Endpoint`, problem: 'is not a URL', fix: 'enter the S3 API address, e.g. https://s3.eu-central-1.amazonaws.com' }];
	}
	const field = `${label} → ${credential.publicBaseUrl ? 'Public Base URL' : 'Endpoint'}`;
	const purpose = credential.publicBaseUrl ? 'the public bucket or CDN' : 'the S3 API of the storage';
	const problem = checkPublicUrl(link, purpose);
	if (problem) issues.push({ field, ...problem });
	else if (!context.farmIsPrivate && isPrivateUrl(link)) {
		issues.push({
			field,
			problem: `points at ${new URL(link).hostname}, a private or loopback address the farm cannot download from`,
			fix: 'use storage the internet can reach (or set a Public Base URL the farm can download from)',
		});
	}
	if (!credential.publicBaseUrl) {
		const plan = planLinkExpiry({ now: context.now, scheduledAt: context.scheduledAt });
		if ('problem' in plan) issues.push({ field: 'Scheduled Time', ...plan.problem });
	}
	return issues;
}

export interface UploadedMedia {
	/** The link for the farm: a presigned one carries a signature, keep it out of every output and error. */
	url: string;
	/** The same with its signature masked. */
	safeUrl: string;
	/** What the output shows about the upload. */
	output: IDataObject;
	/** Everything of the link that must never show. */
	secrets: string[];
}

export type UploadResult = { ok: true; uploaded: UploadedMedia } | { ok: false; failure: StorageFailure };

/**
 * Uploads the media (or a profile picture) under a key of its own and makes the farm's link.
 * `nothingDone`: what a failed upload left undone, for its message (default: no post).
 */
export async function uploadMedia(
	storage: Storage,
	media: UploadFile,
	context: { reference: string; now: Date; scheduledAt?: Date; nothingDone?: string },
): Promise<UploadResult> {
	const { credential } = storage;
	const key = objectKey({ prefix: credential.keyPrefix, date: context.now, reference: context.reference, sha256: media.sha256, extension: media.extension });
	const put = await putObject(storage, { key, body: media.body, contentType: media.contentType, sha256: media.sha256 }, context.nothingDone);
	if (!put.ok) return put;

	const link = mediaLink(credential, { key, now: context.now, scheduledAt: context.scheduledAt });
	if ('problem' in link) {
		// checkStorage() refused this before the upload; reaching it is a bug, not a user error.
		throw new Error(`The link cannot cover the post: ${link.problem.problem}`);
	}
	const signature = /[?&]X-Amz-Signature=([^&#]+)/i.exec(link.url)?.[1];
	const output: IDataObject = {
		source: 'binary',
		bucket: credential.bucket,
		key,
		size: media.size,
		sha256: media.sha256,
		content_type: media.contentType,
		fields: media.fields,
		...(media.slides !== undefined ? { slides: media.slides } : {}),
		link_expires_at: link.expiresAt ? link.expiresAt.toISOString() : null,
		...(credential.publicBaseUrl ? { public_url: publicObjectUrl(credential.publicBaseUrl, key) } : {}),
		...(put.alreadyExisted ? { already_uploaded: true } : {}),
	};
	const secrets = [link.url, signature, credential.keys.sessionToken].filter((secret): secret is string => Boolean(secret) && link.url !== link.safeUrl);
	return { ok: true, uploaded: { url: link.url, safeUrl: link.safeUrl, output, secrets } };
}
