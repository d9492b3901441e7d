import type { IExecuteFunctions } from 'n8n-workflow';

import type { MediaFetch } from './mediaPreflight';

/** The media preflight's requests, through n8n's HTTP helper: no credential, no redirects followed. */
export function httpMediaFetch(ctx: IExecuteFunctions): MediaFetch {
	return async ({ method, url, range }) => {
		const response = await ctx.helpers.httpRequest({
			method,
			url,
			headers: range ? { Range: range } : {},
			encoding: 'arraybuffer',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: 15_000,
		});
		return {
			status: response.statusCode,
			headers: response.headers ?? {},
			body: Buffer.from(response.body ?? []),
		};
	};
}
