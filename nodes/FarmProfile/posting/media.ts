// The media step, one interface for both Media Sources. Before the guards: what can be checked
// without sending anything, and what the duplicate guard compares. After the reservation, when the
// post's schedule is final: the link the farm gets (a URL looked at the way the farm will, or a file
// uploaded to the user's storage).

import { randomUUID } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { fieldLabel } from '../actions/fields';
import { binaryFieldLabel, readBinaryMedia, type BinaryAccess, type BinaryMedia } from '../media/binaryMedia';
import { httpMediaFetch } from '../media/fetch';
import { preflightMedia } from '../media/preflight';
import { normaliseMediaUrl } from '../state/postHistory';
import { checkStorage, uploadMedia } from '../storage/upload';
import type { Storage } from '../storage/storageCredential';
import type { ApiFailure } from '../transport/failures';
import type { FieldIssue, PreparedPost } from './body';
import type { PostInput } from './input';
import type { FarmRun, PostingRun } from './run';

export interface PostMedia {
	/** What the duplicate guard compares: the normalised URL, or "sha256:<hex>" of a file (its link changes with every upload). */
	identity: string;
	/** The field an issue about the media names. */
	field: string;
	/** What a plan shows of the media before anything is delivered. */
	preview: IDataObject;
	deliver(post: PreparedPost): Promise<Delivery>;
}

export type Delivery =
	/** `shown` replaces the link in the output: a presigned link's signature never leaves the node. */
	| { ok: true; url: string; shown: IDataObject; secrets: string[] }
	| { ok: false; issues: FieldIssue[] }
	| { ok: false; failure: ApiFailure };

export type MediaCheck = { ok: true; media: PostMedia } | { ok: false; issues: FieldIssue[] };

export async function checkMedia(run: PostingRun, itemIndex: number, input: PostInput, post: PreparedPost): Promise<MediaCheck> {
	return input.mediaSource === 'binaryFile' ? await checkFile(run, itemIndex, input, post) : { ok: true, media: urlMedia(run, input, post) };
}

function urlMedia(run: PostingRun, input: PostInput, post: PreparedPost): PostMedia {
	const field = fieldLabel('mediaUrl');
	return {
		identity: normaliseMediaUrl(post.body.media_url),
		field,
		preview: { media_url: post.body.media_url },
		deliver: async ({ body }) => {
			if (input.guards.preflight) {
				const fetch = httpMediaFetch(run.ctx, input.timeout);
				const problem = await preflightMedia(fetch, body.media_url, body.media_type, { allowPrivateHosts: run.farmIsPrivate });
				if (problem) return { ok: false, issues: [{ field, ...problem }] };
			}
			return { ok: true, url: body.media_url, shown: { media_url: body.media_url }, secrets: [] };
		},
	};
}

async function checkFile(run: PostingRun, itemIndex: number, input: PostInput, post: PreparedPost): Promise<MediaCheck> {
	const { media_type: mediaType } = post.body;
	const read = await readBinaryMedia(binaryAccess(run, itemIndex), mediaType, input.binaryProperties ?? []);
	if (!read.ok) return read;
	const storage = await run.storage();
	const issues = storageIssues(run, storage, post);
	if (issues.length > 0) return { ok: false, issues };
	return {
		ok: true,
		media: {
			identity: `sha256:${read.media.sha256}`,
			field: binaryFieldLabel(mediaType),
			preview: { media: filePreview(read.media) },
			deliver: async (reserved) => await upload(run, storage, read.media, reserved),
		},
	};
}

/** The cadence guard may have moved the post since the first check: the link must still cover it. */
async function upload(run: PostingRun, storage: Storage, file: BinaryMedia, post: PreparedPost): Promise<Delivery> {
	const now = new Date();
	const issues = storageIssues(run, storage, post, now);
	if (issues.length > 0) return { ok: false, issues };
	const scheduledAt = scheduledDate(post);
	const result = await uploadMedia(storage, file, { reference: post.postRef ?? randomUUID(), now, scheduledAt });
	if (!result.ok) return result;
	const { uploaded } = result;
	return { ok: true, url: uploaded.url, shown: { media_url: uploaded.safeUrl, media: uploaded.output }, secrets: uploaded.secrets };
}

/** A file before its upload: which fields, how big, its content hash. */
function filePreview(file: BinaryMedia): IDataObject {
	return { fields: file.fields, size: file.size, sha256: file.sha256, content_type: file.contentType, ...(file.slides === undefined ? {} : { slides: file.slides }) };
}

function storageIssues(run: PostingRun, storage: Storage, post: PreparedPost, now = new Date()): FieldIssue[] {
	return checkStorage(storage, { farmIsPrivate: run.farmIsPrivate, now, scheduledAt: scheduledDate(post) });
}

function scheduledDate({ body }: PreparedPost): Date | undefined {
	return body.execute_at === undefined ? undefined : new Date(body.execute_at);
}

/** The item's binary data through n8n's helpers: a Buffer in memory mode, streams in filesystem mode. */
export function binaryAccess({ ctx }: FarmRun, itemIndex: number): BinaryAccess {
	return {
		binary: ctx.getInputData()[itemIndex].binary,
		readBuffer: async (name) => await ctx.helpers.getBinaryDataBuffer(itemIndex, name),
		openStream: async (id) => await ctx.helpers.getBinaryStream(id),
	};
}
