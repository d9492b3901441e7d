// What the user filled in, read from n8n before any check. Options left unset take the default of
// their declaration in actions/fields.ts: no default is written twice.

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { BODY_FIELDS, declaration, OPERATIONS_WITH_WEBHOOK_URL, type BodyField } from '../actions/fields';
import type { PaceRule } from '../transport/pacing';

export type MediaSource = 'url' | 'binaryFile';

export type PostInput = { [field in BodyField]?: unknown } & {
	/** Where the media comes from: the Media URL field (unset: the same), or the item's binary file(s). */
	mediaSource?: MediaSource;
	/** Binary File: the item's binary field(s) to post, in order; empty takes all (slideshow). */
	binaryProperties?: string[];
	correlate: boolean;
	postRef?: string;
	waitLimitHours: number;
	guards: GuardSettings;
} & RequestSettings;

/** How a request to the farm API is sent: the same Options for posts, profile updates and the Sound list. */
export interface RequestSettings {
	timeout: number;
	pace: PaceRule;
	maxRateLimitWaitMs: number;
}

export interface GuardSettings {
	duplicateWindowHours: number;
	maxPostsPerDay: number;
	overLimit: 'refuse' | 'schedule';
	minGapMinutes: number;
	preflight: boolean;
}

export type OptionReader = <T extends string | number | boolean>(name: string) => T;

/** Reads the item's Options: an option unset (or of the wrong type) takes its declared default. */
export function optionReader(ctx: IExecuteFunctions, itemIndex: number): OptionReader {
	return readOptions(ctx.getNodeParameter('options', itemIndex, {}) as IDataObject);
}

/** Reads an Options collection's value the same way, wherever it comes from (e.g. the editor's current parameters). */
export function readOptions(options: IDataObject): OptionReader {
	return <T extends string | number | boolean>(name: string): T => {
		const fallback = declaration(name)?.default as T;
		return typeof options[name] === typeof fallback ? (options[name] as T) : fallback;
	};
}

export function requestSettings(option: OptionReader): RequestSettings {
	return {
		timeout: option<number>('timeout'),
		pace: {
			limit: option<number>('requestsPerMinute'),
			windowMs: option<number>('rateLimitWindow') * 1000,
			mode: option<string>('pacing') === 'even' ? 'even' : 'window',
		},
		maxRateLimitWaitMs: option<number>('maxRateLimitWait') * 1000,
	};
}

export function readPostInput(ctx: IExecuteFunctions, itemIndex: number): PostInput {
	const operation = ctx.getNodeParameter('operation', itemIndex) as string;
	const additional = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const option = optionReader(ctx, itemIndex);

	const body = {} as Record<BodyField, unknown>;
	for (const [name, field] of Object.entries(BODY_FIELDS) as Array<[BodyField, (typeof BODY_FIELDS)[BodyField]]>) {
		if ('in' in field) body[name] = additional[name];
		else if (name === 'webhookUrl' && !OPERATIONS_WITH_WEBHOOK_URL.includes(operation)) body[name] = undefined;
		else body[name] = ctx.getNodeParameter(name, itemIndex, declaration(name)?.default, { extractValue: 'locator' in field });
	}
	const mediaSource = ctx.getNodeParameter('mediaSource', itemIndex, declaration('mediaSource')?.default) === 'binaryFile' ? 'binaryFile' : 'url';
	let binaryProperties: string[] = [];
	if (mediaSource === 'binaryFile') {
		const named = body.mediaType === 'slideshow'
			? ctx.getNodeParameter('binaryProperties', itemIndex, declaration('binaryProperties')?.default)
			: ctx.getNodeParameter('binaryProperty', itemIndex, declaration('binaryProperty')?.default);
		binaryProperties = String(named ?? '')
			.split(',')
			.map((name) => name.trim())
			.filter((name) => name !== '');
	}
	return {
		...body,
		mediaSource,
		binaryProperties,
		correlate: option<boolean>('correlate'),
		postRef: option<string>('postRef').trim() || undefined,
		...requestSettings(option),
		waitLimitHours: option<number>('waitLimitHours'),
		guards: {
			duplicateWindowHours: option<number>('duplicateWindowHours'),
			maxPostsPerDay: option<number>('maxPostsPerDay'),
			overLimit: option<string>('overLimit') === 'schedule' ? 'schedule' : 'refuse',
			minGapMinutes: option<number>('minGapMinutes'),
			preflight: option<boolean>('preflight'),
		},
	};
}
