// Writes a zip with stored (uncompressed) entries: the slideshow the node builds from the item's
// images, slide-1.jpg, slide-2.jpg, … JPEGs do not compress, so storing them costs nothing and
// every zip reader opens the result.
//
// Two ways: zipBuffers() for images in memory, and zipStreamLayout() + zipParts() for images n8n
// keeps on disk (filesystem binary mode): the sizes and CRC-32s are known first (one pass over each
// file), then the zip is produced as a stream of parts of known total length, for a streamed upload.
// No ZIP64: the zip must stay under 4 GiB and 65,535 entries (slides are far below that).

const LOCAL_FILE_HEADER = 0x04034b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
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

/** MS-DOS time and date of the entries (a fixed moment keeps the zip the same for the same slides). */
function dosDateTime(date: Date): { time: number; date: number } {
	const year = Math.max(1980, date.getUTCFullYear());
	return {
		time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
		date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
	};
}

function checkName(name: string): void {
	if (name === '' || name.startsWith('/') || name.includes('\\') || name.split('/').includes('..')) {
		throw new Error(`Not a usable zip entry name: "${name}"`);
	}
}

/** A zip record: little-endian fields of 2 or 4 bytes, as the format's tables list them, then the name. */
function zipRecord(fields: Array<[bytes: 2 | 4, value: number]>, name: Buffer): Buffer {
	const record = Buffer.alloc(fields.reduce((length, [bytes]) => length + bytes, 0));
	let at = 0;
	for (const [bytes, value] of fields) {
		if (bytes === 2) record.writeUInt16LE(value, at);
		else record.writeUInt32LE(value, at);
		at += bytes;
	}
	return Buffer.concat([record, name]);
}

/** The part the local and the central header share: flags, method, time, CRC, sizes, name length. */
function describeEntry(entry: ZipEntryInfo, name: Buffer, flags: number, when: { time: number; date: number }): Array<[2 | 4, number]> {
	return [
		[2, flags],
		[2, 0], // stored
		[2, when.time],
		[2, when.date],
		[4, entry.crc32],
		[4, entry.size], // compressed
		[4, entry.size],
		[2, name.length],
		[2, 0], // extra
	];
}

function localHeader(entry: ZipEntryInfo, name: Buffer, flags: number, when: { time: number; date: number }): Buffer {
	return zipRecord(
		[
			[4, LOCAL_FILE_HEADER],
			[2, VERSION],
			...describeEntry(entry, name, flags, when),
		],
		name,
	);
}

function centralHeader(entry: ZipEntryInfo, name: Buffer, flags: number, when: { time: number; date: number }, offset: number): Buffer {
	return zipRecord(
		[
			[4, CENTRAL_FILE_HEADER],
			[2, (3 << 8) | VERSION], // made by: Unix, 2.0
			[2, VERSION],
			...describeEntry(entry, name, flags, when),
			[2, 0], // comment
			[2, 0], // disk
			[2, 0], // internal attributes
			[4, (0o100644 << 16) >>> 0], // external: a regular file, rw-r--r--
			[4, offset],
		],
		name,
	);
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
export function zipLayout(entries: ZipEntryInfo[], modified: Date = new Date(Date.UTC(2020, 0, 1))): ZipLayout {
	if (entries.length > 0xffff) throw new Error('A zip without ZIP64 holds at most 65,535 entries');
	const names = new Set<string>();
	const when = dosDateTime(modified);
	const localHeaders: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const entry of entries) {
		checkName(entry.name);
		if (names.has(entry.name)) throw new Error(`Two zip entries named "${entry.name}"`);
		names.add(entry.name);
		const name = Buffer.from(entry.name, 'utf8');
		const flags = /^[\x20-\x7e]*$/.test(entry.name) ? 0 : UTF8_NAMES;
		const local = localHeader(entry, name, flags, when);
		centrals.push(centralHeader(entry, name, flags, when, offset));
		localHeaders.push(local);
		offset += local.length + entry.size;
		if (offset > MAX_32) throw new Error('The zip would exceed 4 GiB, which needs ZIP64');
	}
	const directory = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	return { size: offset + directory.length + end.length, localHeaders, trailer: Buffer.concat([directory, end]) };
}

export interface ZipInputEntry {
	name: string;
	data: Buffer;
}

/** A whole stored zip in memory. */
export function zipBuffers(entries: ZipInputEntry[], modified?: Date): Buffer {
	const layout = zipLayout(
		entries.map(({ name, data }) => ({ name, size: data.length, crc32: crc32(data) })),
		modified,
	);
	const parts: Buffer[] = [];
	entries.forEach((entry, index) => parts.push(layout.localHeaders[index], entry.data));
	parts.push(layout.trailer);
	return Buffer.concat(parts);
}

/** The slideshow's entry names: slide-1.jpg, slide-2.jpg, … */
export function slideNames(count: number): string[] {
	return Array.from({ length: count }, (_, index) => `slide-${index + 1}.jpg`);
}

export interface ZipStreamEntry extends ZipEntryInfo {
	/** Opens the entry's bytes again (they are read once for the CRC, once for the zip). */
	open: () => AsyncIterable<Uint8Array | string> | NodeJS.ReadableStream;
}

/**
 * The zip as a sequence of parts, reading each entry's stream in turn: for a streamed upload with
 * Content-Length = zipLayout(entries).size. Fails if an entry's bytes differ in length or CRC-32
 * from what was announced (the file changed between the two reads).
 */
export async function* zipParts(entries: ZipStreamEntry[], modified?: Date): AsyncGenerator<Buffer> {
	const layout = zipLayout(entries, modified);
	for (let index = 0; index < entries.length; index++) {
		const entry = entries[index];
		yield layout.localHeaders[index];
		let length = 0;
		let crc = 0;
		for await (const chunk of entry.open() as AsyncIterable<Uint8Array | string>) {
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
			length += bytes.length;
			crc = crc32(bytes, crc);
			yield bytes;
		}
		if (length !== entry.size || crc !== entry.crc32) throw new Error(`"${entry.name}" changed while the zip was being written`);
	}
	yield layout.trailer;
}

/** Size and CRC-32 of a stream, read chunk by chunk (the first of the two reads zipParts needs). */
export async function measureStream(stream: AsyncIterable<Uint8Array | string> | NodeJS.ReadableStream): Promise<{ size: number; crc32: number }> {
	let size = 0;
	let crc = 0;
	for await (const chunk of stream as AsyncIterable<Uint8Array | string>) {
		const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		size += bytes.length;
		crc = crc32(bytes, crc);
	}
	return { size, crc32: crc };
}
