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
