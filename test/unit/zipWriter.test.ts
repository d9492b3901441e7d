import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';

import { checkSlideNames, slideNames } from '../../nodes/FarmProfile/media/slideNames';
import { findCentralDirectory, readEntryNames } from '../../nodes/FarmProfile/media/zipEntries';
import { crc32, zipBuffers, zipLayout, zipParts } from '../../nodes/FarmProfile/media/zipWriter';

const jpeg = (n: number, size = 100 + n * 37) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(size, n), Buffer.from([0xff, 0xd9])]);
const slides = (count: number) => slideNames(count).map((name, index) => ({ name, data: jpeg(index + 1) }));

function has(command: string): boolean {
	return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** A test that needs a tool of the machine: reported as skipped where the tool is missing. */
const withTool = (command: string) => (has(command) ? it : it.skip);

function writeTemp(zip: Buffer): string {
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'farm-zip-')), 'slides.zip');
	fs.writeFileSync(file, zip);
	return file;
}

/** Reads every entry back from the local headers and checks each CRC, independently of the writer. */
function readStoredEntries(zip: Buffer): Array<{ name: string; data: Buffer }> {
	const entries: Array<{ name: string; data: Buffer }> = [];
	let at = 0;
	while (zip.readUInt32LE(at) === 0x04034b50) {
		expect(zip.readUInt16LE(at + 8)).toBe(0); // stored
		const crc = zip.readUInt32LE(at + 14);
		const size = zip.readUInt32LE(at + 18);
		const nameLength = zip.readUInt16LE(at + 26);
		const extraLength = zip.readUInt16LE(at + 28);
		const name = zip.toString('utf8', at + 30, at + 30 + nameLength);
		const start = at + 30 + nameLength + extraLength;
		const data = zip.subarray(start, start + size);
		expect(zlib.crc32 ? zlib.crc32(data) >>> 0 : crc32(data)).toBe(crc);
		entries.push({ name, data });
		at = start + size;
	}
	return entries;
}

describe('crc32', () => {
	it('is the zip CRC-32, also chunk by chunk', () => {
		expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
		expect(crc32(Buffer.alloc(0))).toBe(0);
		const data = Buffer.from('The quick brown fox jumps over the lazy dog');
		expect(crc32(data.subarray(10), crc32(data.subarray(0, 10)))).toBe(crc32(data));
		expect(crc32(data)).toBe(0x414fa339);
	});
});

describe('zipBuffers', () => {
	it('writes slide-1.jpg, slide-2.jpg, … that the package\'s own zip reader accepts', () => {
		const zip = zipBuffers(slides(12));
		const directory = findCentralDirectory(zip.subarray(-22 - 0xffff))!;
		const names = readEntryNames(zip.subarray(directory.offset, directory.offset + directory.size));
		expect(names).toEqual(slideNames(12));
		expect(checkSlideNames(names)).toBeUndefined();
		expect(readStoredEntries(zip).map((entry) => entry.data)).toEqual(slides(12).map((slide) => slide.data));
	});

	withTool('unzip')('is what unzip reads back, byte for byte, with correct CRCs', () => {
		const input = slides(3);
		const file = writeTemp(zipBuffers(input));
		const listing = execFileSync('unzip', ['-l', file]).toString();
		for (const { name } of input) expect(listing).toContain(name);
		expect(execFileSync('unzip', ['-t', file]).toString()).toContain('No errors detected');
		input.forEach(({ name, data }) => expect(execFileSync('unzip', ['-p', file, name]).equals(data)).toBe(true));
	});

	withTool('python3')('is what Python\'s zipfile reads back (testzip checks every CRC)', () => {
		const file = writeTemp(zipBuffers([{ name: 'slide-1.jpg', data: jpeg(1) }, { name: 'ünï/cödé.jpg', data: jpeg(2) }, { name: 'empty.jpg', data: Buffer.alloc(0) }]));
		const script = 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.testzip()); print("|".join(i.filename + ":" + str(i.file_size) for i in z.infolist()))';
		const [bad, list] = execFileSync('python3', ['-c', script, file]).toString().trim().split('\n');
		expect(bad).toBe('None');
		expect(list).toBe(`slide-1.jpg:${jpeg(1).length}|ünï/cödé.jpg:${jpeg(2).length}|empty.jpg:0`);
	});

	it('writes the same zip for the same slides (fixed entry time)', () => {
		expect(zipBuffers(slides(2)).equals(zipBuffers(slides(2)))).toBe(true);
	});

	it('refuses duplicate, absolute and parent-directory names', () => {
		expect(() => zipBuffers([{ name: 'a.jpg', data: jpeg(1) }, { name: 'a.jpg', data: jpeg(2) }])).toThrow(/Two zip entries/);
		expect(() => zipBuffers([{ name: '/etc/x', data: jpeg(1) }])).toThrow(/usable/);
		expect(() => zipBuffers([{ name: '../x.jpg', data: jpeg(1) }])).toThrow(/usable/);
	});
});

describe('zipParts (streamed)', () => {
	it('produces exactly zipBuffers\' bytes, of the announced size, from streams read twice', async () => {
		const input = slides(5);
		const entries = input.map(({ name, data }) => ({ name, size: data.length, crc32: crc32(data), open: () => Readable.from([data.subarray(0, 7), data.subarray(7)]) }));
		const parts: Buffer[] = [];
		for await (const part of zipParts(entries)) parts.push(part);
		const streamed = Buffer.concat(parts);
		expect(streamed.length).toBe(zipLayout(entries).size);
		expect(streamed.equals(zipBuffers(input))).toBe(true);
	});

	it('fails when a file changed between measuring and writing', async () => {
		const data = jpeg(1);
		const entry = { name: 'slide-1.jpg', size: data.length, crc32: crc32(data), open: () => Readable.from([jpeg(2)]) };
		await expect(async () => {
			for await (const part of zipParts([entry])) void part;
		}).rejects.toThrow(/changed/);
	});
});
