// Media Source "Binary File": the item's binary file(s) read and checked before anything is
// uploaded or posted, the way the farm will use them. A video is one MP4 (ftyp) of at most 60 s,
// its movie header found wherever it sits; a slideshow is the item's JPEGs (by their bytes), which
// become a zip with slide-1.jpg, slide-2.jpg, …; a profile picture is one JPEG or PNG (by its bytes).
// The content's SHA-256 is computed here: the object key and the duplicate guard need it.
//
// Memory: a binary held in memory (n8n's default mode) is read as the Buffer n8n gives; one kept on
// disk (filesystem mode, binary.id set) is only ever streamed, once per pass, never held whole.

import { createHash } from 'node:crypto';
import type { IBinaryData, IBinaryKeyData } from 'n8n-workflow';

import type { MediaType } from '../actions/fields';
import type { FieldIssue } from '../posting/body';
import { asBuffer, bufferSource, withStreamSource, type ByteStream } from './byteSources';
import { checkPicture, checkSlideImage, IMAGE_SNIFF_BYTES, MAX_SLIDES } from './jpeg';
import { checkVideo, readMp4 } from './mp4Boxes';
import { slideNames } from './slideNames';
import { crc32, zipBuffers, zipLayout, zipParts, type ZipStreamEntry } from './zipWriter';

/** How the node reaches the item's binary data (this.helpers, for one item). */
export interface BinaryAccess {
	/** The item's binary fields, in their order. */
	binary: IBinaryKeyData | undefined;
	/** The bytes of a binary field n8n holds in memory, by the field's name (getBinaryDataBuffer). */
	readBuffer(name: string): Promise<Buffer>;
	/** A new stream of a binary n8n keeps outside memory, by its id (getBinaryStream). */
	openStream(id: string): Promise<NodeJS.ReadableStream>;
}

/** A checked file, ready for the upload (storage/upload.ts): a post's media or a profile's picture. */
export interface UploadFile {
	contentType: string;
	extension: string;
	size: number;
	/** SHA-256 (hex) of the bytes uploaded (the MP4, the zip written from the slides, the picture). */
	sha256: string;
	/** The bytes in memory, or a function opening a new stream of them (filesystem mode). */
	body: Buffer | { open: () => Promise<NodeJS.ReadableStream>; length: number };
	/** The binary fields used, in order. */
	fields: string[];
	slides?: number;
}

export interface BinaryMedia extends UploadFile {
	mediaType: MediaType;
	contentType: 'video/mp4' | 'application/zip';
	extension: 'mp4' | 'zip';
}

export type BinaryMediaResult = { ok: true; media: BinaryMedia } | { ok: false; issues: FieldIssue[] };

/** The field naming one file: a video's, or a profile picture's. */
const SINGLE_FIELD = 'Input Binary Field';
const SLIDES_FIELD = 'Input Binary Fields';

/** The label of the field(s) an issue about the binary media names. */
export function binaryFieldLabel(mediaType: MediaType): string {
	return mediaType === 'slideshow' ? SLIDES_FIELD : SINGLE_FIELD;
}

/** One pass over a stream: size, SHA-256, CRC-32 and the first bytes. */
async function measure(stream: ByteStream): Promise<{ size: number; sha256: string; crc32: number; head: Buffer }> {
	const hash = createHash('sha256');
	let size = 0;
	let crc = 0;
	let head = Buffer.alloc(0);
	for await (const raw of stream as AsyncIterable<Uint8Array | string>) {
		const chunk = asBuffer(raw);
		hash.update(chunk);
		crc = crc32(chunk, crc);
		if (head.length < IMAGE_SNIFF_BYTES) head = Buffer.concat([head, chunk.subarray(0, IMAGE_SNIFF_BYTES - head.length)]);
		size += chunk.length;
	}
	return { size, sha256: hash.digest('hex'), crc32: crc, head };
}

/** Iterates a stream opened lazily, for the zip writer's synchronous `open`. */
async function* lazily(open: () => Promise<ByteStream>): AsyncGenerator<Uint8Array | string> {
	yield* (await open()) as AsyncIterable<Uint8Array | string>;
}

function list(names: string[]): string {
	return names.map((name) => `"${name}"`).join(', ');
}

/**
 * The issue when the item has no binary data, or not under these names. `otherSource`: the setting
 * that does without binary data; `several`: whether the field takes several names.
 */
function missingBinary(access: BinaryAccess, field: string, names: string[], options: { otherSource: string; several: boolean }): FieldIssue | undefined {
	const available = Object.keys(access.binary ?? {});
	if (available.length === 0) {
		return {
			field,
			problem: 'names binary data, but the item has none',
			fix: `give the node an item with the file as binary data (e.g. from Read/Write Files from Disk, HTTP Request with Response Format: File, or Google Drive Download), or set ${options.otherSource}`,
		};
	}
	const missing = names.filter((name) => !access.binary?.[name]);
	if (missing.length === 0) return undefined;
	return {
		field,
		problem: `names ${list(missing)}, which the item does not have (its binary fields: ${list(available)})`,
		fix: `enter the name of the binary field${options.several ? 's' : ''} as the input panel shows it, e.g. ${available[0]}`,
	};
}

/** Which binary fields to use, or the issue when one is missing. */
function chooseFields(access: BinaryAccess, mediaType: MediaType, named: string[]): { fields: string[] } | { issue: FieldIssue } {
	const available = Object.keys(access.binary ?? {});
	const field = binaryFieldLabel(mediaType);
	const fields = mediaType === 'video' ? [named[0] ?? 'data'] : named.length > 0 ? named : available;
	if (available.length > 0 && mediaType === 'video' && named.length > 1) {
		return { issue: { field, problem: `names ${named.length} binary fields`, fix: 'name the one binary field holding the MP4' } };
	}
	const issue = missingBinary(access, field, fields, { otherSource: 'Media Source to URL', several: mediaType === 'slideshow' });
	if (issue) return { issue };
	if (fields.length > MAX_SLIDES) {
		return { issue: { field, problem: `names ${fields.length} images; a slideshow takes at most ${MAX_SLIDES}`, fix: `post at most ${MAX_SLIDES} slides` } };
	}
	return { fields };
}

/** Reads and checks the item's binary media. Nothing is uploaded here. */
export async function readBinaryMedia(access: BinaryAccess, mediaType: MediaType, named: string[]): Promise<BinaryMediaResult> {
	const chosen = chooseFields(access, mediaType, named);
	if ('issue' in chosen) return { ok: false, issues: [chosen.issue] };
	const binaries = chosen.fields.map((name) => ({ name, binary: access.binary![name] }));
	return mediaType === 'video' ? await readVideo(access, binaries[0]) : await readSlides(access, binaries);
}

/** One binary file: its size, hash and first bytes, and its bytes in memory or a way to stream them (on disk). */
async function singleFile(access: BinaryAccess, name: string, binary: IBinaryData): Promise<Pick<UploadFile, 'size' | 'sha256' | 'body'> & { head: Buffer }> {
	if (binary.id) {
		const id = binary.id;
		const facts = await measure(await access.openStream(id));
		return { size: facts.size, sha256: facts.sha256, head: facts.head, body: { open: async () => await access.openStream(id), length: facts.size } };
	}
	const bytes = await access.readBuffer(name);
	return { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), head: bytes.subarray(0, IMAGE_SNIFF_BYTES), body: bytes };
}

async function readVideo(access: BinaryAccess, { name, binary }: { name: string; binary: IBinaryData }): Promise<BinaryMediaResult> {
	const { size, sha256, body } = await singleFile(access, name, binary);
	const info = Buffer.isBuffer(body) ? await readMp4(bufferSource(body)) : await withStreamSource(await body.open(), readMp4);
	const problem = checkVideo(info, size);
	if (problem) return { ok: false, issues: [{ field: `${SINGLE_FIELD} "${name}"`, ...problem }] };
	return { ok: true, media: { size, sha256, body, mediaType: 'video', contentType: 'video/mp4', extension: 'mp4', fields: [name] } };
}

/** A profile picture from the item's binary field `name`: a JPEG or PNG by its bytes. Nothing is uploaded here. */
export async function readBinaryPicture(access: BinaryAccess, name: string): Promise<{ ok: true; picture: UploadFile } | { ok: false; issues: FieldIssue[] }> {
	const missing = missingBinary(access, SINGLE_FIELD, [name], { otherSource: 'Profile Picture to From URL', several: false });
	if (missing) return { ok: false, issues: [missing] };
	const { head, ...file } = await singleFile(access, name, access.binary![name]);
	const checked = checkPicture(head, file.size);
	if (!checked.ok) return { ok: false, issues: [{ field: `${SINGLE_FIELD} "${name}"`, ...checked.problem }] };
	return { ok: true, picture: { ...file, ...checked.format, fields: [name] } };
}

async function readSlides(access: BinaryAccess, binaries: Array<{ name: string; binary: IBinaryData }>): Promise<BinaryMediaResult> {
	const names = slideNames(binaries.length);
	const issues: FieldIssue[] = [];
	const inMemory: Buffer[] = [];
	const streamed: ZipStreamEntry[] = [];
	for (const [index, { name, binary }] of binaries.entries()) {
		let head: Buffer;
		let size: number;
		if (binary.id) {
			const id = binary.id;
			const facts = await measure(await access.openStream(id));
			({ head, size } = facts);
			streamed.push({ name: names[index], size, crc32: facts.crc32, open: () => lazily(async () => await access.openStream(id)) });
		} else {
			const bytes = await access.readBuffer(name);
			head = bytes.subarray(0, IMAGE_SNIFF_BYTES);
			size = bytes.length;
			inMemory.push(bytes);
			streamed.push({ name: names[index], size, crc32: crc32(bytes), open: () => (async function* () { yield bytes; })() });
		}
		const problem = checkSlideImage(head, size);
		if (problem) issues.push({ field: `${SLIDES_FIELD} "${name}" (slide ${index + 1})`, ...problem });
	}
	if (issues.length > 0) return { ok: false, issues };

	const common = { mediaType: 'slideshow' as const, contentType: 'application/zip' as const, extension: 'zip' as const, fields: binaries.map((b) => b.name), slides: binaries.length };
	if (inMemory.length === binaries.length) {
		// All in memory already: the zip is written in memory too (slides are at most 20 MB each).
		const zip = zipBuffers(names.map((entryName, index) => ({ name: entryName, data: inMemory[index] })));
		return { ok: true, media: { ...common, size: zip.length, sha256: createHash('sha256').update(zip).digest('hex'), body: zip } };
	}
	// Some on disk: the zip is streamed, once to hash it, once more for the upload.
	const size = zipLayout(streamed).size;
	const hash = createHash('sha256');
	for await (const part of zipParts(streamed)) hash.update(part);
	const open = async () => await readableOf(access, binaries, zipParts(streamed));
	return { ok: true, media: { ...common, size, sha256: hash.digest('hex'), body: { open, length: size } } };
}

/**
 * An HTTP client sends a body stream only if it is a Node Readable, and a community node may not
 * import node:stream: the Readable class is taken from a stream n8n hands out (Readable.from is a
 * static method every Readable subclass inherits, and it builds a plain Readable).
 */
async function readableOf(access: BinaryAccess, binaries: Array<{ binary: IBinaryData }>, parts: AsyncIterable<Buffer>): Promise<NodeJS.ReadableStream> {
	const id = binaries.find(({ binary }) => binary.id)!.binary.id!;
	const sample = await access.openStream(id);
	(sample as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
	const Readable = sample.constructor as unknown as { from(iterable: AsyncIterable<Buffer>): NodeJS.ReadableStream };
	return Readable.from(parts);
}
