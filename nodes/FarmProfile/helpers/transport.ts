// The one function that talks to the farm API: authenticated by n8n from the credential, and never
// throwing n8n's raw HTTP errors (they carry the request headers, and with them the API key).

import type { IDataObject, IExecuteFunctions, IHttpRequestMethods } from 'n8n-workflow';

import { describeHttpFailure, describeTransportFailure, findErrorCode, type ApiFailure } from './apiErrors';
import { redact } from './redact';

export const CREDENTIAL_TYPE = 'farmProfileApi';

export interface FarmApiRequest {
	method: IHttpRequestMethods;
	/** Path under the base URL, e.g. /v1/posts. */
	path: string;
	body?: IDataObject;
	timeout: number;
	/** Further secrets to keep out of any failure text (e.g. a callback URL's token). */
	secrets?: string[];
}

export type FarmApiOutcome =
	| { ok: true; status: number; body: unknown; headers: Record<string, unknown> }
	| { ok: false; failure: ApiFailure; status?: number };

/** Base URL without trailing slashes, so a path can be appended whole (and a path prefix survives). */
export function joinUrl(baseUrl: string, path: string): string {
	return `${baseUrl.trim().replace(/\/+$/, '')}${path}`;
}

export async function requestFarmApi(
	ctx: IExecuteFunctions,
	request: FarmApiRequest,
): Promise<FarmApiOutcome> {
	const credentials = await ctx.getCredentials<{ apiKey?: string; baseUrl?: string }>(CREDENTIAL_TYPE);
	const secrets = [credentials.apiKey, ...(request.secrets ?? [])];
	const clean = (failure: ApiFailure): ApiFailure => ({
		...failure,
		message: redact(failure.message, secrets),
		description: redact(failure.description, secrets),
	});

	let response: { statusCode: number; body: unknown; headers: Record<string, unknown> };
	try {
		response = await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, {
			method: request.method,
			url: joinUrl(credentials.baseUrl ?? '', request.path),
			body: request.body,
			json: true,
			timeout: request.timeout,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
	} catch (error) {
		return { ok: false, failure: clean(describeTransportFailure(findErrorCode(error))) };
	}
	const status = response.statusCode;
	if (status < 200 || status > 299) {
		return { ok: false, status, failure: clean(describeHttpFailure(status, response.body)) };
	}
	return { ok: true, status, body: response.body, headers: response.headers ?? {} };
}
