// Reads an MP4 the way players do: box by box from the start (size + type), so the movie header
// (moov → mvhd) is found wherever it sits (before the media data for "fast start" files, after it
// otherwise), and bytes inside the media data that happen to read "mvhd" cannot fool it.
// helpers/mp4Header.ts searches a few kilobytes for the text "mvhd", which is right for the ranged
// reads of a URL; this is for a whole file the node holds or streams.

import type { Problem } from '../posting/checks';

export const MAX_VIDEO_SECONDS = 60;
/** TikTok's limit for an uploaded video (Content Posting API); the farm vendor documents none. */
export const MAX_VIDEO_BYTES = 4 * 1024 * 1024 * 1024;
/** A movie header larger than this is not believable for a 60 s video; reading stops there. */
const MAX_MOOV_BYTES = 64 * 1024 * 1024;

export interface Mp4Info {
	/** The first box is `ftyp`. */
	isMp4: boolean;
	/** ftyp's major brand, e.g. "isom", "mp42", "qt  " (QuickTime). */
	brand?: string;
	/** From moov → mvhd; undefined when there is no movie header. */
	durationSeconds?: number;
	/** Where moov starts, when found. */
	moovOffset?: number;
}

interface BoxHeader {
	type: string;
	headerSize: number;
	/** The whole box, header included; undefined when it runs to the end of the file (size 0). */
	size?: number;
}

function readBoxHeader(bytes: Buffer, at: number): BoxHeader | undefined {
	if (at + 8 > bytes.length) return undefined;
	const size32 = bytes.readUInt32BE(at);
	const type = bytes.toString('latin1', at + 4, at + 8);
	if (size32 === 1) {
		if (at + 16 > bytes.length) return undefined;
		const size = Number(bytes.readBigUInt64BE(at + 8));
		return size >= 16 ? { type, headerSize: 16, size } : undefined;
	}
	if (size32 === 0) return { type, headerSize: 8 };
	return size32 >= 8 ? { type, headerSize: 8, size: size32 } : undefined;
}

/** Duration from an mvhd box's payload (after its 8- or 16-byte header). */
function mvhdDuration(payload: Buffer): number | undefined {
	const version = payload[0];
	if (version === 0 && payload.length >= 20) {
		const timescale = payload.readUInt32BE(12);
		return timescale ? payload.readUInt32BE(16) / timescale : undefined;
	}
	if (version === 1 && payload.length >= 32) {
		const timescale = payload.readUInt32BE(20);
		return timescale ? Number(payload.readBigUInt64BE(24)) / timescale : undefined;
	}
	return undefined;
}

/** moov's payload → the duration in its mvhd child. */
function durationInMoov(moovPayload: Buffer): number | undefined {
	let at = 0;
	while (at < moovPayload.length) {
		const box = readBoxHeader(moovPayload, at);
		if (!box) return undefined;
		const end = box.size === undefined ? moovPayload.length : at + box.size;
		if (box.type === 'mvhd') return mvhdDuration(moovPayload.subarray(at + box.headerSize, Math.min(end, moovPayload.length)));
		at = end;
	}
	return undefined;
}

function ftypBrand(bytes: Buffer, header: BoxHeader): string | undefined {
	return bytes.length >= header.headerSize + 4 ? bytes.toString('latin1', header.headerSize, header.headerSize + 4) : undefined;
}

/** Walks the top-level boxes of a whole MP4 in memory. */
export function readMp4(bytes: Buffer): Mp4Info {
	const first = readBoxHeader(bytes, 0);
	if (!first || first.type !== 'ftyp') return { isMp4: false };
	const info: Mp4Info = { isMp4: true, brand: ftypBrand(bytes, first) };
	let at = 0;
	while (at < bytes.length) {
		const box = readBoxHeader(bytes, at);
		if (!box) break;
		const end = box.size === undefined ? bytes.length : at + box.size;
		if (box.type === 'moov') {
			info.moovOffset = at;
			info.durationSeconds = durationInMoov(bytes.subarray(at + box.headerSize, Math.min(end, bytes.length)));
			break;
		}
		at = end;
	}
	return info;
}

/**
 * The same from a stream (n8n's filesystem binary mode): the media data is read past, not kept;
 * only the first box and the moov box are held.
 */
export async function readMp4Stream(stream: AsyncIterable<Uint8Array | string> | NodeJS.ReadableStream): Promise<Mp4Info> {
	let pending = Buffer.alloc(0); // bytes not yet consumed (at most a box header, or the moov being gathered)
	let offset = 0; // file offset of pending[0]
	let skip = 0; // bytes of the current box's body still to pass over
	let moov: { start: number; size?: number; parts: Buffer[]; length: number; headerSize: number } | undefined;
	const info: Mp4Info = { isMp4: false };
	let first = true;

	for await (const raw of stream as AsyncIterable<Uint8Array | string>) {
		let chunk = typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
		while (chunk.length > 0) {
			if (skip > 0) {
				const passed = Math.min(skip, chunk.length);
				skip -= passed;
				offset += passed;
				chunk = chunk.subarray(passed);
				continue;
			}
			if (moov) {
				const wanted = moov.size === undefined ? chunk.length : Math.min(moov.size - moov.length, chunk.length);
				moov.parts.push(Buffer.from(chunk.subarray(0, wanted)));
				moov.length += wanted;
				chunk = chunk.subarray(wanted);
				if (moov.length > MAX_MOOV_BYTES) return { ...info, moovOffset: moov.start };
				if (moov.size !== undefined && moov.length >= moov.size) {
					const whole = Buffer.concat(moov.parts);
					return { ...info, moovOffset: moov.start, durationSeconds: durationInMoov(whole.subarray(moov.headerSize)) };
				}
				continue;
			}
			pending = Buffer.concat([pending, chunk]);
			chunk = Buffer.alloc(0);
			const box = readBoxHeader(pending, 0);
			if (!box) {
				if (pending.length >= 16) return info; // not a box structure
				break; // wait for more bytes
			}
			if (first) {
				first = false;
				if (box.type !== 'ftyp') return { isMp4: false };
				info.isMp4 = true;
				if (pending.length < box.headerSize + 4) {
					first = true; // need the brand too
					break;
				}
				info.brand = ftypBrand(pending, box);
			}
			if (box.type === 'moov') {
				moov = { start: offset, size: box.size, parts: [], length: 0, headerSize: box.headerSize };
				chunk = pending;
				pending = Buffer.alloc(0);
				continue;
			}
			if (box.size === undefined) return info; // the last box runs to the end: no moov after it
			const inPending = Math.min(box.size, pending.length);
			skip = box.size - inPending;
			offset += inPending;
			chunk = pending.subarray(inPending);
			pending = Buffer.alloc(0);
		}
	}
	if (moov) {
		const whole = Buffer.concat(moov.parts);
		return { ...info, moovOffset: moov.start, durationSeconds: durationInMoov(whole.subarray(moov.headerSize)) };
	}
	return info;
}

/** Problem for a video's facts, or undefined when it can be posted. */
export function checkVideo(info: Mp4Info, size: number): Problem | undefined {
	if (size === 0) return { problem: 'is empty (0 bytes)', fix: 'give the MP4 video itself' };
	if (!info.isMp4) {
		return { problem: 'is not an MP4 video (its bytes do not start with an ftyp box)', fix: 'give an MP4 (H.264) video; convert other formats to MP4 before this node' };
	}
	if (info.durationSeconds === undefined) {
		return { problem: 'is an MP4 without a movie header (moov/mvhd), so its length cannot be read', fix: 'export the video again as a complete MP4; a partly downloaded or still-recording file has no movie header' };
	}
	if (info.durationSeconds > MAX_VIDEO_SECONDS + 0.5) {
		return { problem: `is ${info.durationSeconds.toFixed(1)} s long; TikTok posts from the farm take at most ${MAX_VIDEO_SECONDS} s`, fix: 'trim the video to 60 seconds or less' };
	}
	if (size > MAX_VIDEO_BYTES) {
		return { problem: `is ${(size / 1024 / 1024 / 1024).toFixed(2)} GB; TikTok takes videos of at most 4 GB`, fix: 'export the video with a lower bitrate' };
	}
	return undefined;
}
