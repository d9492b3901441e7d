// A file at a URL read by byte ranges, so the preflight looks at media without downloading it. Each
// request asks for at least 64 KiB, and a read inside what the last answer held costs none: an MP4
// whose movie header comes first is read in one request, one whose header follows the media data
// in two. A server that ignores Range answers 200 with the whole file, which then serves every read.

import type { ByteSource } from './byteSources';
import { header, type MediaFetch, type MediaResponse } from './fetch';

const READ_BYTES = 64 * 1024;
/** Requests one file may cost; an MP4 needs more only when many large boxes precede its movie header. */
const MAX_READS = 8;

export interface RangedFile extends ByteSource {
	/** The file's last `length` bytes (all of it when shorter). */
	tail(length: number): Promise<Buffer>;
}

interface Held {
	start: number;
	bytes: Buffer;
	/** The file's length, when the answer says it. */
	total?: number;
}

/** What an answer to a ranged GET holds. `start`: where a 206 without Content-Range starts, if known. */
function heldBy(response: MediaResponse, start: number | undefined): Held {
	if (response.status === 200) return { start: 0, bytes: response.body, total: response.body.length };
	const range = /^bytes (\d+)-\d+\/(\d+)$/.exec(header(response, 'content-range') ?? '');
	if (response.status === 206 && range) return { start: Number(range[1]), bytes: response.body, total: Number(range[2]) };
	if (response.status === 206 && start !== undefined) return { start, bytes: response.body };
	return { start: 0, bytes: Buffer.alloc(0) };
}

/** `size`: the file's length when the first answer gave it. Reads may go anywhere, also back. */
export function rangedFile(fetch: MediaFetch, url: string, size: number | undefined): RangedFile {
	let held: Held = { start: 0, bytes: Buffer.alloc(0) };
	let total = size;
	let reads = 0;

	async function get(range: string, start: number | undefined): Promise<void> {
		if (reads === MAX_READS) return;
		reads++;
		held = heldBy(await fetch({ method: 'GET', url, range }), start);
		total = held.total ?? total;
	}

	function slice(from: number, to: number): Buffer {
		return from < held.start ? Buffer.alloc(0) : held.bytes.subarray(from - held.start, to - held.start);
	}

	return {
		async read(offset, length) {
			const end = Math.min(offset + length, total ?? Infinity);
			if (end <= offset) return Buffer.alloc(0);
			if (offset < held.start || end > held.start + held.bytes.length) {
				await get(`bytes=${offset}-${offset + Math.max(length, READ_BYTES) - 1}`, offset);
			}
			return slice(offset, end);
		},
		async tail(length) {
			await get(`bytes=-${length}`, total === undefined ? undefined : Math.max(0, total - length));
			return total === undefined ? Buffer.alloc(0) : slice(Math.max(held.start, total - length), total);
		},
	};
}
