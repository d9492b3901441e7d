// Reads a zip's entry names from its central directory (at the end of the file), so a slideshow can
// be checked from two small ranged reads instead of a download.

import { CENTRAL_FILE_HEADER, END_OF_CENTRAL_DIRECTORY, readRecord } from './zipFormat';

/** The end record plus a comment of up to 64 KiB: this much of the tail always holds it. */
export const ZIP_TAIL_BYTES = END_OF_CENTRAL_DIRECTORY.size + 0xffff;

export interface CentralDirectory {
	offset: number;
	size: number;
}

/** Finds the central directory's place from the end record in the file's tail. */
export function findCentralDirectory(tail: Buffer): CentralDirectory | undefined {
	for (let at = tail.length - END_OF_CENTRAL_DIRECTORY.size; at >= 0; at--) {
		const end = readRecord(END_OF_CENTRAL_DIRECTORY, tail, at);
		if (end) return { size: end.directorySize, offset: end.directoryOffset };
	}
	return undefined;
}

export function readEntryNames(directory: Buffer): string[] {
	const names: string[] = [];
	for (let at = 0, entry; (entry = readRecord(CENTRAL_FILE_HEADER, directory, at)); ) {
		const name = at + CENTRAL_FILE_HEADER.size;
		if (name + entry.nameLength > directory.length) break;
		names.push(directory.toString('utf8', name, name + entry.nameLength));
		at = name + entry.nameLength + entry.extraLength + entry.commentLength;
	}
	return names;
}
