import { checkMediaExtension, checkNotEmpty, checkPublicUrl, checkUuid } from '../../nodes/FarmProfile/posting/checks';
import { isLoopbackHost, isPrivateHost, isPrivateUrl } from '../../nodes/shared/addresses';

describe('checkPublicUrl', () => {
	it.each(['https://cdn.example.com/a.mp4', 'https://cdn.example.com/a.mp4?X-Amz-Signature=abc'])(
		'accepts %s',
		(url) => expect(checkPublicUrl(url, 'the media file')).toBeUndefined(),
	);

	it.each(['http://localhost:5678/webhook/x', 'http://127.0.0.1/x', 'http://[::1]:80/x', 'http://n8n.localhost/x'])(
		'accepts plain http to the loopback host %s',
		(url) => expect(checkPublicUrl(url, 'x')).toBeUndefined(),
	);

	it('refuses plain http to a public host, and says how to fix it', () => {
		expect(checkPublicUrl('http://cdn.example.com/a.mp4', 'the media file')).toEqual({
			problem: 'uses http://',
			fix: expect.stringContaining('use https://'),
		});
	});

	it('refuses relative, empty and non-web URLs', () => {
		expect(checkPublicUrl('/clips/a.mp4', 'the media file')?.problem).toBe('is not an absolute URL');
		expect(checkPublicUrl('', 'the media file')?.problem).toBe('is empty');
		expect(checkPublicUrl('ftp://cdn.example.com/a.mp4', 'the media file')?.problem).toBe(
			'uses ftp://, not https://',
		);
	});
});

describe('isPrivateHost and isPrivateUrl', () => {
	it.each([
		['10.1.2.3', true],
		['172.20.0.1', true],
		['192.168.1.10', true],
		['[fd00::1]', true],
		['n8n.internal', true],
		['cdn.example.com', false],
		['172.32.0.1', false],
	])('host %s is private: %s', (host, expected) => expect(isPrivateHost(host)).toBe(expected));

	it.each([
		['http://127.0.0.1:4010', true],
		['http://localhost:5678/webhook-waiting/1', true],
		['https://api.algorhythm.app', false],
		['not a url', false],
	])('URL %s is private: %s', (url, expected) => expect(isPrivateUrl(url)).toBe(expected));
});

describe('isLoopbackHost', () => {
	it('knows loopback from look-alikes', () => {
		expect(isLoopbackHost('127.8.9.10')).toBe(true);
		expect(isLoopbackHost('localhost')).toBe(true);
		expect(isLoopbackHost('localhost.example.com')).toBe(false);
		expect(isLoopbackHost('10.0.0.1')).toBe(false);
		expect(isLoopbackHost('127.0.0.1.nip.io')).toBe(false);
	});
});

describe('checkUuid', () => {
	it('accepts a UUID in either case', () => {
		expect(checkUuid('5b0c8a4e-2f61-4c3a-9d0e-7a1b2c3d4e5f')).toBeUndefined();
		expect(checkUuid('5B0C8A4E-2F61-4C3A-9D0E-7A1B2C3D4E5F')).toBeUndefined();
	});

	it('refuses a name or username with a fix that says what to copy', () => {
		const problem = checkUuid('rita.ready');
		expect(problem?.problem).toBe('is not a UUID');
		expect(problem?.fix).toContain('profile_id');
	});
});

describe('checkNotEmpty', () => {
	it('flags only the empty string', () => {
		expect(checkNotEmpty('', 'the title')?.problem).toBe('is empty');
		expect(checkNotEmpty('x', 'the title')).toBeUndefined();
	});
});

describe('checkMediaExtension', () => {
	it('accepts matching extensions, in any case', () => {
		expect(checkMediaExtension('https://cdn.example.com/a.MP4', 'video')).toBeUndefined();
		expect(checkMediaExtension('https://cdn.example.com/set.zip', 'slideshow')).toBeUndefined();
	});

	it('does not judge URLs without an obvious extension (signed or extension-less links)', () => {
		expect(checkMediaExtension('https://cdn.example.com/download?id=42', 'video')).toBeUndefined();
		expect(checkMediaExtension('https://cdn.example.com/v1.2/blob', 'slideshow')).toBeUndefined();
	});

	it('refuses a zip as video and an mp4 as slideshow, pointing at the other type', () => {
		expect(checkMediaExtension('https://cdn.example.com/set.zip', 'video')?.fix).toContain('Slideshow');
		expect(checkMediaExtension('https://cdn.example.com/a.mp4', 'slideshow')?.fix).toContain('Video');
	});

	it('refuses other media formats with a conversion hint', () => {
		expect(checkMediaExtension('https://cdn.example.com/a.mov', 'video')?.problem).toBe(
			'ends in .mov, but Media Type is Video (an MP4)',
		);
		expect(checkMediaExtension('https://cdn.example.com/slide-1.png', 'slideshow')?.fix).toContain('JPGs');
	});
});
