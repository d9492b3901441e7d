// The API allows TEAM_LIMIT_PER_MINUTE requests per minute per team, shared by every workflow using the key.
// One pacer per key and base URL keeps this n8n process within the limit across items, node runs
// and concurrent executions. By default it keeps the limit itself: never more than `limit` sends
// in any window-long span (a log of send times), which holds under a fixed or a rolling window
// and lets small batches go at once. Even spacing stays available for keys shared with other tools.
// A 429 holds every later request back.

import { createHash } from 'node:crypto';

/** The farm API's limit: requests per team key per minute (vendor's API reference). */
export const TEAM_LIMIT_PER_MINUTE = 30;

/** 2% headroom, so clock jitter and network delay do not land the 31st request inside the window. */
const HEADROOM = 1.02;

export type PacingMode = 'window' | 'even';

export interface PaceRule {
	/** Requests allowed per window; 0 turns pacing off. */
	limit: number;
	windowMs: number;
	mode: PacingMode;
}

export class Pacer {
	/** Send times handed out, oldest first, never decreasing; only the last window's are kept. */
	private sends: number[] = [];
	private heldUntil = 0;

	/** Reserves a send time for one request; returns how long to wait for it. */
	reserve(now: number, rule: PaceRule): number {
		if (rule.limit <= 0) return Math.max(0, this.heldUntil - now);
		const span = Math.ceil(rule.windowMs * HEADROOM);
		const last = this.sends.length ? this.sends[this.sends.length - 1] : -Infinity;
		let at = Math.max(now, this.heldUntil, last);
		if (rule.mode === 'even') {
			at = Math.max(at, last + Math.ceil(span / rule.limit));
		} else if (this.sends.length >= rule.limit) {
			// The request `limit` sends back must have left the window before this one goes.
			at = Math.max(at, this.sends[this.sends.length - rule.limit] + span);
		}
		this.sends.push(at);
		while (this.sends.length > rule.limit && this.sends[0] <= at - span) this.sends.shift();
		return at - now;
	}

	/** No send before `time`: after a 429 nobody in this process should knock before the wait is over. */
	holdUntil(time: number): void {
		this.heldUntil = Math.max(this.heldUntil, time);
	}
}

const pacers = new Map<string, Pacer>();

/** One identity per team key at one base URL; the key itself is never kept, only this hash. */
export function teamId(baseUrl: string, apiKey: string): string {
	return createHash('sha256').update(`${baseUrl}\n${apiKey}`).digest('hex');
}

/** The process-wide pacer of one team key at one base URL. */
export function pacerFor(baseUrl: string, apiKey: string): Pacer {
	const id = teamId(baseUrl, apiKey);
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
