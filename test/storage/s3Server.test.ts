// The test S3 server itself, driven by the official AWS SDK signer as the client (not the package's
// code): correctly signed requests pass, anything altered after signing is refused like S3 does.

import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash } from 'node:crypto';

import { send } from './rawHttp';
import { startS3Server, type S3Server } from '../../dev/s3Server';

let server: S3Server;
beforeAll(async () => {
	server = await startS3Server();
});
afterAll(async () => server.close());

type Signed = { url: string; headers: Record<string, string> };

function sdk(secretAccessKey = server.config.secretAccessKey, accessKeyId = server.config.accessKeyId, region = server.config.region) {
	return new SignatureV4({ service: 's3', region, sha256: Sha256, uriEscapePath: false, credentials: { accessKeyId, secretAccessKey } });
}

async function sdkPut(path: string, body: Buffer, options: { host?: string; secret?: string; accessKeyId?: string; region?: string; date?: Date; headers?: Record<string, string>; hash?: string } = {}): Promise<Signed> {
	const host = options.host ?? `127.0.0.1:${server.port}`;
	const headers = {
		host,
		'content-type': 'video/mp4',
		'content-length': String(body.length),
		'x-amz-content-sha256': options.hash ?? createHash('sha256').update(body).digest('hex'),
		...options.headers,
	};
	const signed = await sdk(options.secret, options.accessKeyId, options.region).sign(
		{ method: 'PUT', protocol: 'http:', hostname: host, path, query: {}, headers },
		{ signingDate: options.date ?? new Date() },
	);
	return { url: `http://${host}${path}`, headers: signed.headers as Record<string, string> };
}

async function sdkPresign(path: string, expiresIn: number, date = new Date(), host = `127.0.0.1:${server.port}`): Promise<string> {
	const signed = await sdk().presign(
		{ method: 'GET', protocol: 'http:', hostname: host, path, query: {}, headers: { host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
		{ signingDate: date, expiresIn, unsignableHeaders: new Set(['x-amz-content-sha256']), unhoistableHeaders: new Set(['x-amz-content-sha256']) },
	);
	const query = Object.entries(signed.query as Record<string, string>)
		.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
		.join('&');
	return `http://${host}${path}?${query}`;
}

const code = (body: Buffer) => /<Code>([^<]+)<\/Code>/.exec(body.toString())?.[1];

describe('the test S3 server checks signatures with the AWS SDK as reference', () => {
	const body = Buffer.from('an mp4, more or less');

	it('stores a correctly signed PUT (path style), and serves it on a presigned GET', async () => {
		const put = await sdkPut('/farm-media/a%20b/%C3%BC-1.mp4', body);
		const stored = await send({ method: 'PUT', url: put.url, headers: put.headers, body });
		expect(stored.statusCode).toBe(200);
		expect(server.objects.get('farm-media/a b/ü-1.mp4')?.body?.equals(body)).toBe(true);

		const link = await sdkPresign('/farm-media/a%20b/%C3%BC-1.mp4', 3600);
		const got = await send({ method: 'GET', url: link });
		expect(got.statusCode).toBe(200);
		expect(got.body.equals(body)).toBe(true);
		expect(got.headers['content-type']).toBe('video/mp4');
	});

	it('takes virtual-hosted style from the Host header', async () => {
		const host = `farm-media.s3.farm.test:${server.port}`;
		const put = await sdkPut('/vhost/x.mp4', body, { host });
		expect((await send({ method: 'PUT', url: put.url, headers: put.headers, body })).statusCode).toBe(200);
		expect(server.requests.at(-1)?.style).toBe('virtual-hosted');
		expect(server.objects.has('farm-media/vhost/x.mp4')).toBe(true);
		const link = await sdkPresign('/vhost/x.mp4', 60, new Date(), host);
		expect((await send({ method: 'GET', url: link })).statusCode).toBe(200);
	});

	it('refuses a wrong secret (SignatureDoesNotMatch) and an unknown key id (InvalidAccessKeyId)', async () => {
		const wrongSecret = await sdkPut('/farm-media/k1', body, { secret: 'not-the-secret' });
		let answer = await send({ method: 'PUT', url: wrongSecret.url, headers: wrongSecret.headers, body });
		expect([answer.statusCode, code(answer.body)]).toEqual([403, 'SignatureDoesNotMatch']);
		const unknown = await sdkPut('/farm-media/k1', body, { accessKeyId: 'AKIAUNKNOWN' });
		answer = await send({ method: 'PUT', url: unknown.url, headers: unknown.headers, body });
		expect([answer.statusCode, code(answer.body)]).toEqual([403, 'InvalidAccessKeyId']);
	});

	it('refuses a request altered after signing: header, path, or body', async () => {
		const put = await sdkPut('/farm-media/k2', body);
		let answer = await send({ method: 'PUT', url: put.url, headers: { ...put.headers, 'content-type': 'image/jpeg' }, body });
		expect(code(answer.body)).toBe('SignatureDoesNotMatch');
		answer = await send({ method: 'PUT', url: put.url.replace('k2', 'k3'), headers: put.headers, body });
		expect(code(answer.body)).toBe('SignatureDoesNotMatch');
		const other = Buffer.from('an mp4, more or lesS');
		answer = await send({ method: 'PUT', url: put.url, headers: put.headers, body: other });
		expect([answer.statusCode, code(answer.body)]).toEqual([400, 'XAmzContentSHA256Mismatch']);
	});

	it('accepts UNSIGNED-PAYLOAD without checking the body, but needs Content-Length', async () => {
		const put = await sdkPut('/farm-media/unsigned', body, { hash: 'UNSIGNED-PAYLOAD' });
		expect((await send({ method: 'PUT', url: put.url, headers: put.headers, body })).statusCode).toBe(200);
		const headers = { ...put.headers };
		delete headers['content-length'];
		const { Readable } = await import('node:stream');
		const answer = await send({ method: 'PUT', url: put.url, headers, body: Readable.from([body]) });
		expect([answer.statusCode, code(answer.body)]).toEqual([411, 'MissingContentLength']);
	});

	it('refuses a skewed clock, a wrong region, a missing bucket and a missing key', async () => {
		const skewed = await sdkPut('/farm-media/k4', body, { date: new Date(Date.now() - 20 * 60 * 1000) });
		let answer = await send({ method: 'PUT', url: skewed.url, headers: skewed.headers, body });
		expect([answer.statusCode, code(answer.body)]).toEqual([403, 'RequestTimeTooSkewed']);
		const region = await sdkPut('/farm-media/k4', body, { region: 'eu-west-1' });
		answer = await send({ method: 'PUT', url: region.url, headers: region.headers, body });
		expect([answer.statusCode, code(answer.body)]).toEqual([400, 'AuthorizationHeaderMalformed']);
		expect(answer.body.toString()).toContain('<Region>us-east-1</Region>');
		const bucket = await sdkPut('/no-such-bucket/k4', body);
		answer = await send({ method: 'PUT', url: bucket.url, headers: bucket.headers, body });
		expect([answer.statusCode, code(answer.body)]).toEqual([404, 'NoSuchBucket']);
		answer = await send({ method: 'GET', url: await sdkPresign('/farm-media/never-stored', 60) });
		expect([answer.statusCode, code(answer.body)]).toEqual([404, 'NoSuchKey']);
	});

	it('refuses an expired, tampered or over-long presigned link', async () => {
		const put = await sdkPut('/farm-media/p.mp4', body);
		await send({ method: 'PUT', url: put.url, headers: put.headers, body });
		let answer = await send({ method: 'GET', url: await sdkPresign('/farm-media/p.mp4', 60, new Date(Date.now() - 120 * 1000)) });
		expect([answer.statusCode, code(answer.body)]).toEqual([403, 'AccessDenied']);
		expect(answer.body.toString()).toContain('Request has expired');
		const link = await sdkPresign('/farm-media/p.mp4', 600);
		answer = await send({ method: 'GET', url: link.replace('X-Amz-Expires=600', 'X-Amz-Expires=6000') });
		expect(code(answer.body)).toBe('SignatureDoesNotMatch');
		answer = await send({ method: 'HEAD', url: link });
		expect(answer.statusCode).toBe(403); // signed for GET
		answer = await send({ method: 'GET', url: link.replace('X-Amz-Expires=600', 'X-Amz-Expires=604801') });
		expect(code(answer.body)).toBe('AuthorizationQueryParametersError');
	});

	it('refuses with AccessDenied when the policy does not allow the operation, and honours If-None-Match', async () => {
		const put = await sdkPut('/farm-media/once', body, { headers: { 'if-none-match': '*' } });
		expect((await send({ method: 'PUT', url: put.url, headers: put.headers, body })).statusCode).toBe(200);
		const again = await send({ method: 'PUT', url: put.url, headers: put.headers, body });
		expect([again.statusCode, code(again.body)]).toEqual([412, 'PreconditionFailed']);

		server.config.deny.put = true;
		try {
			const denied = await sdkPut('/farm-media/denied', body);
			const answer = await send({ method: 'PUT', url: denied.url, headers: denied.headers, body });
			expect([answer.statusCode, code(answer.body)]).toEqual([403, 'AccessDenied']);
		} finally {
			server.config.deny.put = false;
		}
	});
});
