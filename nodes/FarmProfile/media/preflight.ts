// Before a phone spends minutes on a post, look at the media the way the farm will: a public https
// address answering 2xx with a file (not a web page), of the right kind, a slideshow zip holding
// slide-1.jpg, slide-2.jpg, …, a video an MP4 with a movie header, of at most 60 s. A profile
// picture gets the same look: a JPEG or PNG by its first bytes. Reads headers and small byte ranges.

import type { MediaType } from '../actions/fields';
import { isHttpsOrLoopback, isPrivateHost } from '../../shared/addresses';
import type { Problem } from '../posting/checks';
import { header, type MediaFetch, type MediaResponse } from './fetch';
import { checkPicture, IMAGE_SNIFF_BYTES } from './jpeg';
import { checkMovie, readMp4 } from './mp4Boxes';
import { rangedFile } from './rangedReads';
import { checkSlideNames } from './slideNames';
import { findCentralDirectory, readEntryNames, ZIP_TAIL_BYTES } from './zipEntries';

export interface PreflightOptions {
	/** Loopback and private addresses are allowed only when posting to a local sandbox. */
	allowPrivateHosts: boolean;
}

const MAX_REDIRECTS = 5;

type FileKind = MediaType | 'picture';

const GENERIC_TYPES = ['application/octet-stream', 'binary/octet-stream'];

/** The Content-Types each kind of file may be served as, what it should be, and where to point instead. */
const KINDS: Record<FileKind, { types: string[]; expected: string; fix: string }> = {
	video: { types: ['video/mp4', 'application/mp4', ...GENERIC_TYPES], expected: 'an MP4 (video/mp4)', fix: 'point Media URL at an MP4 file' },
	slideshow: {
		types: ['application/zip', 'application/x-zip-compressed', 'application/x-zip', 'multipart/x-zip', ...GENERIC_TYPES],
		expected: 'a zip (application/zip)',
		fix: 'point Media URL at the .zip of slides',
	},
	picture: { types: ['image/jpeg', 'image/jpg', 'image/png', ...GENERIC_TYPES], expected: 'a JPEG or PNG (image/jpeg, image/png)', fix: 'point Picture URL at a JPEG or PNG file' },
};

const DIRECT_LINK = 'use a direct, public link to the file itself (a sharing or login page will not do)';

export async function preflightMedia(
	fetch: MediaFetch,
	mediaUrl: string,
	mediaType: MediaType,
	options: PreflightOptions,
): Promise<Problem | undefined> {
	const file = await findFile(fetch, mediaUrl, mediaType, options);
	if ('problem' in file) return file;
	try {
		return mediaType === 'video' ? await checkVideoAt(fetch, file.url, file.size) : await checkSlideshowAt(fetch, file.url, file.size);
	} catch (error) {
		return unreachable(error);
	}
}

/** A profile picture's URL, looked at as the farm will: a reachable file that is a JPEG or PNG by its first bytes. */
export async function preflightPicture(fetch: MediaFetch, pictureUrl: string, options: PreflightOptions): Promise<Problem | undefined> {
	const file = await findFile(fetch, pictureUrl, 'picture', options);
	if ('problem' in file) return file;
	try {
		const head = await rangedFile(fetch, file.url, file.size).read(0, IMAGE_SNIFF_BYTES);
		const checked = checkPicture(head, file.size ?? head.length);
		return checked.ok ? undefined : checked.problem;
	} catch (error) {
		return unreachable(error);
	}
}

/** The file behind the URL (after redirects), answering 2xx, not a web page, served as this kind or generically, not empty. */
async function findFile(fetch: MediaFetch, start: string, kind: FileKind, options: PreflightOptions): Promise<{ url: string; size: number | undefined } | Problem> {
	const head = await probe(fetch, start, options);
	if ('problem' in head) return head;
	const { response, url } = head;

	if (response.status < 200 || response.status > 299) {
		return {
			problem: `answers HTTP ${response.status} instead of the file`,
			fix: response.status === 401 || response.status === 403
				? 'make the file public, or give a signed URL that is still valid'
				: 'check that the URL points at the file and that it is still there',
		};
	}
	const type = header(response, 'content-type')?.split(';')[0].trim().toLowerCase();
	if (type === 'text/html') return { problem: 'leads to a web page (text/html), not to the file', fix: DIRECT_LINK };
	if (type && !KINDS[kind].types.includes(type)) return { problem: `is served as ${type}, not as ${KINDS[kind].expected}`, fix: KINDS[kind].fix };
	const size = sizeOf(response);
	if (size === 0) return { problem: 'is an empty file', fix: 'upload the file again and check the URL' };
	return { url, size };
}

/** A network failure (refused, reset, timed out) on any of the preflight's requests. */
function unreachable(error: unknown): Problem {
	return {
		problem: `could not be fetched (${(error as Error).message})`,
		fix: 'check the address, and that the host is up and reachable from the internet',
	};
}

/** HEAD, following redirects by hand (each hop is checked), falling back to a one-byte GET when HEAD is refused. */
async function probe(
	fetch: MediaFetch,
	start: string,
	options: PreflightOptions,
): Promise<{ response: MediaResponse; url: string } | Problem> {
	let url = start;
	for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
		const parsed = new URL(url);
		if (!isHttpsOrLoopback(parsed)) {
			return { problem: `redirects to ${parsed.protocol}// (${parsed.host}), which the farm will not follow`, fix: DIRECT_LINK };
		}
		if (!options.allowPrivateHosts && isPrivateHost(parsed.hostname)) {
			return {
				problem: `points at ${parsed.hostname}, a private or loopback address the farm cannot reach from the internet`,
				fix: 'host the file where the public internet can download it',
			};
		}
		let response: MediaResponse;
		try {
			response = await fetch({ method: 'HEAD', url });
			if ([403, 405, 501].includes(response.status)) response = await fetch({ method: 'GET', url, range: 'bytes=0-0' });
		} catch (error) {
			return unreachable(error);
		}
		const location = header(response, 'location');
		if (response.status >= 300 && response.status < 400 && location) {
			url = new URL(location, url).toString();
			continue;
		}
		return { response, url };
	}
	return { problem: `redirects more than ${MAX_REDIRECTS} times`, fix: DIRECT_LINK };
}

async function checkVideoAt(fetch: MediaFetch, url: string, size: number | undefined): Promise<Problem | undefined> {
	const info = await readMp4(rangedFile(fetch, url, size));
	if (!info.isMp4) return { problem: 'is not an MP4 file (it does not start with an ftyp box)', fix: 'convert the video to MP4 (H.264)' };
	return checkMovie(info);
}

async function checkSlideshowAt(fetch: MediaFetch, url: string, size: number | undefined): Promise<Problem | undefined> {
	const file = rangedFile(fetch, url, size);
	const directory = findCentralDirectory(await file.tail(ZIP_TAIL_BYTES));
	if (!directory) return { problem: 'is not a zip file', fix: 'pack the slides into a .zip' };
	const listing = await file.read(directory.offset, directory.size);
	if (listing.length < directory.size) return { problem: 'is a zip whose list of entries could not be read', fix: 'pack the slides into the zip again' };
	return checkSlideNames(readEntryNames(listing));
}

/** Total size from Content-Range (a ranged answer) or Content-Length (a HEAD answer). */
function sizeOf(response: MediaResponse): number | undefined {
	const range = /\/(\d+)$/.exec(header(response, 'content-range') ?? '');
	if (range) return Number(range[1]);
	const length = header(response, 'content-length');
	return length === undefined ? undefined : Number(length);
}
