// What an image is, by its first bytes (never by its name), so a slide that is not a JPEG, or a
// profile picture that is neither a JPEG nor a PNG, is refused with what it really is and how to
// convert it.

import type { Problem } from '../posting/checks';

type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'heic' | 'bmp' | 'tiff';

/** The first bytes a format needs to be recognised. */
export const IMAGE_SNIFF_BYTES = 32;

/**
 * Limits for slides. The farm vendor documents none; these are TikTok's own for photo posts
 * (Content Posting API: up to 35 photos, each at most 20 MB), which the phone has to meet anyway.
 */
export const MAX_SLIDES = 35;
const MAX_SLIDE_BYTES = 20 * 1024 * 1024;

const NAMES: Record<ImageFormat, string> = {
	jpeg: 'a JPEG',
	png: 'a PNG',
	webp: 'a WebP',
	gif: 'a GIF',
	avif: 'an AVIF',
	heic: 'a HEIC/HEIF',
	bmp: 'a BMP',
	tiff: 'a TIFF',
};

function ascii(bytes: Buffer, start: number, end: number): string {
	return bytes.length >= end ? bytes.toString('latin1', start, end) : '';
}

/** The image format from the first bytes, or undefined when none of the known ones. */
function detectImageFormat(head: Buffer): ImageFormat | undefined {
	if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
	if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
	if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
	if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return 'gif';
	if (ascii(head, 4, 8) === 'ftyp') {
		const brands = [ascii(head, 8, 12)];
		const boxSize = head.length >= 4 ? head.readUInt32BE(0) : 0;
		for (let at = 16; at + 4 <= Math.min(boxSize, head.length); at += 4) brands.push(ascii(head, at, at + 4));
		if (brands.some((brand) => brand === 'avif' || brand === 'avis')) return 'avif';
		if (brands.some((brand) => ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(brand))) return 'heic';
		return undefined;
	}
	if (ascii(head, 0, 2) === 'BM' && head.length >= 14) return 'bmp';
	if (ascii(head, 0, 4) === 'II*\u0000' || ascii(head, 0, 4) === 'MM\u0000*') return 'tiff';
	return undefined;
}

/** Problem for one slide's bytes (its first bytes and its size), or undefined when it is a usable JPEG. */
export function checkSlideImage(head: Buffer, size: number = head.length): Problem | undefined {
	if (size === 0) return { problem: 'is empty (0 bytes)', fix: 'give a JPEG image with content' };
	const format = detectImageFormat(head);
	if (format !== 'jpeg') {
		const what = format ? NAMES[format] : 'not an image this node recognises';
		return {
			problem: `is ${what}${format ? ' image' : ''}, not a JPEG (checked by its bytes, not its name)`,
			fix: 'convert it with the Edit Image node to JPEG (Operation: Resize or any other, Options → Format: jpeg) before this node',
		};
	}
	if (size > MAX_SLIDE_BYTES) {
		return {
			problem: `is ${(size / 1024 / 1024).toFixed(1)} MB; a slide may be at most ${MAX_SLIDE_BYTES / 1024 / 1024} MB`,
			fix: 'make it smaller with the Edit Image node (Resize, or a lower JPEG quality)',
		};
	}
	return undefined;
}

/** What a profile picture may be, and how it is stored: a JPEG or a PNG. */
const PICTURE_FORMATS = {
	jpeg: { contentType: 'image/jpeg', extension: 'jpg' },
	png: { contentType: 'image/png', extension: 'png' },
} as const;

export type PictureFormat = (typeof PICTURE_FORMATS)[keyof typeof PICTURE_FORMATS];

/** A profile picture's format from its first bytes (and its size), or the problem: empty, or not a JPEG or PNG. */
export function checkPicture(head: Buffer, size: number = head.length): { ok: true; format: PictureFormat } | { ok: false; problem: Problem } {
	if (size === 0) return { ok: false, problem: { problem: 'is empty (0 bytes)', fix: 'give a JPEG or PNG image with content' } };
	const format = detectImageFormat(head);
	if (format === 'jpeg' || format === 'png') return { ok: true, format: PICTURE_FORMATS[format] };
	const what = format ? `${NAMES[format]} image` : 'not an image this node recognises';
	return {
		ok: false,
		problem: {
			problem: `is ${what}, not a JPEG or PNG (checked by its bytes, not its name)`,
			fix: 'convert it with the Edit Image node to JPEG or PNG (Options → Format) before this node',
		},
	};
}
