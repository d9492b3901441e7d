'use strict';
// A sandbox of the farm API on loopback, faithful to the vendor's documented behaviour
// (the vendor's API reference for POST /v1/posts, and what else is known of the API): X-API-Key auth, FastAPI-style errors,
// 404/409 by profile, a rolling per-key rate limit, and the post.published callback sent to the
// webhook_url exactly as given. Plain Node, no dependencies: used by the tests, the benchmark and
// `npm start`.

const crypto = require('node:crypto');
const { makeMp4, makeZip } = require('./media');
const http = require('node:http');
const https = require('node:https');

const MAX_TIMER_MS = 2 ** 31 - 1;

const DEFAULT_PROFILES = [
	{ profile_id: '5b0c8a4e-2f61-4c3a-9d0e-7a1b2c3d4e5f', profile_name: 'Ready Rita', phone_id: 'phone-ready-1', status: 'ready', tiktok_username: 'rita.ready' },
	{ profile_id: '7d3e1f20-8a4b-4c6d-9e0f-1a2b3c4d5e6f', profile_name: 'Ready Rob', phone_id: 'phone-ready-2', status: 'ready', tiktok_username: 'rob.ready' },
	{ profile_id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', profile_name: 'Warming Wes', phone_id: 'phone-warming-1', status: 'warming', tiktok_username: 'wes.warming' },
	{ profile_id: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', profile_name: 'Cold Cat', phone_id: 'phone-cold-1', status: 'cold', tiktok_username: 'cat.cold' },
	{ profile_id: '2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b', profile_name: 'Failed Fay', phone_id: 'phone-failed-1', status: 'failed', tiktok_username: 'fay.failed' },
];

const DEFAULTS = {
	host: '127.0.0.1',
	port: 0,
	apiKeys: ['sandbox-key'],
	profiles: DEFAULT_PROFILES,
	/** Requests allowed per key in a rolling window; `limit: 0` turns the limit off. */
	rateLimit: { limit: 30, windowMs: 60_000 },
	/** Send a Retry-After header (seconds) with 429s. The vendor documents none, so off by default. */
	retryAfter: false,
	/** How long after the post (or its execute_at) the post.published callback goes out. */
	callbackDelayMs: 2_000,
	/** Whether plain http:// URLs to loopback hosts are accepted (n8n runs on loopback in tests). */
	allowHttpLoopback: true,
	log: () => {},
};

function createFarmSandbox(options = {}) {
	const config = { ...DEFAULTS, ...options, rateLimit: { ...DEFAULTS.rateLimit, ...options.rateLimit } };
	const profiles = new Map(config.profiles.map((profile) => [profile.profile_id, { ...profile }]));
	const state = { posts: [], rejected: [], callbacks: [], records: [], mediaRequests: [], requests: 0 };
	const faults = [];
	// Files served at /_media/<name>, standing in for the user's CDN (the playground's sample media).
	const media = new Map([
		['morning-routine.mp4', { body: makeMp4(15), contentType: 'video/mp4' }],
		['morning-set.zip', { body: makeZip(['slide-1.jpg', 'slide-2.jpg', 'slide-3.jpg']), contentType: 'application/zip' }],
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
		return send(res, 404, { detail: 'Not Found' });
	}

	function sources(url, res) {
		const limit = Math.min(Number(url.searchParams.get('limit') ?? 20) || 20, 100);
		const all = [
			{ source_id: 'snd_7216519837462889218', kind: 'sound', name: 'Morning lo-fi' },
			{ source_id: 'tag_morningroutine', kind: 'hashtag', name: 'morningroutine' },
		];
		return send(res, 200, { sources: all.slice(0, limit), has_more: all.length > limit, next_cursor: null });
	}

	function createPost(raw, res, fault) {
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
		const taskId = `task_${String(++taskCounter).padStart(5, '0')}_${crypto.randomBytes(3).toString('hex')}`;
		const post = { task_id: taskId, body, received_at: new Date().toISOString() };
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
		const file = media.get(name);
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
			state.rejected.length = 0;
			state.callbacks.length = 0;
			state.records.length = 0;
			state.mediaRequests.length = 0;
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
		/** Resolves once `count` records have arrived, or rejects after `timeoutMs`. */
		async waitForRecords(count, timeoutMs = 30_000) {
			const deadline = Date.now() + timeoutMs;
			while (state.records.length < count) {
				if (Date.now() > deadline) throw new Error(`only ${state.records.length} of ${count} records after ${timeoutMs} ms`);
				await delay(50);
			}
			return state.records;
		},
		/** Resolves once `count` callbacks have been answered (or failed), or rejects after `timeoutMs`. */
		async waitForCallbacks(count, timeoutMs = 30_000) {
			const deadline = Date.now() + timeoutMs;
			while (state.callbacks.filter((c) => c.status !== null || c.error !== null).length < count) {
				if (Date.now() > deadline) throw new Error(`only ${state.callbacks.length} of ${count} callbacks after ${timeoutMs} ms`);
				await delay(50);
			}
			return state.callbacks;
		},
	};
	return api;
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

module.exports = { createFarmSandbox, DEFAULT_PROFILES };
