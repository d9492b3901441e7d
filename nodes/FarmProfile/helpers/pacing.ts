// The API allows 30 requests per minute per team, and every workflow using the key shares them.
// One pacer per key and base URL spaces this n8n process's requests evenly (no bursts), across
// items, node runs and concurrent executions; a 429 holds every later request back.

import { createHash } from 'node:crypto';

/** Spacing leaves 2% headroom so clock jitter does not land the 31st request inside the minute. */
const HEADROOM = 1.02;

export function intervalFor(requestsPerMinute: number): number {
	return requestsPerMinute > 0 ? Math.ceil((60_000 / requestsPerMinute) * HEADROOM) : 0;
}

export class Pacer {
	private next = 0;

	/** Reserves the next free slot `intervalMs` after the last one; returns how long to wait for it. */
	reserve(now: number, intervalMs: number): number {
		const at = Math.max(now, this.next);
		this.next = at + intervalMs;
		return at - now;
	}

	/** No slot before `time`: after a 429 nobody in this process should knock before the wait is over. */
	holdUntil(time: number): void {
		this.next = Math.max(this.next, time);
	}
}

const pacers = new Map<string, Pacer>();

/** The process-wide pacer of one team key at one base URL (the key itself is not kept, only a hash). */
export function pacerFor(baseUrl: string, apiKey: string): Pacer {
	const id = createHash('sha256').update(`${baseUrl}\n${apiKey}`).digest('hex');
	let pacer = pacers.get(id);
	if (!pacer) {
		pacer = new Pacer();
		pacers.set(id, pacer);
	}
	return pacer;
}

/** Milliseconds a Retry-After header asks for (seconds or an HTTP date), or undefined when absent or unreadable. */
export function retryAfterMs(header: unknown, now: number): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Our own back-off when a 429 names no wait: 5 s, then doubling, at most a minute. */
export function backoffMs(attempt: number): number {
	return Math.min(60_000, 5_000 * 2 ** (attempt - 1));
}
