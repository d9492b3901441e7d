// media/binaryMedia.ts on its own: which binary fields are used, every check with its field, problem
// and fix, the content hash, and that a binary n8n keeps outside memory is only ever streamed; for
// posts' media and for a profile's picture.

import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { IBinaryData } from 'n8n-workflow';

import { readBinaryMedia, readBinaryPicture, type BinaryAccess, type UploadFile } from '../../nodes/FarmProfile/media/binaryMedia';
import { MAX_SLIDES } from '../../nodes/FarmProfile/media/jpeg';
import { slideNames } from '../../nodes/FarmProfile/media/slideNames';
import { zipBuffers } from '../../nodes/FarmProfile/media/zipWriter';
import { makeMp4 } from '../../dev/sandbox/media';

const jpeg = (n: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`slide ${n} `.repeat(30)), Buffer.from([0xff, 0xd9])]);
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40)]);
const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(40)]);
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
/** An MP4 whose movie header comes last, cut before it (as a partly downloaded file is). */
const withoutMoov = (file: Buffer) => file.subarray(0, file.indexOf('moov', 0, 'latin1') - 4);

/** Files by field name; "disk:" ones are kept outside memory (binary.id) and streamed in 7-byte chunks. */
function access(files: Record<string, Buffer | { disk: Buffer }>) {
	const counts = { buffers: 0, streams: 0 };
	const disk: Record<string, Buffer> = {};
	const binary: Record<string, IBinaryData> = {};
	for (const [name, file] of Object.entries(files)) {
		if (Buffer.isBuffer(file)) binary[name] = { data: file.toString('base64'), mimeType: 'application/octet-stream' };
		else {
			disk[`fs:${name}`] = file.disk;
			binary[name] = { data: 'filesystem-v2', id: `fs:${name}`, mimeType: 'application/octet-stream' };
		}
	}
	const helpers: BinaryAccess = {
		binary,
		readBuffer: async (name) => {
			counts.buffers++;
			if (binary[name].id) throw new Error('a file on disk was read whole');
			return Buffer.from(binary[name].data, 'base64');
		},
		openStream: async (id) => {
			counts.streams++;
			const bytes = disk[id];
			const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
			return Readable.from(chunks);
		},
	};
	return { helpers, counts };
}

async function bodyOf(media: UploadFile): Promise<Buffer> {
	if (Buffer.isBuffer(media.body)) return media.body;
	const parts: Buffer[] = [];
	for await (const chunk of (await media.body.open()) as AsyncIterable<Buffer>) parts.push(Buffer.from(chunk));
	return Buffer.concat(parts);
}

describe('video', () => {
	it('an MP4 in memory: its bytes, size and SHA-256', async () => {
		const file = makeMp4(12);
		const result = await readBinaryMedia(access({ data: file }).helpers, 'video', ['data']);
		expect(result).toEqual({ ok: true, media: expect.objectContaining({ size: file.length, sha256: sha(file), contentType: 'video/mp4', extension: 'mp4', fields: ['data'] }) });
		expect(await bodyOf((result as { media: UploadFile }).media)).toEqual(file);
	});

	it('an MP4 on disk, its movie header after the media data: streamed (hash, header, upload), never read whole', async () => {
		const file = makeMp4(40, { moovAtEnd: true, mdatBytes: 5000 });
		const { helpers, counts } = access({ clip: { disk: file } });
		const result = await readBinaryMedia(helpers, 'video', ['clip']);
		if (!result.ok) throw new Error(JSON.stringify(result.issues));
		expect(result.media.sha256).toBe(sha(file));
		expect(result.media.body).toEqual({ open: expect.any(Function), length: file.length });
		expect(await bodyOf(result.media)).toEqual(file);
		expect(counts).toEqual({ buffers: 0, streams: 3 });
	});

	it.each([
		['not an MP4', jpeg(1), /is not an MP4 video/, /give an MP4/],
		['over 60 s', makeMp4(61.5), /is 61\.5 s long/, /trim the video/],
		['empty', Buffer.alloc(0), /is empty/, /MP4/],
		['without a movie header', withoutMoov(makeMp4(10, { moovAtEnd: true })), /^is an MP4 without a movie header \(moov\/mvhd\)/, /export the video again as a complete MP4/],
	])('refuses one that is %s, naming the binary field', async (_name, file, problem, fix) => {
		for (const files of [{ data: file }, { data: { disk: file } }]) {
			const result = await readBinaryMedia(access(files).helpers, 'video', ['data']);
			expect(result.ok).toBe(false);
			const [issue] = (result as { issues: Array<{ field: string; problem: string; fix: string }> }).issues;
			expect(issue.field).toBe('Input Binary Field "data"');
			expect(issue.problem).toMatch(problem);
			expect(issue.fix).toMatch(fix);
		}
	});

	it('refuses a missing field, naming the fields the item has', async () => {
		const result = await readBinaryMedia(access({ attachment: makeMp4(5), thumb: jpeg(1) }).helpers, 'video', ['data']);
		expect(result).toEqual({
			ok: false,
			issues: [expect.objectContaining({ field: 'Input Binary Field', problem: 'names "data", which the item does not have (its binary fields: "attachment", "thumb")' })],
		});
	});

	it('refuses an item without binary data, and a list of fields for a video', async () => {
		expect(await readBinaryMedia({ ...access({}).helpers, binary: undefined }, 'video', ['data'])).toEqual({
			ok: false,
			issues: [expect.objectContaining({ problem: 'names binary data, but the item has none' })],
		});
		expect(await readBinaryMedia(access({ a: makeMp4(5), b: makeMp4(5) }).helpers, 'video', ['a', 'b'])).toEqual({
			ok: false,
			issues: [expect.objectContaining({ problem: 'names 2 binary fields' })],
		});
	});
});

describe('slideshow', () => {
	const expectedZip = (files: Buffer[]) => zipBuffers(slideNames(files.length).map((name, index) => ({ name, data: files[index] })));

	it("takes all of the item's binary fields in their order when none are named, and writes slide-1.jpg …", async () => {
		const files = [jpeg(1), jpeg(2), jpeg(3)];
		const result = await readBinaryMedia(access({ b: files[0], a: files[1], c: files[2] }).helpers, 'slideshow', []);
		if (!result.ok) throw new Error(JSON.stringify(result.issues));
		expect(result.media).toEqual(expect.objectContaining({ fields: ['b', 'a', 'c'], slides: 3, contentType: 'application/zip', extension: 'zip' }));
		const zip = expectedZip(files);
		expect(await bodyOf(result.media)).toEqual(zip);
		expect(result.media.sha256).toBe(sha(zip));
		expect(result.media.size).toBe(zip.length);
	});

	it('the same zip, byte for byte, with slides on disk: streamed, its length and hash known before the upload', async () => {
		const files = [jpeg(1), jpeg(2), jpeg(3)];
		const { helpers, counts } = access({ a: { disk: files[0] }, b: files[1], c: { disk: files[2] } });
		const result = await readBinaryMedia(helpers, 'slideshow', ['a', 'b', 'c']);
		if (!result.ok) throw new Error(JSON.stringify(result.issues));
		const zip = expectedZip(files);
		expect(result.media.body).toEqual({ open: expect.any(Function), length: zip.length });
		expect(result.media.sha256).toBe(sha(zip));
		expect(await bodyOf(result.media)).toEqual(zip);
		expect(counts.buffers).toBe(1); // only the one n8n holds in memory
	});

	it('refuses every slide that is not a JPEG by its bytes, each with the Edit Image fix', async () => {
		const result = await readBinaryMedia(access({ a: jpeg(1), b: png, c: { disk: webp } }).helpers, 'slideshow', []);
		expect(result.ok).toBe(false);
		const issues = (result as { issues: Array<{ field: string; problem: string; fix: string }> }).issues;
		expect(issues.map((issue) => issue.field)).toEqual(['Input Binary Fields "b" (slide 2)', 'Input Binary Fields "c" (slide 3)']);
		expect(issues[0].problem).toMatch(/^is a PNG image, not a JPEG/);
		expect(issues[1].problem).toMatch(/^is a WebP image, not a JPEG/);
		for (const issue of issues) expect(issue.fix).toMatch(/convert it with the Edit Image node to JPEG/);
	});

	it(`refuses more than ${MAX_SLIDES} slides and names missing ones`, async () => {
		const many = Object.fromEntries(Array.from({ length: MAX_SLIDES + 1 }, (_, i) => [`s${i}`, jpeg(i)]));
		expect(await readBinaryMedia(access(many).helpers, 'slideshow', [])).toEqual({ ok: false, issues: [expect.objectContaining({ problem: `names ${MAX_SLIDES + 1} images; a slideshow takes at most ${MAX_SLIDES}` })] });
		expect(await readBinaryMedia(access({ a: jpeg(1) }).helpers, 'slideshow', ['a', 'b', 'c'])).toEqual({
			ok: false,
			issues: [expect.objectContaining({ field: 'Input Binary Fields', problem: 'names "b", "c", which the item does not have (its binary fields: "a")' })],
		});
	});
});

describe('profile picture', () => {
	it('a PNG in memory and a JPEG on disk: their bytes, hash, and type and extension by their bytes', async () => {
		const inMemory = await readBinaryPicture(access({ data: png }).helpers, 'data');
		expect(inMemory).toEqual({ ok: true, picture: { size: png.length, sha256: sha(png), body: png, contentType: 'image/png', extension: 'png', fields: ['data'] } });

		const photo = jpeg(7);
		const { helpers, counts } = access({ avatar: { disk: photo } });
		const onDisk = await readBinaryPicture(helpers, 'avatar');
		if (!onDisk.ok) throw new Error(JSON.stringify(onDisk.issues));
		expect(onDisk.picture).toMatchObject({ size: photo.length, sha256: sha(photo), contentType: 'image/jpeg', extension: 'jpg', fields: ['avatar'] });
		expect(await bodyOf(onDisk.picture)).toEqual(photo);
		expect(counts.buffers).toBe(0);
	});

	it('refuses a picture that is neither JPEG nor PNG by its bytes, naming the field', async () => {
		for (const files of [{ data: webp }, { data: { disk: webp } }]) {
			expect(await readBinaryPicture(access(files).helpers, 'data')).toEqual({
				ok: false,
				issues: [{ field: 'Input Binary Field "data"', problem: 'is a WebP image, not a JPEG or PNG (checked by its bytes, not its name)', fix: expect.stringContaining('Edit Image') }],
			});
		}
	});

	it('refuses a missing field or an item without binary data, pointing to the URL source', async () => {
		expect(await readBinaryPicture(access({ photo: png }).helpers, 'data')).toEqual({
			ok: false,
			issues: [expect.objectContaining({ field: 'Input Binary Field', problem: 'names "data", which the item does not have (its binary fields: "photo")' })],
		});
		expect(await readBinaryPicture({ ...access({}).helpers, binary: undefined }, 'data')).toEqual({
			ok: false,
			issues: [expect.objectContaining({ problem: 'names binary data, but the item has none', fix: expect.stringContaining('set Profile Picture to From URL') })],
		});
	});
});
