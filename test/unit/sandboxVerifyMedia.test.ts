// The sandbox farm API's verifyMedia option: on POST /v1/posts it downloads media_url as the farm's
// phone would (GET, redirects followed) and answers 422 for what it cannot fetch or read.

import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';

import { createFarmSandbox, DEFAULT_PROFILES, type FarmSandbox } from '../../dev/sandbox/farmSandbox';
import { makeMp4, makeZip } from '../../dev/sandbox/media';
import { slideNames } from '../../nodes/FarmProfile/media/slideNames';
import { zipBuffers } from '../../nodes/FarmProfile/media/zipWriter';

const KEY = 'sk-verify-media-1';
const READY = DEFAULT_PROFILES.find((p) => p.status === 'ready')!.profile_id;
const jpeg = (n: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(50 + n, n), Buffer.from([0xff, 0xd9])]);
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** A zip whose entries are deflated (method 8), as most zip tools write them. */
function deflatedZip(entries: Array<{ name: string; data: Buffer }>): Buffer {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const { name, data } of entries) {
		const packed = zlib.deflateRawSync(data);
		const nameBytes = Buffer.from(name);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(8, 8);
		local.writeUInt32LE(zlib.crc32(data), 14);
		local.writeUInt32LE(packed.length, 18);
		local.writeUInt32LE(data.length, 22);
		local.writeUInt16LE(nameBytes.length, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt16LE(8, 10);
		central.writeUInt32LE(zlib.crc32(data), 16);
		central.writeUInt32LE(packed.length, 20);
		central.writeUInt32LE(data.length, 24);
		central.writeUInt16LE(nameBytes.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, nameBytes, packed);
		centrals.push(central, nameBytes);
		offset += 30 + nameBytes.length + packed.length;
	}
	const directory = Buffer.concat(centrals);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, directory, end]);
}

let farm: FarmSandbox;
let plain: FarmSandbox;
beforeAll(async () => {
	farm = await createFarmSandbox({ apiKeys: [KEY], callbackDelayMs: 600_000, rateLimit: { limit: 0 }, verifyMedia: true }).start();
	plain = await createFarmSandbox({ apiKeys: [KEY], callbackDelayMs: 600_000, rateLimit: { limit: 0 } }).start();
});
afterAll(async () => {
	await farm.stop();
	await plain.stop();
});
beforeEach(() => farm.reset());

async function post(sandbox: FarmSandbox, mediaType: 'video' | 'slideshow', mediaUrl: string) {
	const response = await fetch(`${sandbox.url}/v1/posts`, {
		method: 'POST',
		headers: { 'X-API-Key': KEY, 'Content-Type': 'application/json' },
		body: JSON.stringify({ profile_id: READY, media_type: mediaType, media_url: mediaUrl, sound_id: '1', title: 't', webhook_url: 'https://n8n.example.com/webhook/x' }),
	});
	return { status: response.status, json: (await response.json()) as { task_id?: string; detail?: Array<{ loc: string[]; msg: string; type: string }> } };
}

function expectRefused(answer: Awaited<ReturnType<typeof post>>, message: RegExp) {
	expect(answer.status).toBe(422);
	expect(answer.json.detail).toEqual([{ loc: ['body', 'media_url'], msg: expect.stringMatching(message), type: 'value_error' }]);
	expect(farm.state.posts).toHaveLength(0);
	expect(farm.state.rejected).toEqual([expect.objectContaining({ status: 422, detail: answer.json.detail })]);
}

describe('sandbox verifyMedia: accepted media, and what it fetched', () => {
	it('an MP4: size, sha256 and kind on the post record', async () => {
		const mp4 = makeMp4(20);
		const answer = await post(farm, 'video', farm.serveMedia('v.mp4', { body: mp4, contentType: 'video/mp4' }));
		expect(answer.status).toBe(200);
		expect(farm.state.posts[0].media).toEqual({ status: 200, size: mp4.length, sha256: sha(mp4), content_type: 'video/mp4', redirects: 0, kind: 'mp4' });
		expect(farm.state.mediaRequests).toEqual([{ method: 'GET', name: 'v.mp4', range: null }]);
	});

	it('a slideshow zip of JPEGs named slide-1.jpg … (stored, as the node writes it), with its entries', async () => {
		const zip = zipBuffers(slideNames(3).map((name, index) => ({ name, data: jpeg(index + 1) })));
		const answer = await post(farm, 'slideshow', farm.serveMedia('s.zip', { body: zip, contentType: 'application/zip' }));
		expect(answer.status).toBe(200);
		expect(farm.state.posts[0].media).toMatchObject({
			size: zip.length,
			sha256: sha(zip),
			kind: 'zip',
			entries: [1, 2, 3].map((n) => ({ name: `slide-${n}.jpg`, size: jpeg(n).length })),
		});
	});

	it('a deflated zip is read too', async () => {
		const zip = deflatedZip(slideNames(2).map((name, index) => ({ name, data: jpeg(index + 1) })));
		const answer = await post(farm, 'slideshow', farm.serveMedia('d.zip', { body: zip, contentType: 'application/zip' }));
		expect(answer.status).toBe(200);
		expect(farm.state.posts[0].media?.entries).toEqual([1, 2].map((n) => ({ name: `slide-${n}.jpg`, size: jpeg(n).length })));
	});

	it('follows redirects, as a phone does', async () => {
		const mp4 = makeMp4(10);
		const target = farm.serveMedia('final.mp4', { body: mp4, contentType: 'video/mp4' });
		const answer = await post(farm, 'video', farm.serveMedia('moved.mp4', { redirectTo: target, body: Buffer.alloc(0) }));
		expect(answer.status).toBe(200);
		expect(farm.state.posts[0].media).toMatchObject({ size: mp4.length, redirects: 1 });
		expect(farm.state.mediaDownloads[0].redirects).toEqual([target]);
	});

	it('is off by default: an unreachable URL is accepted, nothing is downloaded', async () => {
		const answer = await post(plain, 'video', 'https://cdn.example.com/clip.mp4');
		expect(answer.status).toBe(200);
		expect(plain.state.posts[0].media).toBeUndefined();
		expect(plain.state.mediaDownloads).toEqual([]);
	});
});

describe('sandbox verifyMedia: refusals, 422 FastAPI style, no post', () => {
	it('a video that is not an MP4', async () => {
		expectRefused(await post(farm, 'video', farm.serveMedia('x.mp4', { body: jpeg(1), contentType: 'video/mp4' })), /is not an MP4 video/);
	});

	it('a zip whose entries are not named slide-1.jpg, slide-2.jpg, … in order', async () => {
		expectRefused(await post(farm, 'slideshow', farm.serveMedia('png.zip', { body: makeZip(['slide-1.png']) })), /must hold slide-1\.jpg, slide-2\.jpg, … in order; it holds slide-1\.png/);
		farm.reset();
		const swapped = zipBuffers([{ name: 'slide-2.jpg', data: jpeg(2) }, { name: 'slide-1.jpg', data: jpeg(1) }]);
		expectRefused(await post(farm, 'slideshow', farm.serveMedia('swapped.zip', { body: swapped })), /it holds slide-2\.jpg, slide-1\.jpg/);
	});

	it('a slide that is not a JPEG by its bytes (makeZip writes text)', async () => {
		expectRefused(await post(farm, 'slideshow', farm.serveMedia('text.zip', { body: makeZip(['slide-1.jpg', 'slide-2.jpg']) })), /holds slide-1\.jpg, which is not a JPEG image/);
	});

	it('a slideshow that is not a zip', async () => {
		expectRefused(await post(farm, 'slideshow', farm.serveMedia('mp4.zip', { body: makeMp4(5) })), /is not a readable zip archive/);
	});

	it('a link answering 404, or a host refusing connections', async () => {
		expectRefused(await post(farm, 'video', `${farm.url}/_media/missing.mp4`), /could not be downloaded: HTTP 404/);
		farm.reset();
		const closed = createFarmSandbox();
		await closed.start();
		const gone = `${closed.url}/_media/x.mp4`;
		await closed.stop();
		expectRefused(await post(farm, 'video', gone), /could not be downloaded: .*ECONNREFUSED/);
		expect(farm.state.mediaDownloads[0]).toMatchObject({ url: gone, status: null, error: expect.stringContaining('ECONNREFUSED') });
	});
});
