'use strict';
// A small S3-compatible server for the tests that CHECKS SIGNATURES, the way S3 does, with the
// official AWS SDK signer (@smithy/signature-v4) as the reference implementation (never the
// package's own signer):
//   - PUT / GET / HEAD object, path style (/<bucket>/<key>) and virtual-hosted style (Host:
//     <bucket>.<service host>), keys decoded from the path and re-encoded per S3's rule;
//   - Authorization header (AWS4-HMAC-SHA256) and presigned query (X-Amz-*), recomputed from the
//     request as received; the payload's SHA-256 is checked against x-amz-content-sha256 unless
//     it is UNSIGNED-PAYLOAD; Content-Length is required for PUT; If-None-Match: * is honoured;
//   - S3's XML errors: SignatureDoesNotMatch, InvalidAccessKeyId, AccessDenied (policy or expired
//     link), NoSuchBucket, NoSuchKey, RequestTimeTooSkewed, AuthorizationHeaderMalformed (wrong
//     region, with <Region>), XAmzContentSHA256Mismatch, MissingContentLength, PreconditionFailed.
// Why not s3rver: s3rver 3.7.1 accepts any V4 signature ("Signature version 4 calculation is
// unimplemented" in lib/middleware/authentication.js).

const http = require('node:http');
const { createHash } = require('node:crypto');
const { SignatureV4 } = require('@smithy/signature-v4');
const { Sha256 } = require('@aws-crypto/sha256-js');

const UNSIGNED = 'UNSIGNED-PAYLOAD';
const AUTH_QUERY = new Set(['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token']);

function rfc3986(value) {
	return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function xmlEscape(value) {
	return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

class S3Error extends Error {
	constructor(status, code, message, extra = {}) {
		super(message);
		this.status = status;
		this.code = code;
		this.extra = extra;
	}
}

function parseAmzDate(value) {
	const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value || '');
	return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}

/**
 * @param {object} [options]
 * @param {string} [options.accessKeyId]
 * @param {string} [options.secretAccessKey]
 * @param {string} [options.region]
 * @param {string[]} [options.buckets]
 * @param {string[]} [options.serviceHosts] host names that mean path style; <bucket>.<one of them> means virtual-hosted
 * @param {{put?: boolean, get?: boolean}} [options.deny] AccessDenied for these operations (a bucket policy that does not allow them)
 * @param {() => Date} [options.now]
 * @param {number} [options.port] default: a free one
 */
async function startS3Server(options = {}) {
	const config = {
		accessKeyId: options.accessKeyId ?? 'AKIAFARMTEST00000001',
		secretAccessKey: options.secretAccessKey ?? 'farm/test+secret/KEY0123456789abcdefghij',
		region: options.region ?? 'us-east-1',
		buckets: new Set(options.buckets ?? ['farm-media']),
		serviceHosts: options.serviceHosts ?? ['127.0.0.1', 'localhost', 's3.farm.test'],
		deny: options.deny ?? {},
		now: options.now ?? (() => new Date()),
		/** false: bodies are hashed and counted, not kept (for uploads too large to hold). */
		storeBodies: options.storeBodies ?? true,
		/** false: answer 501 NotImplemented to If-None-Match, like a server without conditional writes. */
		conditionalWrites: options.conditionalWrites ?? true,
	};
	/** key: `${bucket}/${key}` → { body, contentType, metadata, etag } */
	const objects = new Map();
	/** Every request: method, url, host, headers, bodyBytes, style, outcome code. */
	const requests = [];

	const signer = () =>
		new SignatureV4({
			service: 's3',
			region: config.region,
			sha256: Sha256,
			uriEscapePath: false,
			credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
		});

	function locate(req) {
		const url = new URL(req.url, 'http://placeholder');
		const rawHost = req.headers.host || '';
		const hostname = rawHost.replace(/:\d+$/, '');
		const segments = url.pathname.split('/').slice(1);
		let bucket;
		let keySegments;
		let style;
		const vhostBase = config.serviceHosts.find((base) => hostname.endsWith(`.${base}`));
		if (vhostBase) {
			bucket = hostname.slice(0, -(vhostBase.length + 1));
			keySegments = segments;
			style = 'virtual-hosted';
		} else {
			bucket = decodeURIComponent(segments[0] || '');
			keySegments = segments.slice(1);
			style = 'path';
		}
		const key = keySegments.map((s) => decodeURIComponent(s)).join('/');
		// S3's canonical URI: the decoded path encoded once more, segment by segment.
		const canonicalPath = '/' + segments.map((s) => rfc3986(decodeURIComponent(s))).join('/');
		return { url, rawHost, bucket, key, style, canonicalPath };
	}

	function signedHeaderValues(req, names) {
		const headers = {};
		for (const name of names) {
			const value = req.headers[name];
			if (value === undefined) throw new S3Error(403, 'SignatureDoesNotMatch', `Signed header ${name} is missing from the request.`);
			headers[name] = Array.isArray(value) ? value.join(',') : String(value);
		}
		return headers;
	}

	function checkCredential(credential) {
		const [accessKeyId, shortDate, region, service, terminator] = (credential || '').split('/');
		if (accessKeyId !== config.accessKeyId) {
			throw new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: accessKeyId });
		}
		if (region !== config.region) {
			throw new S3Error(400, 'AuthorizationHeaderMalformed', `The authorization header is malformed; the region '${region}' is wrong; expecting '${config.region}'`, { Region: config.region });
		}
		if (service !== 's3' || terminator !== 'aws4_request' || !/^\d{8}$/.test(shortDate)) {
			throw new S3Error(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed; the Credential is mal-formed.');
		}
		return { shortDate };
	}

	async function verifyHeaderAuth(req, where, body) {
		const auth = String(req.headers.authorization);
		const m = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
		if (!m) throw new S3Error(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
		const [, credential, signedHeaderList, signature] = m;
		const { shortDate } = checkCredential(credential);
		const contentSha = req.headers['x-amz-content-sha256'];
		if (!contentSha) throw new S3Error(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
		const date = parseAmzDate(req.headers['x-amz-date']);
		if (!date) throw new S3Error(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
		if (Math.abs(config.now().getTime() - date.getTime()) > 15 * 60 * 1000) {
			throw new S3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
				RequestTime: req.headers['x-amz-date'],
				ServerTime: config.now().toISOString(),
			});
		}
		if (shortDate !== req.headers['x-amz-date'].slice(0, 8)) throw new S3Error(400, 'AuthorizationHeaderMalformed', 'The credential date does not match x-amz-date.');
		const names = signedHeaderList.split(';');
		if (!names.includes('host') || !names.includes('x-amz-date') || !names.includes('x-amz-content-sha256')) {
			throw new S3Error(403, 'SignatureDoesNotMatch', 'host, x-amz-date and x-amz-content-sha256 must be signed.');
		}
		const query = {};
		where.url.searchParams.forEach((value, name) => (query[name] = value));
		const reference = await signer().sign(
			{
				method: req.method,
				protocol: 'http:',
				hostname: where.rawHost,
				path: where.canonicalPath,
				query,
				headers: signedHeaderValues(req, names),
			},
			{ signingDate: date, signableHeaders: new Set(names) },
		);
		const expected = /Signature=([0-9a-f]{64})$/.exec(reference.headers.authorization)[1];
		const expectedList = /SignedHeaders=([^,]+),/.exec(reference.headers.authorization)[1];
		if (expected !== signature || expectedList !== signedHeaderList) {
			throw new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
				AWSAccessKeyId: config.accessKeyId,
			});
		}
		if (contentSha !== UNSIGNED) {
			if (!/^[0-9a-f]{64}$/.test(contentSha)) throw new S3Error(400, 'InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD or a valid sha256 value.');
			const actual = body.sha256;
			if (actual !== contentSha) {
				throw new S3Error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", {
					ClientComputedContentSHA256: contentSha,
					S3ComputedContentSHA256: actual,
				});
			}
		}
		return 'header';
	}

	async function verifyQueryAuth(req, where) {
		const q = where.url.searchParams;
		if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') throw new S3Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
		for (const name of ['X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature']) {
			if (!q.has(name)) throw new S3Error(400, 'AuthorizationQueryParametersError', `Query-string authentication version 4 requires ${name}.`);
		}
		const { shortDate } = checkCredential(q.get('X-Amz-Credential'));
		const date = parseAmzDate(q.get('X-Amz-Date'));
		if (!date || shortDate !== q.get('X-Amz-Date').slice(0, 8)) throw new S3Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Date must be in the ISO8601 Long Format');
		const expires = Number(q.get('X-Amz-Expires'));
		if (!Number.isInteger(expires) || expires < 0) throw new S3Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be non-negative');
		if (expires > 604800) throw new S3Error(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds');
		if (config.now().getTime() > date.getTime() + expires * 1000) {
			throw new S3Error(403, 'AccessDenied', 'Request has expired', { 'X-Amz-Expires': String(expires), Expires: new Date(date.getTime() + expires * 1000).toISOString() });
		}
		if (date.getTime() - config.now().getTime() > 15 * 60 * 1000) throw new S3Error(403, 'AccessDenied', 'Request is not yet valid');
		const names = q.get('X-Amz-SignedHeaders').split(';');
		if (!names.includes('host')) throw new S3Error(400, 'AuthorizationQueryParametersError', 'host must be a signed header');
		const query = {};
		q.forEach((value, name) => {
			if (!AUTH_QUERY.has(name)) query[name] = value;
		});
		const contentSha = query['X-Amz-Content-Sha256'] ?? UNSIGNED;
		const token = q.get('X-Amz-Security-Token');
		if (token !== null) throw new S3Error(403, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
		const reference = await signer().presign(
			{
				method: req.method === 'HEAD' ? 'HEAD' : req.method,
				protocol: 'http:',
				hostname: where.rawHost,
				path: where.canonicalPath,
				query,
				headers: { ...signedHeaderValues(req, names), 'x-amz-content-sha256': contentSha },
			},
			{
				signingDate: date,
				expiresIn: expires,
				signableHeaders: new Set(names),
				unsignableHeaders: new Set(['x-amz-content-sha256']),
				unhoistableHeaders: new Set(['x-amz-content-sha256', ...names.filter((n) => n.startsWith('x-amz-'))]),
			},
		);
		if (reference.query['X-Amz-Signature'] !== q.get('X-Amz-Signature') || reference.query['X-Amz-SignedHeaders'] !== q.get('X-Amz-SignedHeaders')) {
			throw new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
				AWSAccessKeyId: config.accessKeyId,
			});
		}
		return 'query';
	}

	/** Reads the body, hashing it as it comes; keeps it only when bodies are stored. */
	function readBody(req) {
		return new Promise((resolve, reject) => {
			const chunks = [];
			const hash = createHash('sha256');
			const md5 = createHash('md5');
			let length = 0;
			req.on('data', (chunk) => {
				length += chunk.length;
				hash.update(chunk);
				md5.update(chunk);
				if (config.storeBodies) chunks.push(chunk);
			});
			req.on('end', () => resolve({ data: config.storeBodies ? Buffer.concat(chunks) : undefined, length, sha256: hash.digest('hex'), md5: md5.digest('hex') }));
			req.on('error', reject);
		});
	}

	function sendError(res, req, error, record) {
		const status = error instanceof S3Error ? error.status : 500;
		const code = error instanceof S3Error ? error.code : 'InternalError';
		record.outcome = code;
		const extra = error instanceof S3Error ? error.extra : {};
		const body =
			'<?xml version="1.0" encoding="UTF-8"?>\n<Error>' +
			`<Code>${code}</Code><Message>${xmlEscape(error.message)}</Message>` +
			Object.entries(extra)
				.map(([name, value]) => `<${name}>${xmlEscape(value)}</${name}>`)
				.join('') +
			'<RequestId>FARMTEST</RequestId></Error>';
		res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-error-code': code });
		res.end(req.method === 'HEAD' ? undefined : body);
	}

	async function handle(req, res) {
		const record = { method: req.method, url: req.url, host: req.headers.host, headers: { ...req.headers }, bodyBytes: 0, outcome: undefined, auth: undefined };
		requests.push(record);
		try {
			const where = locate(req);
			record.style = where.style;
			if (req.method === 'PUT' && req.headers['content-length'] === undefined) {
				req.resume();
				throw new S3Error(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
			}
			const body = await readBody(req);
			record.bodyBytes = body.length;
			if (req.method === 'PUT' && body.length !== Number(req.headers['content-length'])) {
				throw new S3Error(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header');
			}
			const queryAuth = where.url.searchParams.has('X-Amz-Algorithm');
			if (req.headers.authorization && queryAuth) throw new S3Error(400, 'InvalidArgument', 'Only one auth mechanism allowed');
			if (req.headers.authorization) record.auth = await verifyHeaderAuth(req, where, body);
			else if (queryAuth) record.auth = await verifyQueryAuth(req, where);
			else throw new S3Error(403, 'AccessDenied', 'Access Denied');

			if (!config.buckets.has(where.bucket)) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: where.bucket });
			if (!where.key && req.method === 'HEAD') {
				// HeadBucket: what the storage credential's test sends.
				record.outcome = 'BucketExists';
				res.writeHead(200);
				res.end();
				return;
			}
			if (!where.key && req.method === 'GET' && where.url.searchParams.has('location')) {
				// GetBucketLocation: n8n's own S3 node asks before every upload.
				record.outcome = 'BucketLocation';
				res.writeHead(200, { 'content-type': 'application/xml' });
				res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${config.region === 'us-east-1' ? '' : config.region}</LocationConstraint>`);
				return;
			}
			if (!where.key) throw new S3Error(501, 'NotImplemented', 'Only object requests, HeadBucket and GetBucketLocation are implemented by this test server');
			const id = `${where.bucket}/${where.key}`;

			if (req.method === 'PUT') {
				if (config.deny.put) throw new S3Error(403, 'AccessDenied', 'Access Denied');
				if (req.headers['if-none-match'] !== undefined && !config.conditionalWrites) {
					throw new S3Error(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented', { Header: 'If-None-Match' });
				}
				if (req.headers['if-none-match'] === '*' && objects.has(id)) {
					throw new S3Error(412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-None-Match' });
				}
				const metadata = {};
				for (const [name, value] of Object.entries(req.headers)) if (name.startsWith('x-amz-meta-')) metadata[name] = value;
				const etag = `"${body.md5}"`;
				objects.set(id, { body: body.data, size: body.length, sha256: body.sha256, contentType: req.headers['content-type'] || 'binary/octet-stream', metadata, etag });
				record.outcome = 'Stored';
				res.writeHead(200, { etag });
				res.end();
				return;
			}
			if (req.method === 'GET' || req.method === 'HEAD') {
				if (config.deny.get) throw new S3Error(403, 'AccessDenied', 'Access Denied');
				const object = objects.get(id);
				if (!object) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: where.key });
				if (!object.body && req.method === 'GET') throw new S3Error(501, 'NotImplemented', 'This test server did not keep the body');
				record.outcome = 'Served';
				res.writeHead(200, { 'content-type': object.contentType, 'content-length': object.size, etag: object.etag, ...object.metadata });
				res.end(req.method === 'HEAD' ? undefined : object.body);
				return;
			}
			throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
		} catch (error) {
			sendError(res, req, error, record);
		}
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((error) => {
			res.writeHead(500);
			res.end(String(error));
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', resolve);
	});
	const { port } = server.address();
	return {
		port,
		config,
		objects,
		requests,
		/** Path-style endpoint. */
		endpoint: `http://127.0.0.1:${port}`,
		/** Endpoint for virtual-hosted style: connect to 127.0.0.1 while sending Host: <bucket>.s3.farm.test:<port>. */
		virtualHostEndpoint: `http://s3.farm.test:${port}`,
		/** The data of a Farm Profile storage credential for this server (path style). */
		storageCredential: (bucket = 'farm-media', pathPrefix = 'farm/uploads') => ({
			endpoint: `http://127.0.0.1:${port}`,
			region: config.region,
			bucket,
			accessKeyId: config.accessKeyId,
			secretAccessKey: config.secretAccessKey,
			forcePathStyle: true,
			pathPrefix,
		}),
		/** Forgets every stored object and recorded request, as between tests. */
		reset: () => {
			objects.clear();
			requests.length = 0;
		},
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve());
			}),
	};
}

module.exports = { startS3Server };
