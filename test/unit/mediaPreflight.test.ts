// The preflight against real files served over loopback by the sandbox (HEAD, ranges, redirects).

import { httpMediaFetch, type MediaFetch } from '../../nodes/FarmProfile/media/fetch';
import { preflightMedia, preflightPicture } from '../../nodes/FarmProfile/media/preflight';
import { createFarmSandbox, type FarmSandbox } from '../../dev/sandbox/farmSandbox';
import { makeMp4, makeZip } from '../../dev/sandbox/media';

// Node's fetch standing in for n8n's HTTP helper: one request, redirects not followed.
const fetchMedia: MediaFetch = async ({ method, url, range }) => {
	const response = await fetch(url, { method, redirect: 'manual', headers: range ? { Range: range } : {} });
	return {
		status: response.status,
		headers: Object.fromEntries(response.headers.entries()),
		body: Buffer.from(await response.arrayBuffer()),
	};
};

let farm: FarmSandbox;
beforeAll(async () => {
	farm = await createFarmSandbox().start();
});
afterAll(async () => farm.stop());

const check = (url: string, type: 'video' | 'slideshow') => preflightMedia(fetchMedia, url, type, { allowPrivateHosts: true });

function box(type: string, payload: Buffer): Buffer {
	const header = Buffer.alloc(8);
	header.writeUInt32BE(payload.length + 8, 0);
	header.write(type, 4, 'latin1');
	return Buffer.concat([header, payload]);
}

/** makeMp4's boxes: ftyp, then moov and mdat (fast start). */
function mp4Parts(seconds: number) {
	const file = makeMp4(seconds, { mdatBytes: 100 });
	const moovEnd = 32 + file.readUInt32BE(32);
	return { ftyp: file.subarray(0, 32), moov: file.subarray(32, moovEnd), mdat: file.subarray(moovEnd) };
}

const ranges = () => farm.state.mediaRequests.map((request) => [request.method, request.range]);

describe('video', () => {
	it('passes an MP4 of at most 60 s, reading only its first bytes', async () => {
		farm.reset();
		const url = farm.serveMedia('ok.mp4', { body: makeMp4(59, { mdatBytes: 300_000 }), contentType: 'video/mp4' });
		expect(await check(url, 'video')).toBeUndefined();
		expect(farm.state.mediaRequests.map((r) => [r.method, r.range])).toEqual([
			['HEAD', null],
			['GET', 'bytes=0-65535'],
		]);
	});

	it('refuses a video over 60 s, also when the movie header is at the end', async () => {
		const front = farm.serveMedia('long.mp4', { body: makeMp4(75), contentType: 'video/mp4' });
		const back = farm.serveMedia('long-back.mp4', { body: makeMp4(61.5, { moovAtEnd: true, mdatBytes: 200_000 }), contentType: 'video/mp4' });
		expect((await check(front, 'video'))?.problem).toBe('is 75.0 s long; TikTok posts from the farm take at most 60 s');
		expect((await check(back, 'video'))?.problem).toBe('is 61.5 s long; TikTok posts from the farm take at most 60 s');
	});

	it('refuses a file that is not an MP4, and a type that is not video', async () => {
		const fake = farm.serveMedia('fake.mp4', { body: Buffer.from('not a video at all'), contentType: 'application/octet-stream' });
		const mov = farm.serveMedia('clip.mov', { body: makeMp4(5), contentType: 'video/quicktime' });
		expect((await check(fake, 'video'))?.problem).toContain('is not an MP4 file');
		expect((await check(mov, 'video'))?.problem).toBe('is served as video/quicktime, not as an MP4 (video/mp4)');
	});

	it('falls back to a ranged GET when the host refuses HEAD, and copes with hosts that ignore ranges', async () => {
		const noHead = farm.serveMedia('signed.mp4', { body: makeMp4(20), contentType: 'video/mp4', refuseHead: true });
		const noRange = farm.serveMedia('whole.mp4', { body: makeMp4(80), contentType: 'video/mp4', ignoreRange: true });
		expect(await check(noHead, 'video')).toBeUndefined();
		expect((await check(noRange, 'video'))?.problem).toContain('80.0 s');
	});
});

describe('video: the box walk over ranged reads', () => {
	const HEADER_PROBLEM = {
		problem: 'is an MP4 without a movie header (moov/mvhd), so its length cannot be read',
		fix: 'export the video again as a complete MP4; a partly downloaded or still-recording file has no movie header',
	};

	it('reads an MP4 whose movie header follows the media data from the box after it: two ranged reads', async () => {
		farm.reset();
		const file = makeMp4(61.5, { moovAtEnd: true, mdatBytes: 500_000 });
		const moovAt = file.indexOf('moov', 0, 'latin1') - 4;
		const url = farm.serveMedia('back.mp4', { body: file, contentType: 'video/mp4' });
		expect((await check(url, 'video'))?.problem).toBe('is 61.5 s long; TikTok posts from the farm take at most 60 s');
		expect(ranges()).toEqual([
			['HEAD', null],
			['GET', 'bytes=0-65535'],
			['GET', `bytes=${moovAt}-${moovAt + 65535}`],
		]);
	});

	it('is not fooled by "mvhd" inside the media data, before the real movie header', async () => {
		const { ftyp, moov } = mp4Parts(75);
		const bait = Buffer.alloc(1000);
		bait.write('mvhd', 20, 'latin1'); // a text search would read version 0, timescale 1, duration 1: 1 s
		bait.writeUInt32BE(1, 36);
		bait.writeUInt32BE(1, 40);
		const url = farm.serveMedia('bait.mp4', { body: Buffer.concat([ftyp, box('mdat', bait), moov]), contentType: 'video/mp4' });
		expect((await check(url, 'video'))?.problem).toBe('is 75.0 s long; TikTok posts from the farm take at most 60 s');
	});

	it('refuses an MP4 without a movie header, as the Binary File source does', async () => {
		const { ftyp, mdat } = mp4Parts(10);
		const noMoov = farm.serveMedia('no-moov.mp4', { body: Buffer.concat([ftyp, mdat]), contentType: 'video/mp4' });
		const complete = makeMp4(10, { moovAtEnd: true, mdatBytes: 200_000 }); // cut inside its movie header
		const cutShort = farm.serveMedia('partial.mp4', { body: complete.subarray(0, complete.length - 90), contentType: 'video/mp4' });
		expect(await check(noMoov, 'video')).toEqual(HEADER_PROBLEM);
		expect(await check(cutShort, 'video')).toEqual(HEADER_PROBLEM);
	});

	it('reads the whole answer of a host that ignores Range once, whatever the movie header\'s place', async () => {
		farm.reset();
		const back = farm.serveMedia('whole-back.mp4', { body: makeMp4(61.5, { moovAtEnd: true, mdatBytes: 200_000 }), contentType: 'video/mp4', ignoreRange: true });
		expect((await check(back, 'video'))?.problem).toBe('is 61.5 s long; TikTok posts from the farm take at most 60 s');
		expect(ranges()).toEqual([
			['HEAD', null],
			['GET', 'bytes=0-65535'],
		]);
	});

	it('makes at most 8 ranged reads, however many large boxes precede the movie header', async () => {
		farm.reset();
		const { ftyp, moov } = mp4Parts(20);
		const padding = Array.from({ length: 12 }, () => box('free', Buffer.alloc(70_000)));
		const url = farm.serveMedia('many-boxes.mp4', { body: Buffer.concat([ftyp, ...padding, moov]), contentType: 'video/mp4' });
		expect(await check(url, 'video')).toEqual(HEADER_PROBLEM);
		expect(ranges().filter(([method]) => method === 'GET')).toHaveLength(8);
	});

	it('finds a movie header behind a few large boxes', async () => {
		const { ftyp, moov, mdat } = mp4Parts(20);
		const padding = Array.from({ length: 5 }, () => box('free', Buffer.alloc(70_000)));
		const url = farm.serveMedia('some-boxes.mp4', { body: Buffer.concat([ftyp, ...padding, moov, mdat]), contentType: 'video/mp4' });
		expect(await check(url, 'video')).toBeUndefined();
	});
});

describe('slideshow', () => {
	it('passes a zip of slide-1.jpg … slide-N.jpg from two small reads', async () => {
		farm.reset();
		const url = farm.serveMedia('set.zip', { body: makeZip(['slide-1.jpg', 'slide-2.jpg']), contentType: 'application/zip' });
		expect(await check(url, 'slideshow')).toBeUndefined();
		expect(farm.state.mediaRequests).toHaveLength(2);
	});

	it('names the wrong entry', async () => {
		const png = farm.serveMedia('png.zip', { body: makeZip(['slide-1.png']), contentType: 'application/zip' });
		const gap = farm.serveMedia('gap.zip', { body: makeZip(['slide-1.jpg', 'slide-3.jpg']), contentType: 'application/zip' });
		expect((await check(png, 'slideshow'))?.problem).toContain('"slide-1.png": only .jpg slides are supported');
		expect((await check(gap, 'slideshow'))?.problem).toContain('has no slide-2.jpg');
	});

	it('refuses a file that is not a zip', async () => {
		const url = farm.serveMedia('not.zip', { body: Buffer.from('plain text'), contentType: 'application/zip' });
		expect((await check(url, 'slideshow'))?.problem).toBe('is not a zip file');
	});
});

describe('reachability', () => {
	it('refuses a missing file and a redirect to a login page', async () => {
		const login = farm.serveMedia('login', { body: Buffer.from('<html>Sign in</html>'), contentType: 'text/html' });
		const moved = farm.serveMedia('moved.mp4', { body: Buffer.alloc(0), redirectTo: login });
		expect((await check(`${farm.url}/_media/missing.mp4`, 'video'))?.problem).toBe('answers HTTP 404 instead of the file');
		expect((await check(moved, 'video'))?.problem).toBe('leads to a web page (text/html), not to the file');
	});

	it('follows a redirect to the file', async () => {
		const real = farm.serveMedia('real.mp4', { body: makeMp4(10), contentType: 'video/mp4' });
		const link = farm.serveMedia('short-link', { body: Buffer.alloc(0), redirectTo: real });
		expect(await check(link, 'video')).toBeUndefined();
	});

	it('refuses an empty file', async () => {
		const empty = farm.serveMedia('empty.mp4', { body: Buffer.alloc(0), contentType: 'video/mp4' });
		expect((await check(empty, 'video'))?.problem).toBe('is an empty file');
	});

	it('refuses loopback and private addresses unless posting to a local sandbox', async () => {
		const url = farm.serveMedia('local.mp4', { body: makeMp4(10), contentType: 'video/mp4' });
		expect((await preflightMedia(fetchMedia, url, 'video', { allowPrivateHosts: false }))?.problem).toContain('private or loopback address');
		expect(await preflightMedia(fetchMedia, url, 'video', { allowPrivateHosts: true })).toBeUndefined();
	});

	it('says so when the host cannot be reached at all', async () => {
		expect((await check('http://127.0.0.1:1/a.mp4', 'video'))?.problem).toMatch(/^could not be fetched/);
	});
});

describe('a network failure after the first answer', () => {
	it('is a Media URL problem, not a raw error, for a video and a slideshow', async () => {
		const video = farm.serveMedia('drops.mp4', { body: makeMp4(20), contentType: 'video/mp4' });
		const zip = farm.serveMedia('drops.zip', { body: makeZip(['slide-1.jpg']), contentType: 'application/zip' });
		// HEAD answers; the ranged reads that follow meet a reset connection.
		const dropsRanges: MediaFetch = async (request) => {
			if (request.range) throw new Error('socket hang up');
			return await fetchMedia(request);
		};
		for (const [url, type] of [[video, 'video'], [zip, 'slideshow']] as const) {
			expect(await preflightMedia(dropsRanges, url, type, { allowPrivateHosts: true })).toEqual({
				problem: 'could not be fetched (socket hang up)',
				fix: 'check the address, and that the host is up and reachable from the internet',
			});
		}
	});
});

describe('profile picture', () => {
	const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF avatar '.repeat(400))]);
	const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(3000, 7)]);
	const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.alloc(100)]);
	const look = (url: string) => preflightPicture(fetchMedia, url, { allowPrivateHosts: true });

	it('passes a JPEG and a PNG from their first bytes: a HEAD and one ranged read each', async () => {
		farm.reset();
		const photo = farm.serveMedia('avatar.jpg', { body: jpeg, contentType: 'image/jpeg' });
		const graphic = farm.serveMedia('avatar.png', { body: png, contentType: 'application/octet-stream' });
		expect(await look(photo)).toBeUndefined();
		expect(await look(graphic)).toBeUndefined();
		expect(ranges()).toEqual([
			['HEAD', null],
			['GET', 'bytes=0-65535'],
			['HEAD', null],
			['GET', 'bytes=0-65535'],
		]);
	});

	it('judges by the bytes, not the name or the type: a GIF named .jpg and served as image/jpeg is refused', async () => {
		const fake = farm.serveMedia('avatar-gif.jpg', { body: gif, contentType: 'image/jpeg' });
		expect(await look(fake)).toEqual({ problem: 'is a GIF image, not a JPEG or PNG (checked by its bytes, not its name)', fix: expect.stringContaining('Edit Image') });
	});

	it('refuses another image type, a web page, a missing file and an empty one before reading bytes', async () => {
		const webp = farm.serveMedia('avatar.webp', { body: png, contentType: 'image/webp' });
		const page = farm.serveMedia('profile-page', { body: Buffer.from('<html>Photo</html>'), contentType: 'text/html' });
		const empty = farm.serveMedia('empty.png', { body: Buffer.alloc(0), contentType: 'image/png' });
		expect(await look(webp)).toEqual({ problem: 'is served as image/webp, not as a JPEG or PNG (image/jpeg, image/png)', fix: 'point Picture URL at a JPEG or PNG file' });
		expect((await look(page))?.problem).toBe('leads to a web page (text/html), not to the file');
		expect((await look(`${farm.url}/_media/gone.jpg`))?.problem).toBe('answers HTTP 404 instead of the file');
		expect((await look(empty))?.problem).toBe('is an empty file');
	});

	it('follows redirects by hand, refusing one to plain http on the internet, and private hosts for a farm on the internet', async () => {
		const real = farm.serveMedia('real.png', { body: png, contentType: 'image/png' });
		const link = farm.serveMedia('avatar-link', { body: Buffer.alloc(0), redirectTo: real });
		const downgrade = farm.serveMedia('avatar-http', { body: Buffer.alloc(0), redirectTo: 'http://cdn.example.com/avatar.png' });
		expect(await look(link)).toBeUndefined();
		expect((await look(downgrade))?.problem).toBe('redirects to http:// (cdn.example.com), which the farm will not follow');
		expect((await preflightPicture(fetchMedia, real, { allowPrivateHosts: false }))?.problem).toContain('private or loopback address');
	});
});

describe('httpMediaFetch', () => {
	it("bounds each request by the node's Timeout option", async () => {
		const seen: Array<Record<string, unknown>> = [];
		const ctx = {
			helpers: {
				httpRequest: async (options: Record<string, unknown>) => {
					seen.push(options);
					return { statusCode: 200, headers: {}, body: Buffer.alloc(0) };
				},
			},
		};
		await httpMediaFetch(ctx as never, 7_500)({ method: 'HEAD', url: 'https://cdn.example.com/a.mp4' });
		expect(seen[0]).toMatchObject({ method: 'HEAD', timeout: 7_500, disableFollowRedirect: true });
	});
});
