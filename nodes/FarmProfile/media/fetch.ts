import type { IExecuteFunctions } from 'n8n-workflow';

export interface MediaResponse {
	status: number;
	headers: Record<string, unknown>;
	body: Buffer;
}

/** One HTTP request without following redirects; throws on network errors. */
export type MediaFetch = (request: { method: 'HEAD' | 'GET'; url: string; range?: string }) => Promise<MediaResponse>;

/**
 * The media preflight's requests, through n8n's HTTP helper: no credential, no redirects followed,
 * each bounded by the node's Timeout option.
 */
export function httpMediaFetch(ctx: IExecuteFunctions, timeoutMs: number): MediaFetch {
	return async ({ method, url, range }) => {
		const response = await ctx.helpers.httpRequest({
			method,
			url,
			headers: range ? { Range: range } : {},
			encoding: 'arraybuffer',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: timeoutMs,
		});
		return {
			status: response.statusCode,
			headers: response.headers ?? {},
			body: Buffer.from(response.body ?? []),
		};
	};
}

export function header(response: MediaResponse, name: string): string | undefined {
	const value = response.headers[name] ?? response.headers[name.toLowerCase()];
	return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
}
