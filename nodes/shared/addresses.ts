// Which addresses the farm can reach: the one network policy, shared by the field checks, the
// callback check, the media preflight and the storage; and how an address typed without a scheme is read.

/** True for hosts that only this machine can reach, where plain http:// is acceptable (local sandboxes). */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return (
		host === 'localhost' ||
		host.endsWith('.localhost') ||
		host === '::1' ||
		/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
	);
}

/** Loopback, private, link-local and unspecified addresses, by name or literal IP. */
export function isPrivateHost(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	if (isLoopbackHost(host) || host === '0.0.0.0' || host === '::' || host.endsWith('.local') || host.endsWith('.internal')) return true;
	const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
	if (v4) {
		const [a, b] = [Number(v4[1]), Number(v4[2])];
		return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || a === 0;
	}
	return /^(fc|fd|fe80)/.test(host);
}

/** Whether a URL points at this machine or a private network (false for anything that does not parse). */
export function isPrivateUrl(value: string): boolean {
	try {
		return isPrivateHost(new URL(value).hostname);
	} catch {
		return false;
	}
}

/** https://, or plain http:// to this machine (a local sandbox). */
export function isHttpsOrLoopback(url: URL): boolean {
	return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** Whether an address starts with a scheme (https://, http://, …). */
export function hasScheme(address: string): boolean {
	return /^[a-z][a-z0-9+.-]*:\/\//i.test(address);
}

/** An address as the user may type it: one without a scheme is taken as https://. */
export function withHttps(address: string): string {
	return address === '' || hasScheme(address) ? address : `https://${address}`;
}
