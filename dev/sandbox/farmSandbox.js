'use strict';
// A sandbox of the farm API on loopback, faithful to the vendor's documented behaviour
// (the vendor's API reference for POST /v1/posts, and what else is known of the API): X-API-Key auth, FastAPI-style errors,
// 404/409 by profile, a rolling per-key rate limit shared by every endpoint, and the post.published
// callback sent to the webhook_url exactly as given; GET /v1/sources (the team's sounds and hashtags,
// cursor pages) and PATCH /v1/farm-profiles/{id} (bio and picture). Plain Node, no dependencies: used
// by the tests, the benchmark and `npm start`.

const crypto = require('node:crypto');
const { makeImage, makeMp4, makeZip } = require('./media');
const http = require('node:http');
const https = require('node:https');
const zlib = require('node:zlib');

const MAX_TIMER_MS = 2 ** 31 - 1;

const DEFAULT_PROFILES = [
	{ profile_id: '5b0c8a4e-2f61-4c3a-9d0e-7a1b2c3d4e5f', profile_name: 'Ready Rita', phone_id: 'phone-ready-1', status: 'ready', tiktok_username: 'rita.ready' },
	{ profile_id: '7d3e1f20-8a4b-4c6d-9e0f-1a2b3c4d5e6f', profile_name: 'Ready Rob', phone_id: 'phone-ready-2', status: 'ready', tiktok_username: 'rob.ready' },
	{ profile_id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', profile_name: 'Warming Wes', phone_id: 'phone-warming-1', status: 'warming', tiktok_username: 'wes.warming' },
	{ profile_id: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', profile_name: 'Cold Cat', phone_id: 'phone-cold-1', status: 'cold', tiktok_username: 'cat.cold' },
	{ profile_id: '2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b', profile_name: 'Failed Fay', phone_id: 'phone-failed-1', status: 'failed', tiktok_username: 'fay.failed' },
	// Three more ready profiles: with Rita and Rob, the five-profile pool of the Post Across Profiles example.
	{ profile_id: '3f4a5b6c-7d8e-4f9a-8b1c-2d3e4f5a6b7c', profile_name: 'Ready Rae', phone_id: 'phone-ready-3', status: 'ready', tiktok_username: 'rae.ready' },
	{ profile_id: '4a5b6c7d-8e9f-4a1b-9c2d-3e4f5a6b7c8d', profile_name: 'Ready Ravi', phone_id: 'phone-ready-4', status: 'ready', tiktok_username: 'ravi.ready' },
	{ profile_id: '5b6c7d8e-9f1a-4b2c-8d3e-4f5a6b7c8d9e', profile_name: 'Ready Rosa', phone_id: 'phone-ready-5', status: 'ready', tiktok_username: 'rosa.ready' },
];

// The team's indexed sources. The vendor documents each item as "enriched with title, status and
// post/creator counts" without naming the fields; the sandbox answers in the shape the node's README
// names (the node reads other names too).
const DEFAULT_SOURCES = [
	{ source_id: '7216519837462889218', source_type: 'sound', title: 'Morning lo-fi', status: 'active', post_count: 1284, creator_count: 311 },
	{ source_id: '7301188245530151682', source_type: 'sound', title: 'Coffee shop jazz', status: 'active', post_count: 542, creator_count: 120 },
	{ source_id: '7154401962836821765', source_type: 'sound', title: 'Sunrise acoustic', status: 'active', post_count: 97, creator_count: 31 },
	{ source_id: 'morningroutine', source_type: 'hashtag', title: 'morningroutine', status: 'active', post_count: 90211, creator_count: 15022 },
	{ source_id: '7289034411276405506', source_type: 'sound', title: 'Rainy window ambience', status: 'active', post_count: 2210, creator_count: 604 },
	{ source_id: '7012345678901234567', source_type: 'sound', title: 'Upbeat ukulele', status: 'paused', post_count: 1, creator_count: 1 },
	{ source_id: 'slowliving', source_type: 'hashtag', title: 'slowliving', status: 'active', post_count: 30412, creator_count: 7110 },
];

const DEFAULTS = {
	host: '127.0.0.1',
	port: 0,
	apiKeys: ['sandbox-key'],
	profiles: DEFAULT_PROFILES,
	/** What GET /v1/sources lists, in order (sounds and hashtags). */
	sources: DEFAULT_SOURCES,
	/**
	 * Which profiles each key's team owns ({ key: [profile_id, …] }): PATCH to another team's profile
	 * answers 403. Unset: every key may change every profile (the sandbox knows no teams).
	 */
	teams: undefined,
	/** The longest bio PATCH accepts: the sandbox's own choice (TikTok's is 80); the vendor documents none. */
	maxBioLength: 80,
	/** Requests allowed per key in a rolling window; `limit: 0` turns the limit off. */
	rateLimit: { limit: 30, windowMs: 60_000 },
	/** Send a Retry-After header (seconds) with 429s. The vendor documents none, so off by default. */
	retryAfter: false,
	/** How long after the post (or its execute_at) the post.published callback goes out. */
	callbackDelayMs: 2_000,
	/** Whether plain http:// URLs to loopback hosts are accepted (n8n runs on loopback in tests). */
	allowHttpLoopback: true,
	/**
	 * Download media_url on POST /v1/posts as the farm's phone would (GET, redirects followed) and
	 * refuse with 422 what it cannot fetch or read: a video must be an MP4 (ftyp at offset 4), a
	 * slideshow a zip of exactly slide-1.jpg, slide-2.jpg, … each a JPEG by its bytes; likewise
	 * profile_picture_url on PATCH /v1/farm-profiles/{id}, which must be a JPEG or PNG. Off by default:
	 * many tests post example URLs nobody serves.
	 */
	verifyMedia: false,
	log: () => {},
};

function createFarmSandbox(options = {}) {
	const config = { ...DEFAULTS, ...options, rateLimit: { ...DEFAULTS.rateLimit, ...options.rateLimit } };
	const profiles = new Map(config.profiles.map((profile) => [profile.profile_id, { ...profile }]));
	const state = { posts: [], profileUpdates: [], rejected: [], callbacks: [], records: [], mediaRequests: [], mediaDownloads: [], requests: 0 };
	const faults = [];
	// Files served at /_media/<name>, standing in for the user's CDN (the playground's sample media).
	const media = new Map([
		['morning-routine.mp4', { body: makeMp4(15), contentType: 'video/mp4' }],
		['morning-set.zip', { body: makeZip(['slide-1.jpg', 'slide-2.jpg', 'slide-3.jpg']), contentType: 'application/zip' }],
		['avatar-rita.jpg', { body: makeImage('jpeg', 'Rita'), contentType: 'image/jpeg' }],
		['avatar-rob.png', { body: makeImage('png', 'Rob'), contentType: 'image/png' }],
	]);
	const windows = new Map();
	const timers = new Set();
	const sockets = new Set();
	let taskCounter = 0;

	const server = http.createServer((req, res) => {
		handle(req, res).catch((error) => {
			config.log(`sandbox error: ${error.stack}`);
			if (!res.headersSent) send(res, 500, { detail: 'Internal Server Error' });
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	async function handle(req, res) {
		const url = new URL(req.url, 'http://sandbox');
		const raw = await readBody(req);
		if (url.pathname.startsWith('/_sandbox/')) return control(url, raw, res);
		if (url.pathname.startsWith('/_media/')) return serveMedia(req, res, decodeURIComponent(url.pathname.slice('/_media/'.length)));
		state.requests++;

		const fault = takeFault(url.pathname);
		if (fault && fault.mode === 'drop') return req.socket.destroy();
		if (fault && fault.mode === 'slow') await delay(fault.delayMs ?? 5_000);

		const key = req.headers['x-api-key'];
		if (typeof key !== 'string' || !config.apiKeys.includes(key)) {
			return send(res, 401, { detail: 'Invalid or missing API key' });
		}
		const limited = rateLimited(key);
		if (limited) {
			const headers = config.retryAfter ? { 'Retry-After': String(limited) } : {};
			return send(res, 429, { detail: `Rate limit exceeded: ${config.rateLimit.limit} requests per minute per team` }, headers);
		}
		if (fault && fault.mode === 'status') return send(res, fault.status, fault.body ?? { detail: 'Injected' });
		if (fault && fault.mode === 'html') {
			res.writeHead(fault.status ?? 502, { 'Content-Type': 'text/html' });
			return res.end('<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>');
		}

		if (req.method === 'GET' && url.pathname === '/v1/sources') return sources(url, res);
		if (req.method === 'POST' && url.pathname === '/v1/posts') return createPost(raw, res, fault);
		const profilePath = /^\/v1\/farm-profiles\/([^/]+)$/.exec(url.pathname);
		if (req.method === 'PATCH' && profilePath) return updateProfile(decodeURIComponent(profilePath[1]), key, raw, res);
		return send(res, 404, { detail: 'Not Found' });
	}

	/** GET /v1/sources?source_type=&limit=&cursor=: a page of the team's sources and where the next starts. */
	function sources(url, res) {
		const errors = [];
		const fail = (field, msg, type) => errors.push({ loc: ['query', field], msg, type });
		const type = url.searchParams.get('source_type');
		if (type !== null && !['sound', 'hashtag'].includes(type)) fail('source_type', "Input should be 'sound' or 'hashtag'", 'enum');
		const limitText = url.searchParams.get('limit');
		const limit = limitText === null ? 20 : Number(limitText);
		if (!Number.isInteger(limit)) fail('limit', 'Input should be a valid integer', 'int_parsing');
		else if (limit < 1) fail('limit', 'Input should be greater than or equal to 1', 'greater_than_equal');
		else if (limit > 100) fail('limit', 'Input should be less than or equal to 100', 'less_than_equal');
		const cursor = url.searchParams.get('cursor');
		const offset = cursor === null ? 0 : Number(Buffer.from(cursor, 'base64url').toString('utf8').replace(/^offset:/, '') || NaN);
		if (!Number.isInteger(offset) || offset < 0) fail('cursor', 'Invalid cursor', 'value_error');
		if (errors.length > 0) {
			state.rejected.push({ status: 422, body: Object.fromEntries(url.searchParams), detail: errors });
			return send(res, 422, { detail: errors });
		}
		const listed = config.sources.filter((source) => type === null || source.source_type === type);
		const page = listed.slice(offset, offset + limit);
		const more = offset + limit < listed.length;
		return send(res, 200, { sources: page, has_more: more, next_cursor: more ? Buffer.from(`offset:${offset + limit}`).toString('base64url') : null });
	}

	/** PATCH /v1/farm-profiles/{id}: sets bio and/or profile_picture_url; answers the farm profile object. */
	async function updateProfile(profileId, key, raw, res) {
		let body;
		try {
			body = JSON.parse(raw.toString('utf8'));
		} catch {
			return send(res, 400, { detail: 'There was an error parsing the body' });
		}
		const errors = validateProfileUpdate(profileId, body);
		const reject = (status, detail) => {
			state.rejected.push({ status, body, ...(Array.isArray(detail) ? { detail } : {}) });
			return send(res, status, { detail });
		};
		if (errors.length > 0) return reject(422, errors);
		const profile = profiles.get(profileId);
		if (!profile) return reject(404, 'Farm profile not found');
		if (config.teams && !(config.teams[key] ?? []).includes(profileId)) return reject(403, 'Farm profile belongs to another team');
		let picture;
		if (config.verifyMedia && body.profile_picture_url !== undefined) {
			const verdict = await verifyPicture(body.profile_picture_url);
			if (verdict.error) return reject(422, [{ loc: ['body', 'profile_picture_url'], msg: verdict.error, type: 'value_error' }]);
			picture = verdict.picture;
		}
		if (body.bio !== undefined) profile.bio = body.bio;
		if (body.profile_picture_url !== undefined) profile.profile_picture_url = body.profile_picture_url;
		state.profileUpdates.push({ profile_id: profileId, body, received_at: new Date().toISOString(), ...(picture ? { picture } : {}) });
		return send(res, 200, profileObject(profile));
	}

	function validateProfileUpdate(profileId, body) {
		const errors = [];
		const fail = (loc, msg, type) => errors.push({ loc, msg, type });
		if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(profileId)) {
			fail(['path', 'profile_id'], 'Input should be a valid UUID', 'uuid_parsing');
		}
		if (typeof body !== 'object' || body === null || Array.isArray(body)) {
			fail(['body'], 'Input should be a valid dictionary', 'dict_type');
			return errors;
		}
		if (body.bio !== undefined) {
			if (typeof body.bio !== 'string') fail(['body', 'bio'], 'Input should be a valid string', 'string_type');
			else if (body.bio.length > config.maxBioLength) {
				fail(['body', 'bio'], `String should have at most ${config.maxBioLength} characters`, 'string_too_long');
			}
		}
		if (body.profile_picture_url !== undefined) {
			if (typeof body.profile_picture_url !== 'string') fail(['body', 'profile_picture_url'], 'Input should be a valid string', 'string_type');
			else if (!acceptableUrl(body.profile_picture_url)) fail(['body', 'profile_picture_url'], 'URL scheme should be https', 'url_scheme');
		}
		if (body.bio === undefined && body.profile_picture_url === undefined) {
			fail(['body'], 'Give bio, profile_picture_url or both', 'value_error');
		}
		return errors;
	}

	/** What the farm does with profile_picture_url: downloads it and opens it as a JPEG or PNG. */
	async function verifyPicture(pictureUrl) {
		const fetched = await downloadAsFarm(pictureUrl, 'profile_picture_url');
		if (fetched.error) return fetched;
		const { data, media } = fetched;
		const jpeg = data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff;
		const png = data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
		if (!jpeg && !png) return { error: 'profile_picture_url is not a JPEG or PNG image' };
		return { picture: { ...media, kind: jpeg ? 'jpeg' : 'png' } };
	}

	/**
	 * Downloads `url` whole, as the farm does, recording it in state.mediaDownloads. Resolves with
	 * { data, media } (the bytes and what was fetched) or { error } (the 422 message, naming `field`).
	 */
	async function downloadAsFarm(url, field) {
		const download = { url, status: null, size: null, error: null, redirects: [] };
		state.mediaDownloads.push(download);
		let fetched;
		try {
			fetched = await download_(url, download.redirects);
		} catch (error) {
			download.error = error.message;
			return { error: `${field} could not be downloaded: ${error.message}` };
		}
		download.status = fetched.status;
		download.size = fetched.body.length;
		if (fetched.status !== 200) return { error: `${field} could not be downloaded: HTTP ${fetched.status}` };
		const data = fetched.body;
		const media = {
			status: fetched.status,
			size: data.length,
			sha256: crypto.createHash('sha256').update(data).digest('hex'),
			content_type: fetched.contentType,
			redirects: download.redirects.length,
		};
		return { data, media };
	}

	async function createPost(raw, res, fault) {
		let body;
		try {
			body = JSON.parse(raw.toString('utf8'));
		} catch {
			return send(res, 400, { detail: 'There was an error parsing the body' });
		}
		const errors = validatePost(body);
		if (errors.length > 0) {
			state.rejected.push({ status: 422, body });
			return send(res, 422, { detail: errors });
		}
		const profile = profiles.get(body.profile_id);
		if (!profile) {
			state.rejected.push({ status: 404, body });
			return send(res, 404, { detail: 'Farm profile not found' });
		}
		if (profile.status !== 'ready') {
			state.rejected.push({ status: 409, body });
			return send(res, 409, { detail: `Farm profile is not ready (status: ${profile.status})` });
		}
		let media;
		if (config.verifyMedia) {
			const verdict = await verifyMedia(body.media_url, body.media_type);
			if (verdict.error) {
				const detail = [{ loc: ['body', 'media_url'], msg: verdict.error, type: 'value_error' }];
				state.rejected.push({ status: 422, body, detail });
				return send(res, 422, { detail });
			}
			media = verdict.media;
		}
		const taskId = `task_${String(++taskCounter).padStart(5, '0')}_${crypto.randomBytes(3).toString('hex')}`;
		const post = { task_id: taskId, body, received_at: new Date().toISOString(), ...(media ? { media } : {}) };
		state.posts.push(post);
		scheduleCallback(post, profile);
		// A 502 after queuing: the post goes up although the client sees a failure (the API reference's warning).
		if (fault && fault.mode === '502') return send(res, 502, { detail: 'Bad Gateway' });
		return send(res, 200, { task_id: taskId });
	}

	function validatePost(body) {
		const errors = [];
		const fail = (field, msg, type) => errors.push({ loc: ['body', field], msg, type });
		if (typeof body !== 'object' || body === null || Array.isArray(body)) {
			return [{ loc: ['body'], msg: 'Input should be a valid dictionary', type: 'dict_type' }];
		}
		for (const field of ['profile_id', 'media_type', 'media_url', 'sound_id', 'title', 'webhook_url']) {
			if (body[field] === undefined) fail(field, 'Field required', 'missing');
			else if (typeof body[field] !== 'string') fail(field, 'Input should be a valid string', 'string_type');
		}
		if (typeof body.media_type === 'string' && !['video', 'slideshow'].includes(body.media_type)) {
			fail('media_type', "Input should be 'video' or 'slideshow'", 'enum');
		}
		for (const field of ['media_url', 'webhook_url']) {
			if (typeof body[field] === 'string' && !acceptableUrl(body[field])) {
				fail(field, 'URL scheme should be https', 'url_scheme');
			}
		}
		if (body.is_live !== undefined && typeof body.is_live !== 'boolean') {
			fail('is_live', 'Input should be a valid boolean', 'bool_type');
		}
		if (body.description !== undefined && typeof body.description !== 'string') {
			fail('description', 'Input should be a valid string', 'string_type');
		}
		if (body.execute_at !== undefined && body.execute_at !== null) {
			if (!Number.isInteger(body.execute_at)) fail('execute_at', 'Input should be a valid integer', 'int_type');
			else if (body.execute_at <= Date.now()) fail('execute_at', 'execute_at must be in the future', 'value_error');
		}
		return errors;
	}

	/**
	 * What the farm's phone does with media_url: downloads it whole and opens it. Resolves with
	 * { media } (what was fetched) or { error } (the 422 message).
	 */
	async function verifyMedia(mediaUrl, mediaType) {
		const fetched = await downloadAsFarm(mediaUrl, 'media_url');
		if (fetched.error) return fetched;
		const { data, media } = fetched;
		if (mediaType === 'video') {
			if (data.length < 8 || data.toString('latin1', 4, 8) !== 'ftyp') {
				return { error: 'media_url is not an MP4 video: no ftyp box at the start of the file' };
			}
			return { media: { ...media, kind: 'mp4' } };
		}
		const zip = readZip(data);
		if (zip.error) return { error: `media_url is not a readable zip archive: ${zip.error}` };
		const names = zip.entries.map((entry) => entry.name);
		const expected = names.map((_, index) => `slide-${index + 1}.jpg`);
		if (names.length === 0 || names.join('\n') !== expected.join('\n')) {
			return { error: `media_url must hold slide-1.jpg, slide-2.jpg, … in order; it holds ${names.length ? names.join(', ') : 'nothing'}` };
		}
		for (const entry of zip.entries) {
			if (entry.data.length < 3 || entry.data[0] !== 0xff || entry.data[1] !== 0xd8 || entry.data[2] !== 0xff) {
				return { error: `media_url holds ${entry.name}, which is not a JPEG image` };
			}
		}
		return { media: { ...media, kind: 'zip', entries: zip.entries.map((entry) => ({ name: entry.name, size: entry.data.length })) } };
	}

	/** GET, following up to 5 redirects; the whole body. */
	function download_(target, redirects) {
		return new Promise((resolve, reject) => {
			let url;
			try {
				url = new URL(target);
			} catch {
				return reject(new Error('not a URL'));
			}
			if (url.protocol !== 'http:' && url.protocol !== 'https:') return reject(new Error(`unsupported scheme ${url.protocol}`));
			const client = url.protocol === 'https:' ? https : http;
			const req = client.get(url, { timeout: 15_000, headers: { 'User-Agent': 'farm-phone-sandbox/1.0' } }, (res) => {
				const location = res.headers.location;
				if ([301, 302, 303, 307, 308].includes(res.statusCode) && location) {
					res.resume();
					if (redirects.length >= 5) return reject(new Error('too many redirects'));
					const next = new URL(location, url).toString();
					redirects.push(next);
					return download_(next, redirects).then(resolve, reject);
				}
				const chunks = [];
				res.on('data', (chunk) => chunks.push(chunk));
				res.on('end', () => resolve({ status: res.statusCode, contentType: res.headers['content-type'] ?? null, body: Buffer.concat(chunks) }));
				res.on('error', reject);
			});
			req.on('timeout', () => req.destroy(new Error('timed out')));
			req.on('error', reject);
		});
	}

	function acceptableUrl(value) {
		try {
			const url = new URL(value);
			if (url.protocol === 'https:') return true;
			return config.allowHttpLoopback && url.protocol === 'http:' && /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname);
		} catch {
			return false;
		}
	}

	function rateLimited(key) {
		const { limit, windowMs } = config.rateLimit;
		if (!limit) return 0;
		const now = Date.now();
		const recent = (windows.get(key) ?? []).filter((at) => at > now - windowMs);
		windows.set(key, recent);
		if (recent.length >= limit) return Math.max(1, Math.ceil((recent[0] + windowMs - now) / 1000));
		recent.push(now);
		return 0;
	}

	function scheduleCallback(post, profile) {
		const dueAt = (post.body.execute_at ?? Date.now()) + config.callbackDelayMs;
		// Node timers hold at most ~24.8 days; a post scheduled further out never calls back here.
		if (dueAt - Date.now() > MAX_TIMER_MS) return;
		const timer = setTimeout(() => {
			timers.delete(timer);
			const payload = {
				event: 'post.published',
				phone_id: profile.phone_id,
				post_url: `https://www.tiktok.com/@${profile.tiktok_username}/video/${7300000000000000000n + BigInt(taskCounter)}`,
			};
			deliver(post, payload);
		}, Math.max(0, dueAt - Date.now()));
		timer.unref();
		timers.add(timer);
	}

	// Fire-and-forget, no retries, exactly as the vendor documents.
	function deliver(post, payload) {
		const record = { task_id: post.task_id, url: post.body.webhook_url, payload, sent_at: new Date().toISOString(), status: null, error: null };
		state.callbacks.push(record);
		let target;
		try {
			target = new URL(post.body.webhook_url);
		} catch (error) {
			record.error = error.message;
			return;
		}
		const client = target.protocol === 'https:' ? https : http;
		const data = JSON.stringify(payload);
		const req = client.request(target, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) }, timeout: 10_000 }, (res) => {
			record.status = res.statusCode;
			res.resume();
		});
		req.on('error', (error) => {
			record.error = error.message;
		});
		req.on('timeout', () => req.destroy(new Error('callback timed out')));
		req.end(data);
	}

	function serveMedia(req, res, name) {
		// generated-<n>.mp4: a distinct clip per n, standing in for a generator's output.
		const generated = /^generated-(\d{1,3})\.mp4$/.exec(name);
		const file = media.get(name) ?? (generated ? { body: makeMp4(5 + (Number(generated[1]) % 50)), contentType: 'video/mp4' } : undefined);
		state.mediaRequests.push({ method: req.method, name, range: req.headers.range ?? null });
		if (!file) return send(res, 404, { detail: 'Not Found' });
		if (file.redirectTo) {
			res.writeHead(302, { Location: file.redirectTo });
			return res.end();
		}
		if (req.method === 'HEAD' && file.refuseHead) {
			res.writeHead(405);
			return res.end();
		}
		const total = file.body.length;
		let start = 0;
		let end = total - 1;
		const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
		if (range && !file.ignoreRange) {
			if (range[1] === '') start = Math.max(0, total - Number(range[2]));
			else {
				start = Number(range[1]);
				if (range[2] !== '') end = Math.min(end, Number(range[2]));
			}
		}
		const partial = Boolean(range) && !file.ignoreRange;
		const headers = { 'Content-Type': file.contentType, 'Content-Length': end - start + 1, 'Accept-Ranges': 'bytes' };
		if (partial) headers['Content-Range'] = `bytes ${start}-${end}/${total}`;
		res.writeHead(partial ? 206 : 200, headers);
		res.end(req.method === 'HEAD' ? undefined : file.body.subarray(start, end + 1));
	}

	function takeFault(pathname) {
		const index = faults.findIndex((fault) => !fault.path || fault.path === pathname);
		if (index === -1) return undefined;
		const fault = faults[index];
		fault.count -= 1;
		if (fault.count <= 0) faults.splice(index, 1);
		return fault;
	}

	function control(url, raw, res) {
		const body = raw.length ? JSON.parse(raw.toString('utf8')) : {};
		switch (url.pathname) {
			case '/_sandbox/state':
				return send(res, 200, { ...state, profiles: [...profiles.values()], faults });
			case '/_sandbox/records':
				// A place for example and test workflows to write what they saw (the playground's "record" step).
				state.records.push({ at: new Date().toISOString(), body });
				return send(res, 200, { recorded: state.records.length });
			case '/_sandbox/faults':
				api.injectFault(body);
				return send(res, 200, { faults });
			case '/_sandbox/reset':
				api.reset();
				return send(res, 200, { reset: true });
			case '/_sandbox/profiles':
				api.setProfileStatus(body.profile_id, body.status);
				return send(res, 200, { profiles: [...profiles.values()] });
			default:
				return send(res, 404, { detail: 'Not Found' });
		}
	}

	const api = {
		state,
		config,
		get url() {
			const address = server.address();
			return `http://${config.host}:${address.port}`;
		},
		async start() {
			await new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(config.port, config.host, resolve);
			});
			return api;
		},
		async stop() {
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(() => resolve()));
		},
		/**
		 * mode: '502' (queues the post, then answers 502) | 'slow' (delayMs before answering) | 'drop'
		 * (closes the connection) | 'html' (an HTML error page) | 'status' (answers status and body,
		 * queuing nothing); count: how many requests it hits; path: only requests to that path.
		 */
		injectFault(fault) {
			faults.push({ count: 1, ...fault });
		},
		reset() {
			state.posts.length = 0;
			state.profileUpdates.length = 0;
			state.rejected.length = 0;
			state.callbacks.length = 0;
			state.records.length = 0;
			state.mediaRequests.length = 0;
			state.mediaDownloads.length = 0;
			state.requests = 0;
			faults.length = 0;
			windows.clear();
		},
		/**
		 * Serves `body` at /_media/<name>. Options: contentType, refuseHead (405 to HEAD, as some
		 * signed-URL hosts do), ignoreRange (always the whole file), redirectTo (a 302 elsewhere).
		 */
		serveMedia(name, file) {
			media.set(name, { contentType: 'application/octet-stream', body: Buffer.alloc(0), ...file });
			return `${api.url}/_media/${encodeURIComponent(name)}`;
		},
		setProfileStatus(profileId, status) {
			const profile = profiles.get(profileId);
			if (!profile) throw new Error(`no profile ${profileId}`);
			profile.status = status;
		},
		/** Resolves once `count` posts have been queued, or rejects after `timeoutMs`. */
		async waitForPosts(count, timeoutMs = 30_000) {
			await waitUntil(() => state.posts.length, count, 'posts', timeoutMs);
			return state.posts;
		},
		/** Resolves once `count` records have arrived, or rejects after `timeoutMs`. */
		async waitForRecords(count, timeoutMs = 30_000) {
			await waitUntil(() => state.records.length, count, 'records', timeoutMs);
			return state.records;
		},
		/** Resolves once `count` callbacks have been answered (or failed), or rejects after `timeoutMs`. */
		async waitForCallbacks(count, timeoutMs = 30_000) {
			await waitUntil(() => state.callbacks.filter((c) => c.status !== null || c.error !== null).length, count, 'callbacks', timeoutMs);
			return state.callbacks;
		},
	};
	return api;
}

/**
 * The entries of a zip (central directory, then each local header), their bytes inflated when
 * deflated. { entries: [{ name, data }] } or { error }.
 */
function readZip(data) {
	let end = -1;
	for (let at = data.length - 22; at >= Math.max(0, data.length - 22 - 65_535); at--) {
		if (data.readUInt32LE(at) === 0x06054b50) {
			end = at;
			break;
		}
	}
	if (end === -1) return { error: 'no end of central directory' };
	const count = data.readUInt16LE(end + 10);
	let at = data.readUInt32LE(end + 16);
	const entries = [];
	try {
		for (let n = 0; n < count; n++) {
			if (data.readUInt32LE(at) !== 0x02014b50) return { error: 'broken central directory' };
			const method = data.readUInt16LE(at + 10);
			const compressed = data.readUInt32LE(at + 20);
			const nameLength = data.readUInt16LE(at + 28);
			const extraLength = data.readUInt16LE(at + 30);
			const commentLength = data.readUInt16LE(at + 32);
			const local = data.readUInt32LE(at + 42);
			const name = data.toString('utf8', at + 46, at + 46 + nameLength);
			at += 46 + nameLength + extraLength + commentLength;
			if (data.readUInt32LE(local) !== 0x04034b50) return { error: `no local header for ${name}` };
			const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
			const stored = data.subarray(start, start + compressed);
			if (method === 0) entries.push({ name, data: stored });
			else if (method === 8) entries.push({ name, data: zlib.inflateRawSync(stored) });
			else return { error: `${name} uses compression method ${method}` };
		}
	} catch (error) {
		return { error: error.message };
	}
	return { entries };
}

function send(res, status, body, headers = {}) {
	const data = JSON.stringify(body);
	res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data), ...headers });
	res.end(data);
}

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function delay(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `counted()` until it reaches `count`; rejects after `timeoutMs`, saying how many `what` came. */
async function waitUntil(counted, count, what, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (counted() < count) {
		if (Date.now() > deadline) throw new Error(`only ${counted()} of ${count} ${what} after ${timeoutMs} ms`);
		await delay(50);
	}
}

/** The documented farm profile object: what PATCH /v1/farm-profiles/{id} answers. */
function profileObject(profile) {
	const { profile_id, profile_name, tiktok_username, phone_id, status } = profile;
	return { profile_id, profile_name, tiktok_username, created_at: profile.created_at ?? null, phone_id, status };
}

/**
 * A long list of sources for paging tests: `count` sounds "Sound 1" … (ids 7300000000000000001 …,
 * n × 10 posts), a hashtag after every 10th, and `titles` replacing some sounds' titles by number.
 */
function makeSources(count, titles = {}) {
	const sources = [];
	for (let n = 1; n <= count; n++) {
		const id = String(7300000000000000000n + BigInt(n));
		sources.push({ source_id: id, source_type: 'sound', title: titles[n] ?? `Sound ${n}`, status: 'active', post_count: n * 10, creator_count: n });
		if (n % 10 === 0) sources.push({ source_id: `tag${n}`, source_type: 'hashtag', title: `${titles[n] ?? `tag ${n}`} (hashtag)`, status: 'active', post_count: 5, creator_count: 1 });
	}
	return sources;
}

module.exports = { createFarmSandbox, makeSources, profileObject, DEFAULT_PROFILES, DEFAULT_SOURCES };
