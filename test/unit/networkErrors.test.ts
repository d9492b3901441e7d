// One reading of network errors for the farm API and the storage: the code, and what it says about
// what was sent.

import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

import { mapStorageFailure } from '../../nodes/FarmProfile/storage/s3Errors';
import { readStorageCredential } from '../../nodes/FarmProfile/storage/storageCredential';
import { CREATE_POST, describeTransportFailure } from '../../nodes/FarmProfile/transport/failures';
import { classifyNetworkError, findErrorCode } from '../../nodes/FarmProfile/transport/networkErrors';

describe('findErrorCode', () => {
	it('finds the code on wrapped errors and in messages', () => {
		const axiosLike = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
		expect(findErrorCode({ message: 'wrapped', cause: axiosLike })).toBe('ECONNREFUSED');
		expect(findErrorCode({ message: 'Invalid URL', errorResponse: { code: 'ERR_INVALID_URL' } })).toBe('ERR_INVALID_URL');
		expect(findErrorCode(new Error('timeout of 1000ms exceeded'))).toBe('ETIMEDOUT');
		expect(findErrorCode(new Error('socket hang up'))).toBe('ECONNRESET');
		expect(findErrorCode(new Error('something else'))).toBeUndefined();
		expect(findErrorCode('ECONNREFUSED')).toBeUndefined();
	});

	it("reads the original error through n8n's NodeApiError", () => {
		const node = { name: 'Farm Profile' } as INode;
		const original = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
		expect(findErrorCode(new NodeApiError(node, original as unknown as JsonObject))).toBe('ECONNREFUSED');
	});

	it('keeps codes with digits whole', () => {
		expect(findErrorCode({ code: 'ERR_HTTP2_STREAM_ERROR' })).toBe('ERR_HTTP2_STREAM_ERROR');
	});
});

describe('classifyNetworkError', () => {
	it.each([
		['ECONNREFUSED', 'not-reached'],
		['ENOTFOUND', 'not-reached'],
		['EAI_AGAIN', 'not-reached'],
		['EHOSTUNREACH', 'not-reached'],
		['ENETUNREACH', 'not-reached'],
		['ERR_INVALID_URL', 'not-reached'],
		['CERT_HAS_EXPIRED', 'not-reached'],
		['DEPTH_ZERO_SELF_SIGNED_CERT', 'not-reached'],
		['SELF_SIGNED_CERT_IN_CHAIN', 'not-reached'],
		['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'not-reached'],
		['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'not-reached'],
		['ERR_TLS_CERT_ALTNAME_INVALID', 'not-reached'],
		['ETIMEDOUT', 'timed-out'],
		['ECONNABORTED', 'timed-out'],
		['ESOCKETTIMEDOUT', 'timed-out'],
		['UND_ERR_CONNECT_TIMEOUT', 'timed-out'],
		['UND_ERR_HEADERS_TIMEOUT', 'timed-out'],
		['ECONNRESET', 'broken'],
		['EPIPE', 'broken'],
		['ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC', 'broken'],
	])('%s: %s', (code, kind) => {
		expect(classifyNetworkError(code)).toBe(kind);
	});

	it('is what the farm transport and the storage both go by', () => {
		const storage = { credential: readStorageCredential({ endpoint: 'https://s3.example.com', bucket: 'b', accessKeyId: 'a', secretAccessKey: 's' }) };
		for (const code of ['ECONNREFUSED', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'ECONNRESET']) {
			const kind = classifyNetworkError(code);
			expect(describeTransportFailure(code, CREATE_POST).mayHavePosted).toBe(kind !== 'not-reached');
			expect(describeTransportFailure(code, CREATE_POST).message === 'The farm API did not answer in time').toBe(kind === 'timed-out');
			expect(mapStorageFailure(storage, { error: { code } }).message === 'The storage did not answer in time (upload)').toBe(kind === 'timed-out');
		}
	});
});
