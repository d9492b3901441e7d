import { mapStorageFailure, type StorageAnswer } from '../../nodes/FarmProfile/storage/s3Errors';
import { readStorageCredential } from '../../nodes/FarmProfile/storage/storageCredential';
import { redactSignatures } from '../../nodes/shared/secrets';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SIGNATURE = 'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
const PRESIGNED = `https://b.s3.amazonaws.com/k.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260304%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260304T050607Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=${SIGNATURE}`;

function s3Error(code: string, message: string, extra = ''): Buffer {
	return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>4442587FB7D0A2F9</RequestId></Error>`);
}

const DATA = { endpoint: 'https://acc.r2.cloudflarestorage.com', bucket: 'farm-media', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET };
/** The storage credential "My R2" as the node reads it. */
const storage = (data: Record<string, string> = {}, name?: string) => ({ credential: readStorageCredential({ ...DATA, ...data }), name: name ?? 'My R2' });
const map = (answer: StorageAnswer) => mapStorageFailure(storage(), answer);

describe('reading S3\'s XML error', () => {
	it('shows the server\'s Message, unescaped, where the failure has no fixed cause', () => {
		expect(map({ status: 403, body: s3Error('Weird', 'region &apos;us-east-1&apos; is &lt;wrong&gt;') }).description).toContain(`The storage said: "region 'us-east-1' is <wrong>".`);
	});
	it('takes a body that is not an S3 error as no code and no message', () => {
		const failure = map({ status: 502, body: Buffer.from('<html>502 Bad Gateway</html>') });
		expect(failure.code).toBe('HTTP_502');
		expect(failure.description).not.toContain('The storage said');
	});
});

describe('mapStorageFailure', () => {
	const cases: Array<[string, number, string, RegExp, RegExp]> = [
		['SignatureDoesNotMatch', 403, 'The request signature we calculated does not match', /signature: check the keys in the storage credential "My R2"/, /Secret Access Key.*Region/],
		['InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.', /does not know the Access Key ID in the storage credential "My R2"/, /Copy the Access Key ID again/],
		['AccessDenied', 403, 'Access Denied', /denied the upload to bucket "farm-media"/, /s3:PutObject and s3:GetObject/],
		['NoSuchBucket', 404, 'The specified bucket does not exist', /has no bucket "farm-media"/, /bucket name.*Region.*Endpoint/],
		['RequestTimeTooSkewed', 403, 'The difference between the request time and the current time is too large.', /clock is off/, /NTP/],
		['SlowDown', 503, 'Please reduce your request rate.', /busy/, /again in a minute/],
		['PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', /already exists/, /overwritten/],
		['ExpiredToken', 400, 'The provided token has expired.', /session token/, /fresh temporary keys/],
	];
	it.each(cases)('%s', (code, status, message, title, fix) => {
		const failure = map({ status, body: s3Error(code, message) });
		expect(failure.code).toBe(code);
		expect(failure.mayHavePosted).toBe(false);
		expect(failure.message).toMatch(title);
		expect(failure.description).toMatch(fix);
		expect(failure.description).toContain('Nothing was posted');
		expect(`${failure.message} ${failure.description}`).toContain('My R2');
	});

	it('tells the bucket region from AuthorizationHeaderMalformed and redirects', () => {
		const wrongRegion = map({ status: 400, body: s3Error('AuthorizationHeaderMalformed', 'wrong region', '<Region>eu-west-1</Region>') });
		expect(wrongRegion.message).toMatch(/Region in the storage credential "My R2" does not match/);
		expect(wrongRegion.description).toContain('"eu-west-1"');
		const redirect = map({ status: 301, body: s3Error('PermanentRedirect', 'use the endpoint', '<Endpoint>b.s3.eu-west-1.amazonaws.com</Endpoint><Region>eu-west-1</Region>') });
		expect(redirect.description).toContain('redirected the request (PermanentRedirect) to b.s3.eu-west-1.amazonaws.com');
		expect(redirect.description).toContain('https://s3.eu-west-1.amazonaws.com');
	});

	it('reads the code from x-amz-error-code when a HEAD answer has no body', () => {
		expect(map({ status: 404, headers: { 'x-amz-error-code': 'NoSuchBucket' } }).code).toBe('NoSuchBucket');
		expect(map({ status: 403 }).code).toBe('HTTP_403');
		expect(map({ status: 403 }).message).toMatch(/refused the keys/);
	});

	it.each([
		['ECONNREFUSED', { code: 'ECONNREFUSED' }, /refused the connection/],
		['ENOTFOUND', { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND farm-media.acc.r2.cloudflarestorage.com' }, /does not resolve/],
		['ETIMEDOUT', { code: 'ETIMEDOUT' }, /did not answer in time/],
		['ECONNABORTED', { code: 'ECONNABORTED', message: 'timeout of 30000ms exceeded' }, /did not answer in time/],
		['ETIMEDOUT', { message: 'Request timeout' }, /did not answer in time/],
		['ECONNRESET', { cause: { code: 'ECONNRESET' } }, /could not be reached/],
		['ERR_TLS_CERT_ALTNAME_INVALID', { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, /certificate/],
		['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }, /certificate/],
		['NETWORK_ERROR', { message: 'something else' }, /could not be reached/],
	])('network %s', (code, error, title) => {
		const failure = map({ error });
		expect(failure.code).toBe(code);
		expect(failure.message).toMatch(title);
		expect(failure.mayHavePosted).toBe(false);
		expect(failure.description).toContain('storage credential "My R2"');
	});

	it('uses a generic credential name when none is given', () => {
		expect(mapStorageFailure({ credential: storage().credential }, { status: 403, body: s3Error('AccessDenied', 'no') }).description).toContain('the S3-compatible storage credential');
	});

	it('never shows the secret key, a signature or a presigned URL, whatever the server echoes', () => {
		const echo = s3Error(
			'SignatureDoesNotMatch',
			`signature ${SIGNATURE} for key ${SECRET} at ${PRESIGNED}`,
			`<StringToSign>AWS4-HMAC-SHA256\n20260304T050607Z</StringToSign><SignatureProvided>${SIGNATURE}</SignatureProvided><CanonicalRequest>GET /k.mp4</CanonicalRequest>`,
		);
		for (const failure of [
			map({ status: 403, body: echo }),
			map({ status: 400, body: s3Error('InvalidArgument', `bad ${PRESIGNED}`) }),
			map({ status: 500, body: s3Error('Weird', `secret=${SECRET} Signature=${SIGNATURE.slice(0, 20)}`) }),
			mapStorageFailure(storage({ endpoint: PRESIGNED }), { error: { code: 'ECONNREFUSED' } }),
			map({ status: 403, body: s3Error('AccessDenied', `denied for ${SECRET} url X-Amz-Signature=${SIGNATURE}&X-Amz-Credential=AKID%2Fx`) }),
			mapStorageFailure(storage({ sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN' }), { status: 403, body: s3Error('ExpiredToken', 'token FwoGZXIvYXdzEXAMPLETOKEN expired') }),
		]) {
			const text = JSON.stringify(failure);
			expect(text).not.toContain(SECRET);
			expect(text).not.toContain(encodeURIComponent(SECRET));
			expect(text).not.toContain(SIGNATURE);
			expect(text).not.toContain(SIGNATURE.slice(0, 20));
			expect(text).not.toContain('StringToSign');
			expect(text).not.toContain('CanonicalRequest');
			expect(text).not.toContain('FwoGZXIvYXdzEXAMPLETOKEN');
		}
	});
});

describe('redactSignatures', () => {
	it('masks presigned query values and 64-hex signatures', () => {
		const text = redactSignatures(`see ${PRESIGNED}`);
		expect(text).toContain('X-Amz-Signature=[redacted]');
		expect(text).toContain('X-Amz-Credential=[redacted]');
		expect(text).not.toContain(SIGNATURE);
	});
});
