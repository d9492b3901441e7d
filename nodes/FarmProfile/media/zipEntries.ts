// Reads a zip's entry names from its central directory (at the end of the file), so a slideshow can
// be checked from two small ranged reads instead of a download.

import type { Problem } from '../posting/checks';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
/** The end record is 22 bytes plus a comment of up to 64 KiB: this much of the tail always holds it. */
export const ZIP_TAIL_BYTES = 22 + 0xffff;

export interface CentralDirectory {
	offset: number;
	size: number;
}

/** Finds the central directory's place from the end record in the file's tail. */
export function findCentralDirectory(tail: Buffer): CentralDirectory | undefined {
	for (let at = tail.length - 22; at >= 0; at--) {
		if (tail.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) {
			return { size: tail.readUInt32LE(at + 12), offset: tail.readUInt32LE(at + 16) };
		}
	}
	return undefined;
}

export function readEntryNames(directory: Buffer): string[] {
	const names: string[] = [];
	let at = 0;
	while (at + 46 <= directory.length && directory.readUInt32LE(at) === CENTRAL_FILE_HEADER) {
		const nameLength = directory.readUInt16LE(at + 28);
		const extraLength = directory.readUInt16LE(at + 30);
		const commentLength = directory.readUInt16LE(at + 32);
		names.push(directory.toString('utf8', at + 46, at + 46 + nameLength));
		at += 46 + nameLength + extraLength + commentLength;
	}
	return names;
}

/** The API reference's rule: entries named slide-1.jpg, slide-2.jpg, … at the top level, JPG only, no gaps. */
export function checkSlideNames(names: string[]): Problem | undefined {
	const files = names.filter((name) => !name.endsWith('/'));
	if (files.length === 0) {
		return { problem: 'is a zip with no slides', fix: 'put slide-1.jpg, slide-2.jpg, … into the zip' };
	}
	const numbers: number[] = [];
	for (const name of files) {
		const match = /^slide-([1-9]\d*)\.([A-Za-z0-9]+)$/.exec(name);
		if (!match) {
			return {
				problem: `holds "${name}", which is not named slide-<number>.jpg`,
				fix: 'name the slides slide-1.jpg, slide-2.jpg, … at the top level of the zip, with nothing else in it',
			};
		}
		if (match[2] !== 'jpg') {
			return {
				problem: `holds "${name}": only .jpg slides are supported (no PNG, AVIF or .jpeg names)`,
				fix: `convert it to JPG and name it slide-${match[1]}.jpg`,
			};
		}
		numbers.push(Number(match[1]));
	}
	numbers.sort((a, b) => a - b);
	const missing = numbers.findIndex((number, index) => number !== index + 1);
	if (missing !== -1) {
		const expected = `slide-${missing + 1}.jpg`;
		return {
			problem: numbers[missing] === missing ? `holds slide-${missing}.jpg twice` : `has no ${expected} (the slides must be numbered from 1 without gaps)`,
			fix: 'number the slides 1, 2, 3, … without gaps',
		};
	}
	return undefined;
}
