// What each answer of the farm API means for the user, and what to do about it. The server's own
// `detail` (FastAPI style: a string, or for 422 a list of {loc, msg, type}) is shown beside it.

import { labelForBodyProperty } from '../actions/fields';
import { labelForProfileProperty } from '../actions/profileFields';
import { classifyNetworkError } from './networkErrors';
import { TEAM_LIMIT_PER_MINUTE } from './pacing';

export interface ApiFailure {
	message: string;
	description: string;
	/** The HTTP status, or the network error code. */
	code: string;
	/** Whether the post may have been queued despite the failure: never retry such a one blindly. */
	mayHavePosted: boolean;
}

const MAY_HAVE_POSTED =
	'The post may still go up. Do not retry blindly: first check the TikTok account (and the drafts on the phone) for this media, then post again only if it is missing.';

/** What a request does, as its failures tell it: a GET of a list, a PATCH and a POST do not fail alike. */
export interface RequestEffect {
	/** What did not happen when the request was refused or never reached the API, e.g. "Nothing was posted". */
	nothingDone: string;
	/** What an answer that leaves open whether it took effect (5xx, timeout, broken connection) means. */
	unclear: string;
	/** Whether such an answer may have done something that must not be repeated blindly (a post). */
	unclearMayHavePosted: boolean;
	/** What a 404 and a 409 mean for this request: the message, and what to do after nothingDone. */
	notFound: { message: string; fix: string };
	conflict: { message: string; fix: string };
	/** What a 403 means when it is not about the key (a profile of another team); unset: the key was refused, as for a 401. */
	forbidden?: { message: string; fix: string };
	/** The label a 422 names a body property by; unset: a post's field labels. */
	fieldLabel?: (property: string) => string;
}

/** The fix for a 404 on a profile: the same for every request that names one. */
const CHECK_PROFILE_ID = 'Check Profile ID: it must be the profile_id (a UUID) of a farm profile that belongs to the team of this API key.';

/** POST /v1/posts: queues a post. */
export const CREATE_POST: RequestEffect = {
	nothingDone: 'Nothing was posted',
	unclear: MAY_HAVE_POSTED,
	unclearMayHavePosted: true,
	notFound: { message: 'Farm profile not found (404)', fix: CHECK_PROFILE_ID },
	conflict: {
		message: 'The farm profile is not ready to post (409)',
		fix: 'Only a profile with status "ready" (fully warmed up) may post; posting earlier risks TikTok flagging the account. Wait until its warm-up finishes, then run again.',
	},
};

/** GET /v1/sources: reads the team's sounds and hashtags; it changes nothing, so it is always safe to repeat. */
export const LIST_SOURCES: RequestEffect = {
	nothingDone: 'The list was not loaded',
	unclear: 'The list did not arrive. Reading it changes nothing, so it is safe to try again.',
	unclearMayHavePosted: false,
	notFound: {
		message: 'The farm API has no list of sources at this address (404)',
		fix: 'Check Base URL in the Farm Profile API credential: it must be the root address of the farm API, without /v1. You can still enter a Sound ID by ID.',
	},
	conflict: { message: 'The farm API refused the list (409)', fix: 'Try again in a moment; the server\'s answer is below.' },
	fieldLabel: (property) => property,
};

/** PATCH /v1/farm-profiles/{id}: sets the bio and picture; setting them again to the same values is harmless. */
export const UPDATE_PROFILE: RequestEffect = {
	nothingDone: 'The profile was not changed',
	unclear: 'The update may or may not have been applied. An update is safe to repeat: run the node again and it sets the same values.',
	unclearMayHavePosted: false,
	notFound: { message: 'Farm profile not found (404)', fix: CHECK_PROFILE_ID },
	conflict: {
		message: 'The farm API refused to change the profile now (409)',
		fix: 'The server\'s answer below says why (for instance the profile\'s current state). An update is safe to repeat once that is resolved.',
	},
	forbidden: {
		message: 'The farm profile belongs to another team (403)',
		fix: 'This API key may change only its own team\'s profiles: check Profile ID, and that the Farm Profile API credential holds the key of the team that owns the profile.',
	},
	fieldLabel: labelForProfileProperty,
};

/** Turns the API's detail into one readable line: a string as is, the 422 list joined by field. */
export function formatDetail(body: unknown, label: (property: string) => string = labelForBodyProperty): string | undefined {
	if (typeof body === 'string') {
		const trimmed = body.trim();
		if (trimmed === '') return undefined;
		if (/^<(!doctype|html)/i.test(trimmed)) {
			return 'the server answered with an HTML page, not the farm API\'s JSON (is Base URL right?)';
		}
		return trimmed.slice(0, 500);
	}
	if (typeof body !== 'object' || body === null) return undefined;
	const detail = (body as { detail?: unknown }).detail;
	if (typeof detail === 'string') return detail;
	if (Array.isArray(detail)) {
		const parts = detail.map((entry) => {
			if (typeof entry !== 'object' || entry === null) return String(entry);
			const { loc, msg } = entry as { loc?: unknown; msg?: unknown };
			const path = Array.isArray(loc) ? loc.filter((part) => part !== 'body') : [];
			const field = path.length > 0 ? path.map((part) => label(String(part))).join('.') : '';
			return field ? `${field}: ${String(msg)}` : String(msg);
		});
		return parts.join('; ');
	}
	if (detail !== undefined) return JSON.stringify(detail);
	return undefined;
}

/** Describes an answer with a non-2xx status to a request with this effect. */
export function describeHttpFailure(status: number, body: unknown, effect: RequestEffect): ApiFailure {
	const detail = formatDetail(body, effect.fieldLabel);
	const withDetail = (text: string) => (detail ? `${text}\nServer said: ${detail}` : text);
	const failure = (message: string, description: string, mayHavePosted = false): ApiFailure => ({
		message,
		description: withDetail(description),
		code: String(status),
		mayHavePosted,
	});

	const { nothingDone } = effect;
	switch (status) {
		case 400:
			return failure(
				'The farm API rejected the request (400 Bad Request)',
				`${nothingDone}. Check the fields named by the server below, fix them and run again.`,
			);
		case 401:
		case 403:
			if (status === 403 && effect.forbidden) return failure(effect.forbidden.message, `${nothingDone}. ${effect.forbidden.fix}`);
			return failure(
				`The farm API refused the API key (${status})`,
				`${nothingDone}. Open the Farm Profile API credential: check that the API key is current and belongs to your team, and that Base URL points at the farm API.`,
			);
		case 404:
			return failure(effect.notFound.message, `${nothingDone}. ${effect.notFound.fix}`);
		case 409:
			return failure(effect.conflict.message, `${nothingDone}. ${effect.conflict.fix}`);
		case 422:
			return failure(
				'The farm API could not accept these fields (422)',
				`${nothingDone}. Fix the fields listed below and run again.`,
			);
		case 429:
			return failure(
				`Rate limit reached (429): ${TEAM_LIMIT_PER_MINUTE} requests per minute per team`,
				`${nothingDone}; it is safe to run again after a pause of a minute. The limit is shared by every workflow that uses this team's API key.`,
			);
		case 502:
			return failure('The farm API answered 502 Bad Gateway', effect.unclear, effect.unclearMayHavePosted);
		default:
			if (status >= 500) {
				return failure(`The farm API failed (${status})`, effect.unclear, effect.unclearMayHavePosted);
			}
			return failure(
				`The farm API answered with an unexpected status (${status})`,
				'Check Base URL in the Farm Profile API credential: it should point at the farm API.',
			);
	}
}

/**
 * Describes a request that got no HTTP answer, from the network error code found on the error.
 * The code stays out of the message: n8n swaps messages that contain one for its own generic text.
 */
export function describeTransportFailure(code: string | undefined, effect: RequestEffect): ApiFailure {
	const seen = `Network error: ${code ?? 'none given'}.`;
	if (code && classifyNetworkError(code) === 'not-reached') {
		return {
			message: 'Could not reach the farm API',
			description: `${seen} ${effect.nothingDone}. Check Base URL in the Farm Profile API credential and that this n8n can reach it, then run again.`,
			code,
			mayHavePosted: false,
		};
	}
	if (code && classifyNetworkError(code) === 'timed-out') {
		return {
			message: 'The farm API did not answer in time',
			description: `${seen} ${effect.unclear}`,
			code,
			mayHavePosted: effect.unclearMayHavePosted,
		};
	}
	return {
		message: 'The connection to the farm API broke before it answered',
		description: `${seen} ${effect.unclear}`,
		code: code ?? 'UNKNOWN',
		mayHavePosted: effect.unclearMayHavePosted,
	};
}

/** A 2xx answer that is not what the request returns (a farm profile, a list of sources): most likely Base URL points elsewhere. */
export function describeUnexpectedAnswer(status: number, expected: string, effect: RequestEffect): ApiFailure {
	return {
		message: `The answer (${status}) is not ${expected}`,
		description: `Check Base URL in the Farm Profile API credential: a web page or proxy answered instead of the farm API. ${effect.unclear}`,
		code: String(status),
		mayHavePosted: effect.unclearMayHavePosted,
	};
}

/** A retry of a run meets an item whose earlier attempt may have posted: it is not sent again. */
export function describeNotSentAgain(earlier: ApiFailure): ApiFailure {
	return {
		...earlier,
		message: `Not sent again: an earlier attempt of this run failed ambiguously (${earlier.code})`,
		description: `The earlier attempt said: ${earlier.message}. ${MAY_HAVE_POSTED}`,
	};
}

/** 429s kept coming for longer than the user allows to wait. */
export function describeRateLimitGiveUp(waitedMs: number, body: unknown, effect: RequestEffect): ApiFailure {
	const failure = describeHttpFailure(429, body, effect);
	return {
		...failure,
		description: `Waited ${Math.round(waitedMs / 1000)} s in total for the limit to clear, more than Max Wait on Rate Limit allows. ${failure.description}`,
	};
}

/** A 2xx answer without a task_id: most likely Base URL points at something that is not the farm API. */
export function describeMissingTaskId(status: number): ApiFailure {
	return {
		message: `The answer (${status}) has no task_id`,
		description:
			'Check Base URL in the Farm Profile API credential: a web page or proxy answered instead of the farm API. If Base URL is right, the post may have been queued: check the account before posting again.',
		code: String(status),
		mayHavePosted: true,
	};
}
