import { Readable } from 'node:stream';

import { movieDurationSeconds } from '../../nodes/FarmProfile/media/mp4Header';
import { checkVideo, readMp4, readMp4Stream } from '../../nodes/FarmProfile/media/mp4Boxes';
import { makeMp4 } from '../../dev/sandbox/media';

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

const both = async (bytes: Buffer) => {
	const fromBuffer = readMp4(bytes);
	for (const sizes of [[1], [3, 7, 11], [8], [16], [4096], [bytes.length]]) {
		expect(await readMp4Stream(chunked(bytes, sizes))).toEqual(fromBuffer);
	}
	return fromBuffer;
};

describe('readMp4 / readMp4Stream', () => {
	it('reads the duration with the movie header first (fast start) and last', async () => {
		expect(await both(makeMp4(12.5))).toMatchObject({ isMp4: true, brand: 'isom', durationSeconds: 12.5 });
		const last = makeMp4(59.9, { moovAtEnd: true, mdatBytes: 200_000 });
		expect(await both(last)).toMatchObject({ isMp4: true, durationSeconds: 59.9 });
		expect(readMp4(last).moovOffset).toBeGreaterThan(200_000);
	});

	it('is not fooled by "mvhd" inside the media data, where a text search is', async () => {
		const bait = Buffer.alloc(64);
		bait.write('mvhd', 20, 'latin1');
		bait.writeUInt32BE(1, 32);
		bait.writeUInt32BE(1, 36); // a text search reads 1/1 = 1 s here
		const bytes = Buffer.concat([ftyp, box('mdat', bait), box('moov', mvhdV1(75))]);
		expect(movieDurationSeconds(bytes)).not.toBe(75);
		expect(await both(bytes)).toMatchObject({ durationSeconds: 75 });
	});

	it('walks 64-bit box sizes and version 1 movie headers', async () => {
		const bytes = Buffer.concat([ftyp, largeBox('mdat', Buffer.alloc(5000, 0x22)), box('free', Buffer.alloc(3)), box('moov', box('trak'), mvhdV1(30.25))]);
		expect(await both(bytes)).toMatchObject({ isMp4: true, brand: 'mp42', durationSeconds: 30.25 });
	});

	it('knows when there is no movie header, or no MP4 at all', async () => {
		expect(await both(Buffer.concat([ftyp, box('mdat', Buffer.alloc(100))]))).toEqual({ isMp4: true, brand: 'mp42' });
		const truncated = makeMp4(10, { moovAtEnd: true }).subarray(0, 600);
		expect(await both(truncated)).toEqual({ isMp4: true, brand: 'isom' });
		const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
		expect(await both(png)).toEqual({ isMp4: false });
		const webm = Buffer.from('1a45dfa3a34286810142f7810142f2810442f381084282847765626d', 'hex');
		expect(await both(webm)).toEqual({ isMp4: false });
		expect(await both(Buffer.alloc(0))).toEqual({ isMp4: false });
	});

	it('streams a large media box without keeping it', async () => {
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
		expect(await readMp4Stream(file())).toMatchObject({ isMp4: true, durationSeconds: 42, moovOffset: ftyp.length + 8 + mdatSize });
	});
});

describe('checkVideo', () => {
	it('passes an MP4 of at most 60 s and says what is wrong otherwise', () => {
		expect(checkVideo(readMp4(makeMp4(60)), 1000)).toBeUndefined();
		expect(checkVideo(readMp4(makeMp4(61)), 1000)).toEqual({ problem: 'is 61.0 s long; TikTok posts from the farm take at most 60 s', fix: 'trim the video to 60 seconds or less' });
		expect(checkVideo({ isMp4: false }, 10)?.problem).toMatch(/not an MP4/);
		expect(checkVideo({ isMp4: true }, 10)?.problem).toMatch(/without a movie header/);
		expect(checkVideo({ isMp4: true, durationSeconds: 5 }, 0)?.problem).toMatch(/empty/);
		expect(checkVideo({ isMp4: true, durationSeconds: 5 }, 5 * 1024 ** 3)?.problem).toMatch(/at most 4 GB/);
	});
});
