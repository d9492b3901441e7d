import { makeMp4, makeZip } from '../../dev/sandbox/media';
import { checkSlideNames, slideNames } from '../../nodes/FarmProfile/media/slideNames';
import { findCentralDirectory, readEntryNames } from '../../nodes/FarmProfile/media/zipEntries';

describe('zipEntries', () => {
	it('reads the entry names from the central directory', () => {
		const zip = makeZip(['slide-1.jpg', 'slide-2.jpg']);
		const directory = findCentralDirectory(zip)!;
		expect(readEntryNames(zip.subarray(directory.offset, directory.offset + directory.size))).toEqual(['slide-1.jpg', 'slide-2.jpg']);
	});

	it('has no directory for a file that is not a zip', () => {
		expect(findCentralDirectory(makeMp4(5))).toBeUndefined();
	});

	it('reads only the whole entries of a directory that is cut short', () => {
		const zip = makeZip(['slide-1.jpg', 'slide-2.jpg']);
		const listing = zip.subarray(findCentralDirectory(zip)!.offset);
		const first = 46 + 'slide-1.jpg'.length;
		expect(readEntryNames(listing.subarray(0, first + 10))).toEqual(['slide-1.jpg']);
		expect(readEntryNames(listing.subarray(0, first - 1))).toEqual([]);
		expect(readEntryNames(Buffer.alloc(0))).toEqual([]);
	});
});

describe('slideNames', () => {
	it('names the slides the node writes by the rule a zip at a URL is checked against', () => {
		expect(slideNames(3)).toEqual(['slide-1.jpg', 'slide-2.jpg', 'slide-3.jpg']);
		expect(checkSlideNames(slideNames(35))).toBeUndefined();
	});

	it.each([
		[['slide-1.jpg', 'slide-2.jpg', 'slide-3.jpg'], undefined],
		[['slide-2.jpg', 'slide-1.jpg'], undefined],
		[['slides/', 'slide-1.jpg'], undefined],
		[['slide-1.png'], 'holds "slide-1.png": only .jpg slides are supported'],
		[['slide-1.jpg', 'slide-2.avif'], 'holds "slide-2.avif": only .jpg slides are supported'],
		[['slide-1.jpeg'], 'holds "slide-1.jpeg": only .jpg slides are supported'],
		[['slide-1.jpg', 'slide-3.jpg'], 'has no slide-2.jpg'],
		[['slide-2.jpg'], 'has no slide-1.jpg'],
		[['cover.jpg', 'slide-1.jpg'], 'holds "cover.jpg", which is not named slide-<number>.jpg'],
		[['slides/slide-1.jpg'], 'holds "slides/slide-1.jpg", which is not named slide-<number>.jpg'],
		[['slide-01.jpg'], 'holds "slide-01.jpg", which is not named slide-<number>.jpg'],
		[[], 'is a zip with no slides'],
	])('%j → %s', (names, problem) => {
		const result = checkSlideNames(names);
		if (problem === undefined) expect(result).toBeUndefined();
		else expect(result?.problem).toContain(problem);
	});
});
