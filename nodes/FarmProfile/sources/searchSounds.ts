// Sound ID "From List": the team's indexed sounds, as n8n's editor asks for them (a list search),
// through the same paced transport as posts, so a list page counts against the team's 30 requests
// per minute like any other request.

import { NodeOperationError, type IDataObject, type ILoadOptionsFunctions, type INodeListSearchResult } from 'n8n-workflow';

import { readOptions, requestSettings } from '../posting/input';
import { describeUnexpectedAnswer, LIST_SOURCES, type ApiFailure } from '../transport/failures';
import { connectFarmApi } from '../transport/request';
import { readSoundsPage, soundListItem, soundMatches } from './soundsPage';

/** The API's largest page: the fewest requests for the list. */
const PAGE_SIZE = 100;
/**
 * The API has no documented search: a search filters the pages here, reading on until it has enough
 * matches to fill the editor's list (which asks for more as the user scrolls it) or has read this
 * many pages for one call, so that typing a search costs few of the team's requests.
 */
const MAX_PAGES_PER_SEARCH = 5;
const FILL_LIST = 10;

export async function searchSounds(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const api = await connectFarmApi(this);
	// The node's own Options (Requests per Minute, Pacing, …), as a post of this node would be sent.
	const settings = requestSettings(readOptions((this.getCurrentNodeParameter('options') ?? {}) as IDataObject));
	const fail = (failure: ApiFailure) => new NodeOperationError(this.getNode(), failure.message, { description: failure.description });

	const results: INodeListSearchResult['results'] = [];
	let cursor = paginationToken || undefined;
	for (let page = 1; page <= MAX_PAGES_PER_SEARCH; page++) {
		const outcome = await api.send({
			method: 'GET',
			path: '/v1/sources',
			qs: { source_type: 'sound', limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) },
			effect: LIST_SOURCES,
			timeout: settings.timeout,
			pace: { rule: settings.pace, maxRateLimitWaitMs: settings.maxRateLimitWaitMs },
		});
		if (!outcome.ok) throw fail(outcome.failure);
		const read = readSoundsPage(outcome.body);
		if (!read) throw fail(describeUnexpectedAnswer(outcome.status, 'a list of sources', LIST_SOURCES));
		results.push(...read.sounds.filter((sound) => soundMatches(sound, filter)).map(soundListItem));
		cursor = read.nextCursor;
		if (cursor === undefined || !filter || results.length >= FILL_LIST) break;
	}
	return { results, paginationToken: cursor };
}
