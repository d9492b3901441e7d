// Every secret the nodes handle (the API key, the trigger's token, a signed resume URL, storage keys
// and presigned links) is kept out
// of errors, logs and outputs through here.

import { RESUME_SIGNATURE_PARAM, TOKEN_PARAM } from './correlation';

const MASK = '[redacted]';

/**
 * Removes secrets (the API key, callback tokens, signed URLs) from a text before it can reach an
 * error, a log line or an output. Longer secrets go first so one that contains another is masked whole.
 */
export function redact(text: string, secrets: Array<string | undefined>): string {
	const usable = secrets
		.filter((secret): secret is string => typeof secret === 'string' && secret.length >= 4)
		.sort((a, b) => b.length - a.length);
	let result = text;
	for (const secret of usable) {
		result = result.split(secret).join(MASK);
		const encoded = encodeURIComponent(secret);
		if (encoded !== secret) result = result.split(encoded).join(MASK);
	}
	return result;
}

/**
 * The secrets a callback URL carries: the trigger's token, or a resume URL's signature and the
 * signed URL itself.
 */
export function callbackSecrets(webhookUrl: string): string[] {
	const url = new URL(webhookUrl);
	const signature = url.searchParams.get(RESUME_SIGNATURE_PARAM);
	const secrets = [url.searchParams.get(TOKEN_PARAM), signature, signature ? webhookUrl : null];
	return secrets.filter((secret): secret is string => Boolean(secret));
}

/** A presigned URL without its signature (and session token), safe for outputs, errors and logs. */
export function withoutSignature(url: string): string {
	return url.replace(/([?&])(X-Amz-Signature|X-Amz-Security-Token)=[^&#]*/gi, '$1$2=[redacted]');
}

/** Masks the given secrets, presigned query values and anything shaped like a SigV4 signature. */
export function redactSignatures(text: string, secrets: Array<string | undefined> = []): string {
	return redact(text, secrets)
		.replace(/(X-Amz-(?:Signature|Credential|Security-Token)=)[^&\s"'<]*/gi, '$1[redacted]')
		.replace(/(Signature=)[0-9a-f]{16,}/gi, '$1[redacted]')
		.replace(/\b[0-9a-f]{64}\b/gi, '[redacted]');
}
