import { mapStorageFailure, parseS3ErrorBody } from '../../nodes/FarmProfile/storage/s3Errors';
import { redactSignatures } from '../../nodes/shared/secrets';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SIGNATURE = 'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
const PRESIGNED = `https://b.s3.amazonaws.com/k.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260304%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260304T050607Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=${SIGNATURE}`;

function s3Error(code: string, message: string, extra = ''): string {
	return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${extra}<RequestId>4442587FB7D0A2F9</RequestId></Error>`;
}

const base = { credentialName: 'My R2', bucket: 'farm-media', endpoint: 'https://acc.r2.cloudflarestorage.com', secrets: [SECRET, PRESIGNED] };

describe('parseS3ErrorBody', () => {
	it('reads Code, Message, Region and Endpoint, and unescapes XML', () => {
		expect(parseS3ErrorBody(s3Error('AuthorizationHeaderMalformed', 'region &apos;us-east-1&apos; is wrong', '<Region>eu-west-1</Region>'))).toEqual({
			code: 'AuthorizationHeaderMalformed',
			message: "region 'us-east-1' is wrong",
			region: 'eu-west-1',
			endpoint: undefined,
			bucketName: undefined,
		});
		expect(parseS3ErrorBody(Buffer.from(s3Error('NoSuchBucket', 'x', '<BucketName>b</BucketName>'))).bucketName).toBe('b');
	});
	it('returns nothing for a body that is not an S3 error', () => {
		expect(parseS3ErrorBody('<html>502 Bad Gateway</html>')).toEqual({});
		expect(parseS3ErrorBody(undefined)).toEqual({});
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
		const failure = mapStorageFailure({ ...base, status, body: s3Error(code, message) });
		expect(failure.code).toBe(code);
		expect(failure.httpCode).toBe(status);
		expect(failure.message).toMatch(title);
		expect(failure.description).toMatch(fix);
		expect(failure.description).toContain('Nothing was posted');
		expect(`${failure.message} ${failure.description}`).toContain('My R2');
	});

	it('tells the bucket region from AuthorizationHeaderMalformed and redirects', () => {
		const wrongRegion = mapStorageFailure({ ...base, status: 400, body: s3Error('AuthorizationHeaderMalformed', 'wrong region', '<Region>eu-west-1</Region>') });
		expect(wrongRegion.message).toMatch(/Region in the storage credential "My R2" does not match/);
		expect(wrongRegion.description).toContain('"eu-west-1"');
		const redirect = mapStorageFailure({ ...base, status: 301, body: s3Error('PermanentRedirect', 'use the endpoint', '<Endpoint>b.s3.eu-west-1.amazonaws.com</Endpoint><Region>eu-west-1</Region>') });
		expect(redirect.description).toContain('https://s3.eu-west-1.amazonaws.com');
	});

	it('reads the code from x-amz-error-code when a HEAD answer has no body', () => {
		expect(mapStorageFailure({ ...base, status: 404, headers: { 'x-amz-error-code': 'NoSuchBucket' } }).code).toBe('NoSuchBucket');
		expect(mapStorageFailure({ ...base, status: 403 }).code).toBe('HTTP_403');
		expect(mapStorageFailure({ ...base, status: 403 }).message).toMatch(/refused the keys/);
	});

	it.each([
		['ECONNREFUSED', { code: 'ECONNREFUSED' }, /refused the connection/, true],
		['ENOTFOUND', { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND farm-media.acc.r2.cloudflarestorage.com' }, /does not resolve/, false],
		['ETIMEDOUT', { code: 'ETIMEDOUT' }, /did not answer in time/, true],
		['ECONNABORTED', { code: 'ECONNABORTED', message: 'timeout of 30000ms exceeded' }, /did not answer in time/, true],
		['ETIMEDOUT', { message: 'Request timeout' }, /did not answer in time/, true],
		['ECONNRESET', { cause: { code: 'ECONNRESET' } }, /could not be reached/, true],
		['ERR_TLS_CERT_ALTNAME_INVALID', { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, /certificate/, false],
	])('network %s', (code, error, title, retryable) => {
		const failure = mapStorageFailure({ ...base, error });
		expect(failure.code).toBe(code);
		expect(failure.message).toMatch(title);
		expect(failure.retryable).toBe(retryable);
		expect(failure.description).toContain('storage credential "My R2"');
		expect(failure.httpCode).toBeUndefined();
	});

	it('uses a generic credential name when none is given', () => {
		expect(mapStorageFailure({ status: 403, body: s3Error('AccessDenied', 'no') }).description).toContain('the S3-compatible storage credential');
	});

	it('never shows the secret key, a signature or a presigned URL, whatever the server echoes', () => {
		const echo = s3Error(
			'SignatureDoesNotMatch',
			`signature ${SIGNATURE} for key ${SECRET} at ${PRESIGNED}`,
			`<StringToSign>AWS4-HMAC-SHA256\n20260304T050607Z</StringToSign><SignatureProvided>${SIGNATURE}</SignatureProvided><CanonicalRequest>GET /k.mp4</CanonicalRequest>`,
		);
		for (const input of [
			{ ...base, status: 403, body: echo },
			{ ...base, status: 400, body: s3Error('InvalidArgument', `bad ${PRESIGNED}`) },
			{ ...base, status: 500, body: s3Error('Weird', `secret=${SECRET} Signature=${SIGNATURE.slice(0, 20)}`) },
			{ ...base, endpoint: PRESIGNED, error: { code: 'ECONNREFUSED' } },
			{ ...base, secrets: [SECRET], status: 403, body: s3Error('AccessDenied', `denied for ${SECRET} url X-Amz-Signature=${SIGNATURE}&X-Amz-Credential=AKID%2Fx`) },
		]) {
			const failure = mapStorageFailure(input);
			const text = JSON.stringify(failure);
			expect(text).not.toContain(SECRET);
			expect(text).not.toContain(encodeURIComponent(SECRET));
			expect(text).not.toContain(SIGNATURE);
			expect(text).not.toContain(SIGNATURE.slice(0, 20));
			expect(text).not.toContain('StringToSign');
			expect(text).not.toContain('CanonicalRequest');
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
