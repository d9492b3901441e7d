import { makeMp4, makeZip } from '../../dev/sandbox/media';
import { isMp4, movieDurationSeconds } from '../../nodes/FarmProfile/media/mp4Header';
import { checkSlideNames, findCentralDirectory, readEntryNames } from '../../nodes/FarmProfile/media/zipEntries';

describe('mp4Header', () => {
	it('recognises an MP4 and reads its duration', () => {
		const video = makeMp4(42.5);
		expect(isMp4(video)).toBe(true);
		expect(movieDurationSeconds(video)).toBeCloseTo(42.5);
	});

	it('finds the movie header at the end of a file that is not fast-start', () => {
		const video = makeMp4(75, { moovAtEnd: true, mdatBytes: 200_000 });
		expect(movieDurationSeconds(video.subarray(0, 64 * 1024))).toBeUndefined();
		expect(movieDurationSeconds(video.subarray(video.length - 1024))).toBeCloseTo(75);
	});

	it('does not take other files for MP4s', () => {
		expect(isMp4(makeZip(['slide-1.jpg']))).toBe(false);
		expect(isMp4(Buffer.from('<html></html>'))).toBe(false);
	});
});

describe('zipEntries', () => {
	it('reads the entry names from the central directory', () => {
		const zip = makeZip(['slide-1.jpg', 'slide-2.jpg']);
		const directory = findCentralDirectory(zip)!;
		expect(readEntryNames(zip.subarray(directory.offset, directory.offset + directory.size))).toEqual(['slide-1.jpg', 'slide-2.jpg']);
	});

	it('has no directory for a file that is not a zip', () => {
		expect(findCentralDirectory(makeMp4(5))).toBeUndefined();
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
