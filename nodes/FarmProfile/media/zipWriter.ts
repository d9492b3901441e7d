// Writes a zip with stored (uncompressed) entries: the slideshow the node builds from the item's
// images, slide-1.jpg, slide-2.jpg, … JPEGs do not compress, so storing them costs nothing and
// every zip reader opens the result.
//
// Two ways: zipBuffers() for images in memory, and zipLayout() + zipParts() for images n8n keeps on
// disk (filesystem binary mode): the sizes and CRC-32s are known first (one pass over each file),
// then the zip is produced as a stream of parts of known total length, for a streamed upload.
// No ZIP64: the zip must stay under 4 GiB and 65,535 entries (slides are far below that).

import { asBuffer, type ByteStream } from './byteSources';
import { CENTRAL_FILE_HEADER, END_OF_CENTRAL_DIRECTORY, LOCAL_FILE_HEADER, writeRecord } from './zipFormat';

const VERSION = 20; // 2.0: what stored entries and folders need
const UTF8_NAMES = 0x0800;
const MAX_32 = 0xffffffff;

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

/** CRC-32 (the zip one), continuing from `previous` so it can be computed chunk by chunk. */
export function crc32(data: Uint8Array, previous = 0): number {
	let crc = (previous ^ MAX_32) >>> 0;
	for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
	return (crc ^ MAX_32) >>> 0;
}

export interface ZipEntryInfo {
	name: string;
	size: number;
	crc32: number;
}

/**
 * The entries' MS-DOS time and date: a fixed moment, 2020-01-01 00:00, so the same slides always
 * make the same zip (and hash, which the duplicate guard and the object key use).
 */
const ENTRY_TIME = { time: 0, date: ((2020 - 1980) << 9) | (1 << 5) | 1 };

function checkName(name: string): void {
	if (name === '' || name.startsWith('/') || name.includes('\\') || name.split('/').includes('..')) {
		throw new Error(`Not a usable zip entry name: "${name}"`);
	}
}

/** What the local and the central header say of an entry: stored, its time, CRC, sizes and name. */
function describeEntry(entry: ZipEntryInfo, name: Buffer) {
	const flags = /^[\x20-\x7e]*$/.test(entry.name) ? 0 : UTF8_NAMES;
	return { versionNeeded: VERSION, flags, ...ENTRY_TIME, crc32: entry.crc32, compressedSize: entry.size, size: entry.size, nameLength: name.length };
}

export interface ZipLayout {
	/** The zip's total length in bytes (for Content-Length). */
	size: number;
	/** Each entry's local header, to be followed by its data. */
	localHeaders: Buffer[];
	/** Central directory and end record, written after the last entry's data. */
	trailer: Buffer;
}

/** Headers and total size for entries whose sizes and CRC-32s are known. */
export function zipLayout(entries: ZipEntryInfo[]): ZipLayout {
	if (entries.length > 0xffff) throw new Error('A zip without ZIP64 holds at most 65,535 entries');
	const names = new Set<string>();
	const localHeaders: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const entry of entries) {
		checkName(entry.name);
		if (names.has(entry.name)) throw new Error(`Two zip entries named "${entry.name}"`);
		names.add(entry.name);
		const name = Buffer.from(entry.name, 'utf8');
		const described = describeEntry(entry, name);
		const local = Buffer.concat([writeRecord(LOCAL_FILE_HEADER, described), name]);
		const central = writeRecord(CENTRAL_FILE_HEADER, {
			...described,
			versionMadeBy: (3 << 8) | VERSION, // Unix, 2.0
			externalAttributes: (0o100644 << 16) >>> 0, // a regular file, rw-r--r--
			localHeaderOffset: offset,
		});
		centrals.push(central, name);
		localHeaders.push(local);
		offset += local.length + entry.size;
		if (offset > MAX_32) throw new Error('The zip would exceed 4 GiB, which needs ZIP64');
	}
	const directory = Buffer.concat(centrals);
	const end = writeRecord(END_OF_CENTRAL_DIRECTORY, { entriesOnDisk: entries.length, entries: entries.length, directorySize: directory.length, directoryOffset: offset });
	return { size: offset + directory.length + end.length, localHeaders, trailer: Buffer.concat([directory, end]) };
}

export interface ZipInputEntry {
	name: string;
	data: Buffer;
}

/** A whole stored zip in memory. */
export function zipBuffers(entries: ZipInputEntry[]): Buffer {
	const layout = zipLayout(entries.map(({ name, data }) => ({ name, size: data.length, crc32: crc32(data) })));
	const parts: Buffer[] = [];
	entries.forEach((entry, index) => parts.push(layout.localHeaders[index], entry.data));
	parts.push(layout.trailer);
	return Buffer.concat(parts);
}

export interface ZipStreamEntry extends ZipEntryInfo {
	/** Opens the entry's bytes again (they are read once for the CRC, once for the zip). */
	open: () => ByteStream;
}

/**
 * The zip as a sequence of parts, reading each entry's stream in turn: for a streamed upload with
 * Content-Length = zipLayout(entries).size. Fails if an entry's bytes differ in length or CRC-32
 * from what was announced (the file changed between the two reads).
 */
export async function* zipParts(entries: ZipStreamEntry[]): AsyncGenerator<Buffer> {
	const layout = zipLayout(entries);
	for (let index = 0; index < entries.length; index++) {
		const entry = entries[index];
		yield layout.localHeaders[index];
		let length = 0;
		let crc = 0;
		for await (const chunk of entry.open() as AsyncIterable<Uint8Array | string>) {
			const bytes = asBuffer(chunk);
			length += bytes.length;
			crc = crc32(bytes, crc);
			yield bytes;
		}
		if (length !== entry.size || crc !== entry.crc32) throw new Error(`"${entry.name}" changed while the zip was being written`);
	}
	yield layout.trailer;
}
