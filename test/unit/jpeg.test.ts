import { MAX_SLIDE_BYTES, checkSlideImage, detectImageFormat, isJpeg } from '../../nodes/FarmProfile/media/jpeg';

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

describe('detectImageFormat', () => {
	it.each([
		['jpeg', 'jpeg'],
		['jpegExif', 'jpeg'],
		['png', 'png'],
		['webp', 'webp'],
		['gif', 'gif'],
		['avif', 'avif'],
		['heic', 'heic'],
		['bmp', 'bmp'],
		['tiff', 'tiff'],
		['mp4', undefined],
		['text', undefined],
	])('%s → %s', (sample, format) => {
		expect(detectImageFormat(SAMPLES[sample])).toBe(format);
	});

	it('needs no more than the first bytes, and is safe on short input', () => {
		expect(isJpeg(hex('ffd8ff'))).toBe(true);
		expect(isJpeg(hex('ffd8'))).toBe(false);
		expect(detectImageFormat(Buffer.alloc(0))).toBeUndefined();
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

	it('refuses an empty or too large slide', () => {
		expect(checkSlideImage(Buffer.alloc(0), 0)?.problem).toBe('is empty (0 bytes)');
		expect(checkSlideImage(SAMPLES.jpeg, MAX_SLIDE_BYTES + 1)?.problem).toMatch(/at most 20 MB/);
	});
});
