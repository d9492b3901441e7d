// Reads an MP4 the way players do: box by box from the start (size + type), so the movie header
// (moov → mvhd) is found wherever it sits (before the media data for "fast start" files, after it
// otherwise), and bytes inside the media data that happen to read "mvhd" cannot fool it. Only box
// headers and the movie header are read: from a buffer, a stream or ranged reads of a URL alike.

import type { Problem } from '../posting/checks';
import type { ByteSource } from './byteSources';

const MAX_VIDEO_SECONDS = 60;
/** TikTok's limit for an uploaded video (Content Posting API); the farm vendor documents none. */
const MAX_VIDEO_BYTES = 4 * 1024 * 1024 * 1024;
/** A box header: 32-bit size and type, then a 64-bit size when the first is 1. */
const HEADER_BYTES = 16;
/** What a movie header's duration needs of its payload (version 1, the longer one). */
const MVHD_BYTES = 32;

export interface Mp4Info {
	/** The first box is `ftyp`. */
	isMp4: boolean;
	/** From moov → mvhd; undefined when there is no movie header. */
	durationSeconds?: number;
}

interface BoxHeader {
	type: string;
	headerSize: number;
	/** The whole box, header included; undefined when it runs to the end of the file (size 0). */
	size?: number;
}

function readBoxHeader(bytes: Buffer): BoxHeader | undefined {
	if (bytes.length < 8) return undefined;
	const size32 = bytes.readUInt32BE(0);
	const type = bytes.toString('latin1', 4, 8);
	if (size32 === 1) {
		if (bytes.length < 16) return undefined;
		const size = Number(bytes.readBigUInt64BE(8));
		return size >= 16 ? { type, headerSize: 16, size } : undefined;
	}
	if (size32 === 0) return { type, headerSize: 8 };
	return size32 >= 8 ? { type, headerSize: 8, size: size32 } : undefined;
}

/** Duration from the start of an mvhd box's payload. */
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

/** The first box of `type` among the boxes from `at` to `end`, walked header by header. */
async function findBox(source: ByteSource, type: string, at: number, end: number): Promise<{ payload: number; end: number } | undefined> {
	while (at < end) {
		const box = readBoxHeader(await source.read(at, HEADER_BYTES));
		if (!box) return undefined;
		const boxEnd = box.size === undefined ? end : at + box.size;
		if (box.type === type) return { payload: at + box.headerSize, end: boxEnd };
		at = boxEnd;
	}
	return undefined;
}

export async function readMp4(source: ByteSource): Promise<Mp4Info> {
	if (readBoxHeader(await source.read(0, HEADER_BYTES))?.type !== 'ftyp') return { isMp4: false };
	const moov = await findBox(source, 'moov', 0, Infinity);
	const mvhd = moov && (await findBox(source, 'mvhd', moov.payload, moov.end));
	if (!mvhd) return { isMp4: true };
	const durationSeconds = mvhdDuration(await source.read(mvhd.payload, Math.min(MVHD_BYTES, mvhd.end - mvhd.payload)));
	return durationSeconds === undefined ? { isMp4: true } : { isMp4: true, durationSeconds };
}

/** The rules of every video, wherever it comes from: a movie header to read its length from, and at most 60 s. */
export function checkMovie(info: Mp4Info): Problem | undefined {
	if (info.durationSeconds === undefined) {
		return { problem: 'is an MP4 without a movie header (moov/mvhd), so its length cannot be read', fix: 'export the video again as a complete MP4; a partly downloaded or still-recording file has no movie header' };
	}
	if (info.durationSeconds > MAX_VIDEO_SECONDS + 0.5) {
		return { problem: `is ${info.durationSeconds.toFixed(1)} s long; TikTok posts from the farm take at most ${MAX_VIDEO_SECONDS} s`, fix: `trim the video to ${MAX_VIDEO_SECONDS} seconds or less` };
	}
	return undefined;
}

/** Problem for a video file the node holds (its facts and size), or undefined when it can be posted. */
export function checkVideo(info: Mp4Info, size: number): Problem | undefined {
	if (size === 0) return { problem: 'is empty (0 bytes)', fix: 'give the MP4 video itself' };
	if (!info.isMp4) {
		return { problem: 'is not an MP4 video (its bytes do not start with an ftyp box)', fix: 'give an MP4 (H.264) video; convert other formats to MP4 before this node' };
	}
	const movie = checkMovie(info);
	if (movie) return movie;
	if (size > MAX_VIDEO_BYTES) {
		return { problem: `is ${(size / 1024 / 1024 / 1024).toFixed(2)} GB; TikTok takes videos of at most 4 GB`, fix: 'export the video with a lower bitrate' };
	}
	return undefined;
}
