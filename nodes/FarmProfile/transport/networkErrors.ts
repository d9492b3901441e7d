// A request that got no HTTP answer: which network error it was, and what that means for what was
// sent. One rule for the farm API (transport/failures.ts) and the storage (storage/s3Errors.ts).

/**
 * What a network error says about the request:
 * - not-reached: it never left (no connection, or the server's certificate refused in the handshake);
 * - timed-out: it may have arrived, the answer did not come in time;
 * - broken: the connection failed at some other point, possibly after the request arrived.
 */
export type NetworkFailure = 'not-reached' | 'timed-out' | 'broken';

const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL']);

const TIMED_OUT = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);

/**
 * Node's codes for a server certificate refused by the TLS handshake (CERT_HAS_EXPIRED,
 * DEPTH_ZERO_SELF_SIGNED_CERT, UNABLE_TO_VERIFY_LEAF_SIGNATURE, ERR_TLS_CERT_ALTNAME_INVALID, …):
 * nothing was sent yet.
 */
export function isCertificateRefused(code: string): boolean {
	return /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code);
}

export function classifyNetworkError(code: string): NetworkFailure {
	if (NOT_CONNECTED.has(code) || isCertificateRefused(code)) return 'not-reached';
	if (TIMED_OUT.has(code)) return 'timed-out';
	return 'broken';
}

/**
 * Finds the network error code on an error, or on what it wraps: n8n's NodeApiError keeps the
 * original as `cause`, or as `errorResponse` when it does not recognise it as an Error.
 */
export function findErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
		const message = (current as { message?: unknown }).message;
		if (typeof message === 'string') {
			const match = /\b(E[A-Z]{3,}|ERR_[A-Z_]+)\b/.exec(message);
			if (match) return match[1];
			if (/timeout/i.test(message)) return 'ETIMEDOUT';
			if (/socket hang up/i.test(message)) return 'ECONNRESET';
		}
		const wrapper = current as { cause?: unknown; errorResponse?: unknown };
		current = wrapper.cause ?? wrapper.errorResponse;
	}
	return undefined;
}
