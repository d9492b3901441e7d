// The checks on an incoming post.published call, apart from n8n so each can be tested on its own.
// The API signs nothing, so a shared token in the URL is the only proof a call is ours.

import { createHash, timingSafeEqual } from 'node:crypto';

import { readCorrelation } from './correlation';

export const PUBLISHED_EVENT = 'post.published';
export const ANY_EVENT = '*';

/** Constant-time comparison; hashing first makes the lengths equal, so length leaks nothing either. */
export function tokenMatches(given: unknown, expected: string): boolean {
	if (typeof given !== 'string') return false;
	const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
	return timingSafeEqual(digest(given), digest(expected));
}

export interface PublishedCallback {
	event: string;
	phone_id: string;
	post_url: string;
	/** Any further fields the API sends, kept as they came. */
	extra: Record<string, unknown>;
}

export type ParsedCallback = { ok: true; callback: PublishedCallback } | { ok: false; problem: string };

export function parseCallback(body: unknown): ParsedCallback {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return { ok: false, problem: 'The body must be a JSON object' };
	}
	const { event, phone_id: phoneId, post_url: postUrl, ...extra } = body as Record<string, unknown>;
	if (typeof phoneId !== 'string' || phoneId.trim() === '') {
		return { ok: false, problem: 'phone_id is missing' };
	}
	if (typeof postUrl !== 'string' || !isHttpUrl(postUrl)) {
		return { ok: false, problem: 'post_url is missing or not an http(s) URL' };
	}
	return {
		ok: true,
		callback: {
			event: typeof event === 'string' && event !== '' ? event : PUBLISHED_EVENT,
			phone_id: phoneId,
			post_url: postUrl,
			extra,
		},
	};
}

export function eventSelected(event: string, selected: string[]): boolean {
	return selected.includes(ANY_EVENT) || selected.includes(event);
}

/** The trigger's output: the callback, the correlation read back from the query, and when it came. */
export function callbackOutput(callback: PublishedCallback, query: Record<string, unknown>, receivedAt: Date) {
	const correlation = readCorrelation(query);
	return {
		...callback.extra,
		event: callback.event,
		phone_id: callback.phone_id,
		post_url: callback.post_url,
		post_ref: correlation.post_ref,
		profile_id: correlation.profile_id,
		query: correlation.query,
		received_at: receivedAt.toISOString(),
	};
}

function isHttpUrl(value: string): boolean {
	try {
		const { protocol } = new URL(value);
		return protocol === 'https:' || protocol === 'http:';
	} catch {
		return false;
	}
}
