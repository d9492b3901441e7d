// The zip records, defined once for the reader (a URL's central directory, zipEntries.ts) and the
// writer (the slideshow the node builds, zipWriter.ts): each record's signature, then its
// little-endian fields in the order of the format's tables (PKWARE APPNOTE 4.3.7, 4.3.12, 4.3.16).
// A record's name, extra field and comment follow it; their lengths are fields. No ZIP64.

type Width = 2 | 4;

export interface ZipRecord<Field extends string> {
	signature: number;
	fields: ReadonlyArray<readonly [Field, Width]>;
	/** Bytes of the fixed part, signature included. */
	size: number;
}

function record<Field extends string>(signature: number, fields: ReadonlyArray<readonly [Field, Width]>): ZipRecord<Field> {
	return { signature, fields, size: fields.reduce((size, [, width]) => size + width, 4) };
}

/** What a local and a central header say of their entry, in the same order in both. */
const ENTRY = [
	['flags', 2],
	['method', 2],
	['time', 2],
	['date', 2],
	['crc32', 4],
	['compressedSize', 4],
	['size', 4],
	['nameLength', 2],
	['extraLength', 2],
] as const;

export const LOCAL_FILE_HEADER = record(0x04034b50, [['versionNeeded', 2], ...ENTRY]);

export const CENTRAL_FILE_HEADER = record(0x02014b50, [
	['versionMadeBy', 2],
	['versionNeeded', 2],
	...ENTRY,
	['commentLength', 2],
	['disk', 2],
	['internalAttributes', 2],
	['externalAttributes', 4],
	['localHeaderOffset', 4],
]);

export const END_OF_CENTRAL_DIRECTORY = record(0x06054b50, [
	['disk', 2],
	['directoryDisk', 2],
	['entriesOnDisk', 2],
	['entries', 2],
	['directorySize', 4],
	['directoryOffset', 4],
	['commentLength', 2],
]);

/** The record's fixed part; fields not given are 0. */
export function writeRecord<Field extends string>(format: ZipRecord<Field>, values: Partial<Record<Field, number>>): Buffer {
	const bytes = Buffer.alloc(format.size);
	bytes.writeUInt32LE(format.signature, 0);
	let at = 4;
	for (const [field, width] of format.fields) {
		if (width === 2) bytes.writeUInt16LE(values[field] ?? 0, at);
		else bytes.writeUInt32LE(values[field] ?? 0, at);
		at += width;
	}
	return bytes;
}

/** The record's fields at `at`, or undefined when its signature is not there. */
export function readRecord<Field extends string>(format: ZipRecord<Field>, bytes: Buffer, at: number): Record<Field, number> | undefined {
	if (at < 0 || at + format.size > bytes.length || bytes.readUInt32LE(at) !== format.signature) return undefined;
	const values = {} as Record<Field, number>;
	let offset = at + 4;
	for (const [field, width] of format.fields) {
		values[field] = width === 2 ? bytes.readUInt16LE(offset) : bytes.readUInt32LE(offset);
		offset += width;
	}
	return values;
}
