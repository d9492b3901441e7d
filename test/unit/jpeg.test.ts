import { checkPicture, checkSlideImage } from '../../nodes/FarmProfile/media/jpeg';

const hex = (value: string) => Buffer.from(value.replace(/\s/g, ''), 'hex');
const ascii = (value: string) => Buffer.from(value, 'latin1');

const SAMPLES: Record<string, Buffer> = {
	jpeg: hex('ffd8ffe000104a46494600010101004800480000'),
	jpegExif: hex('ffd8ffe1001845786966000049492a00'),
	png: hex('89504e470d0a1a0a0000000d4948445200000001'),
	webp: Buffer.concat([ascii('RIFF'), hex('24000000'), ascii('WEBPVP8 ')]),
	gif: ascii('GIF89a\x01\x00\x01\x00\x80\x00\x00'),
	avif: Buffer.concat([hex('0000001c'), ascii('ftypavif'), hex('00000000'), ascii('avifmif1miaf')]),
	heic: Buffer.concat([hex('00000018'), ascii('ftypheic'), hex('00000000'), ascii('mif1heic')]),
	bmp: Buffer.concat([ascii('BM'), hex('3a000000000000003600000028000000')]),
	tiff: Buffer.concat([ascii('II*\x00'), hex('08000000')]),
	mp4: Buffer.concat([hex('00000018'), ascii('ftypisom'), hex('00000200'), ascii('isomiso2')]),
	text: ascii('<!DOCTYPE html><html>'),
};

const notJpeg = (what: string) => `is ${what}, not a JPEG (checked by its bytes, not its name)`;

describe('what a slide is, by its first bytes', () => {
	it.each([
		['jpeg', undefined],
		['jpegExif', undefined],
		['png', notJpeg('a PNG image')],
		['webp', notJpeg('a WebP image')],
		['gif', notJpeg('a GIF image')],
		['avif', notJpeg('an AVIF image')],
		['heic', notJpeg('a HEIC/HEIF image')],
		['bmp', notJpeg('a BMP image')],
		['tiff', notJpeg('a TIFF image')],
		['mp4', notJpeg('not an image this node recognises')],
		['text', notJpeg('not an image this node recognises')],
	])('%s → %s', (sample, problem) => {
		expect(checkSlideImage(SAMPLES[sample], 50_000)?.problem).toBe(problem);
	});

	it('needs no more than the first bytes, and is safe on short input', () => {
		expect(checkSlideImage(hex('ffd8ff'), 50_000)).toBeUndefined();
		expect(checkSlideImage(hex('ffd8'), 50_000)?.problem).toBe(notJpeg('not an image this node recognises'));
		expect(checkSlideImage(Buffer.alloc(0), 50_000)?.problem).toBe(notJpeg('not an image this node recognises'));
	});
});

describe('checkSlideImage', () => {
	it('passes a JPEG', () => {
		expect(checkSlideImage(SAMPLES.jpeg, 50_000)).toBeUndefined();
	});

	it('names a PNG or WebP by its bytes and says to convert it with the Edit Image node', () => {
		expect(checkSlideImage(SAMPLES.png)).toEqual({
			problem: 'is a PNG image, not a JPEG (checked by its bytes, not its name)',
			fix: 'convert it with the Edit Image node to JPEG (Operation: Resize or any other, Options → Format: jpeg) before this node',
		});
		expect(checkSlideImage(SAMPLES.webp)?.problem).toBe('is a WebP image, not a JPEG (checked by its bytes, not its name)');
		expect(checkSlideImage(SAMPLES.avif)?.problem).toMatch(/^is an AVIF image/);
		expect(checkSlideImage(SAMPLES.text)?.problem).toBe('is not an image this node recognises, not a JPEG (checked by its bytes, not its name)');
	});

	it('refuses an empty slide, and one over 20 MB', () => {
		const twentyMb = 20 * 1024 * 1024;
		expect(checkSlideImage(Buffer.alloc(0), 0)?.problem).toBe('is empty (0 bytes)');
		expect(checkSlideImage(SAMPLES.jpeg, twentyMb)).toBeUndefined();
		expect(checkSlideImage(SAMPLES.jpeg, twentyMb + 1)?.problem).toBe('is 20.0 MB; a slide may be at most 20 MB');
	});
});

describe('what a profile picture is, by its first bytes', () => {
	it.each([
		['jpeg', { contentType: 'image/jpeg', extension: 'jpg' }],
		['jpegExif', { contentType: 'image/jpeg', extension: 'jpg' }],
		['png', { contentType: 'image/png', extension: 'png' }],
	])('%s is taken, stored as %j', (sample, format) => {
		expect(checkPicture(SAMPLES[sample], 50_000)).toEqual({ ok: true, format });
	});

	it.each([
		['webp', 'is a WebP image, not a JPEG or PNG (checked by its bytes, not its name)'],
		['gif', 'is a GIF image, not a JPEG or PNG (checked by its bytes, not its name)'],
		['heic', 'is a HEIC/HEIF image, not a JPEG or PNG (checked by its bytes, not its name)'],
		['mp4', 'is not an image this node recognises, not a JPEG or PNG (checked by its bytes, not its name)'],
	])('%s is refused with what it is and how to convert it', (sample, problem) => {
		const checked = checkPicture(SAMPLES[sample], 50_000);
		expect(checked).toEqual({ ok: false, problem: { problem, fix: expect.stringContaining('Edit Image node to JPEG or PNG') } });
	});

	it('refuses an empty file, and sets no size limit the API does not state', () => {
		expect(checkPicture(Buffer.alloc(0))).toMatchObject({ ok: false, problem: { problem: 'is empty (0 bytes)' } });
		expect(checkPicture(SAMPLES.png, 500 * 1024 * 1024)).toMatchObject({ ok: true });
	});
});
