import type { IExecuteFunctions } from 'n8n-workflow';

import type { MediaFetch } from './preflight';

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
