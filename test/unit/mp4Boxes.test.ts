import { Readable } from 'node:stream';

import { bufferSource, withStreamSource } from '../../nodes/FarmProfile/media/byteSources';
import { checkVideo, readMp4 } from '../../nodes/FarmProfile/media/mp4Boxes';
import { makeMp4, makeZip } from '../../dev/sandbox/media';

function box(type: string, ...payload: Buffer[]): Buffer {
	const body = Buffer.concat(payload);
	const header = Buffer.alloc(8);
	header.writeUInt32BE(body.length + 8, 0);
	header.write(type, 4, 'latin1');
	return Buffer.concat([header, body]);
}

/** A box with a 64-bit size (size field 1, then the real size). */
function largeBox(type: string, payload: Buffer): Buffer {
	const header = Buffer.alloc(16);
	header.writeUInt32BE(1, 0);
	header.write(type, 4, 'latin1');
	header.writeBigUInt64BE(BigInt(payload.length + 16), 8);
	return Buffer.concat([header, payload]);
}

function mvhdV1(seconds: number): Buffer {
	const payload = Buffer.alloc(112);
	payload[0] = 1;
	payload.writeUInt32BE(90000, 20);
	payload.writeBigUInt64BE(BigInt(Math.round(seconds * 90000)), 24);
	return box('mvhd', payload);
}

const ftyp = box('ftyp', Buffer.from('mp42'), Buffer.from([0, 0, 0, 0]), Buffer.from('mp42isom'));

/** Streams `bytes` in chunks of the given sizes (cycled). */
function chunked(bytes: Buffer, sizes: number[]): Readable {
	const parts: Buffer[] = [];
	for (let at = 0, i = 0; at < bytes.length; i++) {
		const size = sizes[i % sizes.length];
		parts.push(bytes.subarray(at, at + size));
		at += size;
	}
	return Readable.from(parts);
}

/** The facts from the bytes in memory, and the same from a stream of them in any chunking. */
const both = async (bytes: Buffer) => {
	const fromBuffer = await readMp4(bufferSource(bytes));
	for (const sizes of [[1], [3, 7, 11], [8], [16], [4096], [bytes.length]]) {
		expect(await withStreamSource(chunked(bytes, sizes), readMp4)).toEqual(fromBuffer);
	}
	return fromBuffer;
};

const fromBytes = async (bytes: Buffer) => await readMp4(bufferSource(bytes));

describe('readMp4', () => {
	it('reads the duration with the movie header first (fast start) and last', async () => {
		expect(await both(makeMp4(12.5))).toEqual({ isMp4: true, durationSeconds: 12.5 });
		expect(await both(makeMp4(59.9, { moovAtEnd: true, mdatBytes: 200_000 }))).toEqual({ isMp4: true, durationSeconds: 59.9 });
	});

	it('is not fooled by "mvhd" inside the media data', async () => {
		const bait = Buffer.alloc(64);
		bait.write('mvhd', 20, 'latin1');
		bait.writeUInt32BE(1, 32);
		bait.writeUInt32BE(1, 36); // a text search reads 1/1 = 1 s here
		const bytes = Buffer.concat([ftyp, box('mdat', bait), box('moov', mvhdV1(75))]);
		expect(await both(bytes)).toEqual({ isMp4: true, durationSeconds: 75 });
	});

	it('walks 64-bit box sizes and version 1 movie headers', async () => {
		const bytes = Buffer.concat([ftyp, largeBox('mdat', Buffer.alloc(5000, 0x22)), box('free', Buffer.alloc(3)), box('moov', box('trak'), mvhdV1(30.25))]);
		expect(await both(bytes)).toEqual({ isMp4: true, durationSeconds: 30.25 });
	});

	it('knows when there is no movie header, or no MP4 at all', async () => {
		expect(await both(Buffer.concat([ftyp, box('mdat', Buffer.alloc(100))]))).toEqual({ isMp4: true });
		expect(await both(Buffer.concat([ftyp, box('mdat', Buffer.alloc(100)), box('moov', box('trak'))]))).toEqual({ isMp4: true });
		const truncated = makeMp4(10, { moovAtEnd: true }).subarray(0, 600);
		expect(await both(truncated)).toEqual({ isMp4: true });
		const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
		expect(await both(png)).toEqual({ isMp4: false });
		const webm = Buffer.from('1a45dfa3a34286810142f7810142f2810442f381084282847765626d', 'hex');
		expect(await both(webm)).toEqual({ isMp4: false });
		expect(await both(makeZip(['slide-1.jpg']))).toEqual({ isMp4: false });
		expect(await both(Buffer.from('<html></html>'))).toEqual({ isMp4: false });
		expect(await both(Buffer.alloc(0))).toEqual({ isMp4: false });
	});

	it('finds the movie header after a 64 MB media box in a stream', async () => {
		const mdatSize = 64 * 1024 * 1024;
		const header = Buffer.alloc(8);
		header.writeUInt32BE(mdatSize + 8, 0);
		header.write('mdat', 4, 'latin1');
		const chunk = Buffer.alloc(1024 * 1024);
		async function* file() {
			yield ftyp;
			yield header;
			for (let i = 0; i < 64; i++) yield chunk;
			yield box('moov', mvhdV1(42));
		}
		expect(await withStreamSource(file(), readMp4)).toEqual({ isMp4: true, durationSeconds: 42 });
	});

	it('stops reading a stream at the movie header, and closes it', async () => {
		const read: number[] = [];
		let closed = false;
		async function* file() {
			try {
				const bytes = makeMp4(20, { mdatBytes: 50_000 });
				for (let at = 0; at < bytes.length; at += 1000) {
					read.push(at);
					yield bytes.subarray(at, at + 1000);
				}
			} finally {
				closed = true;
			}
		}
		expect(await withStreamSource(file(), readMp4)).toEqual({ isMp4: true, durationSeconds: 20 });
		expect(read).toEqual([0]); // ftyp and moov sit in the first 1000 bytes
		expect(closed).toBe(true);
	});
});

describe('checkVideo', () => {
	it('passes an MP4 of at most 60 s and says what is wrong otherwise', async () => {
		expect(checkVideo(await fromBytes(makeMp4(60)), 1000)).toBeUndefined();
		expect(checkVideo(await fromBytes(makeMp4(61)), 1000)).toEqual({ problem: 'is 61.0 s long; TikTok posts from the farm take at most 60 s', fix: 'trim the video to 60 seconds or less' });
		expect(checkVideo({ isMp4: false }, 10)?.problem).toMatch(/not an MP4/);
		expect(checkVideo({ isMp4: true }, 10)).toEqual({
			problem: 'is an MP4 without a movie header (moov/mvhd), so its length cannot be read',
			fix: 'export the video again as a complete MP4; a partly downloaded or still-recording file has no movie header',
		});
		expect(checkVideo({ isMp4: true, durationSeconds: 5 }, 0)?.problem).toMatch(/empty/);
		expect(checkVideo({ isMp4: true, durationSeconds: 5 }, 5 * 1024 ** 3)?.problem).toMatch(/at most 4 GB/);
	});

	it('allows half a second over 60 s, not more', async () => {
		expect(checkVideo(await fromBytes(makeMp4(60.5)), 1000)).toBeUndefined();
		expect(checkVideo(await fromBytes(makeMp4(60.501)), 1000)?.problem).toBe('is 60.5 s long; TikTok posts from the farm take at most 60 s');
	});
});
