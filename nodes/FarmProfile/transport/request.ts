// The one way to talk to the farm API: authenticated by n8n from the credential (read once per node
// run), paced per team key, 429s waited out, and never throwing n8n's raw HTTP errors (they carry
// the request headers, and with them the API key).

import {
	sleep,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type ILoadOptionsFunctions,
} from 'n8n-workflow';

import {
	describeHttpFailure,
	describeRateLimitGiveUp,
	describeTransportFailure,
	type ApiFailure,
	type RequestEffect,
} from './failures';
import { findErrorCode } from './networkErrors';
import { backoffMs, pacerFor, retryAfterMs, teamId, type PaceRule } from './pacing';
import { redact } from '../../shared/secrets';
import { decryptedCredentialOptions } from '../state/n8nInternals';

const CREDENTIAL_TYPE = 'farmProfileApi';

export interface FarmApiRequest {
	method: IHttpRequestMethods;
	/** Path under the base URL, e.g. /v1/posts. */
	path: string;
	/** Query parameters, e.g. a list's cursor. */
	qs?: IDataObject;
	/** What the request does, as its failures tell it (e.g. CREATE_POST). */
	effect: RequestEffect;
	body?: IDataObject;
	timeout: number;
	/** Further secrets to keep out of any failure text (e.g. a callback URL's token). */
	secrets?: string[];
	pace: PaceSettings;
}

export interface PaceSettings {
	/** The team's budget this process may use. */
	rule: PaceRule;
	/** How long 429s may hold one request back in total before it fails. */
	maxRateLimitWaitMs: number;
}

export type FarmApiOutcome =
	| { ok: true; status: number; body: unknown; headers: Record<string, unknown> }
	| { ok: false; failure: ApiFailure; status?: number };

/** Base URL without trailing slashes, so a path can be appended whole (and a path prefix survives). */
function joinUrl(baseUrl: string, path: string): string {
	return `${baseUrl.trim().replace(/\/+$/, '')}${path}`;
}

export interface FarmApi {
	/** The credential's Base URL, as entered. */
	baseUrl: string;
	/** Who shares the rate limit and the profiles: the key at this base URL, hashed. */
	team: string;
	send(request: FarmApiRequest): Promise<FarmApiOutcome>;
}

/** Where the farm API is called from: a node run, or the editor's lookups (the Sound list). */
export type FarmApiContext = IExecuteFunctions | ILoadOptionsFunctions;

/** Reads the credential once; every request of the node run (or lookup) then reuses it. */
export async function connectFarmApi(ctx: FarmApiContext): Promise<FarmApi> {
	const data = await ctx.getCredentials<ICredentialDataDecryptedObject & { apiKey?: string; baseUrl?: string }>(CREDENTIAL_TYPE);
	const reuse = decryptedCredentialOptions(ctx, CREDENTIAL_TYPE, data);
	const baseUrl = data.baseUrl ?? '';
	return {
		baseUrl,
		team: teamId(baseUrl, data.apiKey ?? ''),
		send: async (request) => await sendPaced(ctx, request, { baseUrl, apiKey: data.apiKey ?? '', reuse }),
	};
}

async function sendPaced(
	ctx: FarmApiContext,
	request: FarmApiRequest,
	credentials: { baseUrl: string; apiKey: string; reuse: ReturnType<typeof decryptedCredentialOptions> },
): Promise<FarmApiOutcome> {
	const secrets = [credentials.apiKey, ...(request.secrets ?? [])];
	const clean = (failure: ApiFailure): ApiFailure => ({
		...failure,
		message: redact(failure.message, secrets),
		description: redact(failure.description, secrets),
	});

	const { baseUrl, reuse } = credentials;
	const pacer = pacerFor(baseUrl, credentials.apiKey);
	let rateLimitWaits = 0;
	for (let attempt = 1; ; attempt++) {
		const wait = pacer.reserve(Date.now(), request.pace.rule);
		if (wait > 0) await sleep(wait);

		let response: { statusCode: number; body: unknown; headers: Record<string, unknown> };
		try {
			response = await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
				method: request.method,
				url: joinUrl(baseUrl, request.path),
				qs: request.qs,
				body: request.body,
				json: true,
				timeout: request.timeout,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			}, reuse);
		} catch (error) {
			return { ok: false, failure: clean(describeTransportFailure(findErrorCode(error), request.effect)) };
		}
		const status = response.statusCode;
		const headers = response.headers ?? {};
		if (status === 429) {
			// Refused, so nothing was posted: safe to send again once the wait is over.
			const hold = retryAfterMs(headers['retry-after'], Date.now()) ?? backoffMs(attempt);
			if (rateLimitWaits + hold > request.pace.maxRateLimitWaitMs) {
				return { ok: false, status, failure: clean(describeRateLimitGiveUp(rateLimitWaits, response.body, request.effect)) };
			}
			rateLimitWaits += hold;
			pacer.holdUntil(Date.now() + hold);
			continue;
		}
		if (status < 200 || status > 299) {
			return { ok: false, status, failure: clean(describeHttpFailure(status, response.body, request.effect)) };
		}
		return { ok: true, status, body: response.body, headers };
	}
}
