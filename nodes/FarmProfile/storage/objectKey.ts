// Where an upload goes and how long its link works.
//
// Key: <prefix>/<yyyy>/<mm>/<dd>/<reference>-<first 16 hex of the content's SHA-256>.<ext>. Different
// content never gets the same key (the hash is in it), and the same content for the same post gets
// the same key, so a retried upload writes the same bytes again instead of a second object. The
// client also sends If-None-Match: * so an existing object is never replaced.
//
// Link: a presigned GET valid until the post's scheduled time plus a margin for the phone to
// download; SigV4 caps that at 7 days, so a post scheduled further out is refused before uploading.
// With a public base URL the link is <base>/<key> and does not expire.

import type { Problem } from '../posting/checks';
import { MAX_PRESIGN_SECONDS, encodeKey } from './sigv4';

const HOUR_SECONDS = 3600;
const DAY_SECONDS = 24 * HOUR_SECONDS;
/** How long after the scheduled time the phone may still need the file. */
const DOWNLOAD_MARGIN_SECONDS = DAY_SECONDS;
/** S3 limits keys to 1024 bytes of UTF-8. */
const MAX_KEY_BYTES = 1024;
const HASH_CHARS = 16;

/** A key segment made safe: letters, digits, . _ - only; no empty, "." or ".." segments. */
function safeSegment(value: string, maxLength: number): string {
	const cleaned = value
		.normalize('NFKD')
		.replace(/[^A-Za-z0-9._-]+/g, '-')
		.replace(/-{2,}/g, '-')
		.replace(/^[-.]+|[-.]+$/g, '')
		.slice(0, maxLength);
	return cleaned;
}

/** A user's key prefix, e.g. "farm/uploads/" → "farm/uploads"; empty stays empty. */
function normalizePrefix(prefix: string | undefined): string {
	return (prefix ?? '')
		.split('/')
		.map((segment) => safeSegment(segment, 100))
		.filter((segment) => segment !== '')
		.join('/');
}

export interface ObjectKeyInput {
	/** Optional key prefix from the storage credential. */
	prefix?: string;
	/** The day the key is filed under (UTC). */
	date: Date;
	/** The post's reference (e.g. its post_ref); anything but letters, digits, . _ - is replaced. */
	reference: string;
	/** The content's SHA-256, hex. */
	sha256: string;
	/** The file extension without the dot, e.g. "mp4" or "zip". */
	extension: string;
}

export function objectKey(input: ObjectKeyInput): string {
	if (!/^[0-9a-f]{64}$/i.test(input.sha256)) throw new Error('objectKey needs the content\'s SHA-256 as 64 hex characters');
	const iso = input.date.toISOString();
	const day = `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}`;
	const reference = safeSegment(input.reference, 80) || 'post';
	const extension = safeSegment(input.extension.replace(/^\./, ''), 10).toLowerCase() || 'bin';
	const name = `${reference}-${input.sha256.slice(0, HASH_CHARS).toLowerCase()}.${extension}`;
	const prefix = normalizePrefix(input.prefix);
	const key = prefix ? `${prefix}/${day}/${name}` : `${day}/${name}`;
	if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw new Error('The object key is longer than S3 allows: shorten the key prefix');
	return key;
}

/** The link for a public bucket or CDN: <base>/<key>, the key encoded segment by segment. */
export function publicObjectUrl(publicBaseUrl: string, key: string): string {
	return `${publicBaseUrl.replace(/\/+$/, '')}/${encodeKey(key)}`;
}

export interface LinkExpiryInput {
	now: Date;
	/** When the post is scheduled; undefined (or in the past) means it is posted now. */
	scheduledAt?: Date;
}

export interface LinkExpiry {
	expiresInSeconds: number;
	expiresAt: Date;
}

/**
 * How long the presigned link must work: until the scheduled time plus the margin. Returns a
 * problem (for the Scheduled Time field) when that is beyond the 7 days a presigned link can last.
 */
export function planLinkExpiry(input: LinkExpiryInput): LinkExpiry | { problem: Problem } {
	const until = input.scheduledAt && input.scheduledAt.getTime() > input.now.getTime() ? input.scheduledAt.getTime() : input.now.getTime();
	const expiresInSeconds = Math.ceil((until - input.now.getTime()) / 1000) + DOWNLOAD_MARGIN_SECONDS;
	if (expiresInSeconds > MAX_PRESIGN_SECONDS) {
		const latest = new Date(input.now.getTime() + (MAX_PRESIGN_SECONDS - DOWNLOAD_MARGIN_SECONDS) * 1000);
		return {
			problem: {
				problem: `is more than ${(MAX_PRESIGN_SECONDS - DOWNLOAD_MARGIN_SECONDS) / DAY_SECONDS} days ahead: the link to the uploaded file works 7 days at most, and the phone needs it until ${DOWNLOAD_MARGIN_SECONDS / HOUR_SECONDS} h after the scheduled time`,
				fix: `schedule the post before ${latest.toISOString().replace(/\.\d{3}Z$/, 'Z')}, or set a Public Base URL in the storage credential (a link that does not expire), or give the media as a URL`,
			},
		};
	}
	return { expiresInSeconds, expiresAt: new Date(input.now.getTime() + expiresInSeconds * 1000) };
}
