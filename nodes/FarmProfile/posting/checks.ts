// The documented constraints of a post, checked before anything is sent. Each rule returns the
// problem and its fix, or undefined when the value is fine; preparePost() names the field.

import { isHttpsOrLoopback } from '../../shared/addresses';
import type { MediaType } from '../actions/fields';

export interface Problem {
	problem: string;
	fix: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `purpose`: what the profile is for, as the fix for an empty value says it. */
export function checkUuid(value: string, purpose = 'to post from'): Problem | undefined {
	if (value === '') return { problem: 'is empty', fix: `enter the UUID of the farm profile ${purpose}` };
	if (!UUID.test(value)) {
		return {
			problem: 'is not a UUID',
			fix: 'copy the profile_id of the farm profile, e.g. 5b0c8a4e-2f61-4c3a-9d0e-7a1b2c3d4e5f (not its name or TikTok username)',
		};
	}
	return undefined;
}

export function checkNotEmpty(value: string, what: string): Problem | undefined {
	return value === '' ? { problem: 'is empty', fix: `enter ${what}; the API requires it` } : undefined;
}

/** An absolute https:// URL; http:// only to a loopback host. */
export function checkPublicUrl(value: string, purpose: string): Problem | undefined {
	if (value === '') return { problem: 'is empty', fix: `enter the https:// address of ${purpose}` };
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return {
			problem: 'is not an absolute URL',
			fix: `enter the full address of ${purpose}, starting with https://`,
		};
	}
	if (isHttpsOrLoopback(url)) return undefined;
	if (url.protocol === 'http:') {
		return {
			problem: 'uses http://',
			fix: 'use https:// (plain http:// is accepted only for localhost, for a local sandbox)',
		};
	}
	return {
		problem: `uses ${url.protocol}//, not https://`,
		fix: `enter an https:// address of ${purpose}`,
	};
}

const EXPECTED_EXTENSION: Record<MediaType, string> = { video: 'mp4', slideshow: 'zip' };

// Extensions that plainly say what a file is; any other (or none, as in many signed URLs) is not judged.
const KNOWN_MEDIA_EXTENSIONS = new Set([
	'mp4', 'm4v', 'mov', 'webm', 'avi', 'mkv',
	'zip', 'jpg', 'jpeg', 'png', 'avif', 'gif', 'webp', 'heic',
]);

/** The media URL's file extension must agree with the media type when it has an obvious one. */
export function checkMediaExtension(mediaUrl: string, mediaType: MediaType): Problem | undefined {
	let pathname: string;
	try {
		pathname = new URL(mediaUrl).pathname;
	} catch {
		return undefined; // checkPublicUrl reports it
	}
	const match = /\.([a-z0-9]+)$/i.exec(pathname);
	const extension = match?.[1].toLowerCase();
	if (!extension || !KNOWN_MEDIA_EXTENSIONS.has(extension)) return undefined;
	const expected = EXPECTED_EXTENSION[mediaType];
	if (extension === expected) return undefined;
	if (mediaType === 'video') {
		return {
			problem: `ends in .${extension}, but Media Type is Video (an MP4)`,
			fix:
				extension === 'zip'
					? 'set Media Type to Slideshow, or point Media URL at an .mp4'
					: 'convert the video to MP4 (H.264, at most 60 s) and point Media URL at the .mp4',
		};
	}
	return {
		problem: `ends in .${extension}, but Media Type is Slideshow (a .zip of JPGs)`,
		fix:
			extension === 'mp4'
				? 'set Media Type to Video, or point Media URL at a .zip of slide-1.jpg, slide-2.jpg, …'
				: 'pack the images as JPGs named slide-1.jpg, slide-2.jpg, … into a .zip and point Media URL at it',
	};
}
