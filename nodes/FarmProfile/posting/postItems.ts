// The posting path, top to bottom: every posting operation sends its items through here.
// Items go one after another, in order, each through the same steps: read and check the fields
// (binary media: its files and the storage too) → (a retry of this run: hand back what it posted) →
// duplicate and cadence guards, reserving the post → media preflight (URL media) or upload (binary
// media) → paced send → settle the reservation. When an item stops the run, the
// error lists the items already posted.

import { randomUUID } from 'node:crypto';

import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { callbackSecrets } from '../../shared/secrets';
import { isPrivateUrl } from '../../shared/addresses';
import { binaryFieldLabel, readBinaryMedia, type BinaryAccess, type BinaryMedia } from '../media/binaryMedia';
import { httpMediaFetch } from '../media/fetch';
import { preflightMedia } from '../media/preflight';
import type { ClaimStore } from '../state/crossProcessClaim';
import { PostHistory } from '../state/postHistory';
import { ledgerKey, RunLedger } from '../state/runLedger';
import { describeMissingTaskId, describeNotSentAgain } from '../transport/failures';
import { checkStorage, connectStorage, uploadMedia, type Storage, type UploadedMedia } from '../storage/upload';
import { connectFarmApi, type FarmApi } from '../transport/request';
import { preparePost, type Callback } from './body';
import { apiFailureError, asNodeError, errorItemJson, invalidFieldsError, withPostedSoFar } from './errors';
import { reservePost } from './guards';
import { readPostInput } from './input';
import { postResult } from './result';

/** Posts every input item, one after another, each calling back to `callback`. */
export async function postItems(ctx: IExecuteFunctions, callback: Callback): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const api = await connectFarmApi(ctx);
	const run: RunContext = {
		timezone: ctx.getTimezone(),
		ledger: new RunLedger(`${ctx.getExecutionId()}:${ctx.getNode().name}`, Date.now()),
		api,
		farmIsPrivate: isPrivateUrl(api.baseUrl),
		guards: {
			history: new PostHistory(api.team, ctx.getWorkflowStaticData('node'), Date.now()),
			claims: ctx.helpers,
			team: api.team,
		},
		callback,
		storage: once(async () => await connectStorage(ctx)),
	};
	const results: INodeExecutionData[] = [];
	const posted: Array<{ itemIndex: number; taskId: string }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await postItem(ctx, itemIndex, run);
			posted.push({ itemIndex, taskId: String(result.task_id) });
			results.push({ json: result, pairedItem: { item: itemIndex } });
		} catch (error) {
			if (!ctx.continueOnFail()) throw withPostedSoFar(asNodeError(ctx.getNode(), error, itemIndex), posted);
			results.push({ json: errorItemJson(error), pairedItem: { item: itemIndex } });
		}
	}
	return results;
}

interface RunContext {
	timezone: string;
	ledger: RunLedger;
	api: FarmApi;
	/** A farm API on this machine or a private network (a sandbox) may reach private addresses. */
	farmIsPrivate: boolean;
	guards: { history: PostHistory; claims: ClaimStore; team: string };
	callback: Callback;
	/** The storage credential, read when the first item with binary media needs it. */
	storage: () => Promise<Storage>;
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
	let made: Promise<T> | undefined;
	return async () => await (made ??= make());
}

/** The item's binary data through n8n's helpers: a Buffer in memory mode, streams in filesystem mode. */
function binaryAccess(ctx: IExecuteFunctions, itemIndex: number): BinaryAccess {
	return {
		binary: ctx.getInputData()[itemIndex].binary,
		readBuffer: async (name) => await ctx.helpers.getBinaryDataBuffer(itemIndex, name),
		openStream: async (id) => await ctx.helpers.getBinaryStream(id),
	};
}

async function postItem(ctx: IExecuteFunctions, itemIndex: number, run: RunContext): Promise<IDataObject> {
	const { ledger, api, farmIsPrivate } = run;
	const input = readPostInput(ctx, itemIndex);
	const prepared = preparePost(input, {
		now: Date.now(),
		timezone: run.timezone,
		newReference: randomUUID,
		farmIsPrivate,
		callback: run.callback,
	});
	if (!prepared.ok) throw invalidFieldsError(ctx.getNode(), prepared.issues, itemIndex);

	// Binary media: the files and the storage are checked before anything is uploaded or posted.
	let media: { file: BinaryMedia; storage: Storage } | undefined;
	if (input.mediaSource === 'binaryFile') {
		const { body } = prepared.post;
		const read = await readBinaryMedia(binaryAccess(ctx, itemIndex), body.media_type, input.binaryProperties ?? []);
		if (!read.ok) throw invalidFieldsError(ctx.getNode(), read.issues, itemIndex);
		const storage = await run.storage();
		const issues = checkStorage(storage, { farmIsPrivate, now: new Date(), scheduledAt: scheduledDate(body.execute_at) });
		if (issues.length > 0) throw invalidFieldsError(ctx.getNode(), issues, itemIndex);
		media = { file: read.media, storage };
		// Its link changes with every upload: the duplicate guard compares the content.
		prepared.post.mediaIdentity = `sha256:${read.media.sha256}`;
		prepared.post.mediaField = binaryFieldLabel(body.media_type);
	}

	// The generated reference and a relative schedule change between attempts; the post does not.
	const key = ledgerKey(itemIndex, { ...prepared.post.body, webhook_url: undefined, execute_at: undefined, ref: input.postRef, media: prepared.post.mediaIdentity });
	const earlier = ledger.get(key);
	if (earlier?.state === 'posted') {
		const notes = [...((earlier.result.notes as string[]) ?? []), 'Not sent again: an earlier attempt of this run posted it.'];
		return { ...earlier.result, notes };
	}
	if (earlier?.state === 'uncertain') {
		throw apiFailureError(ctx.getNode(), describeNotSentAgain(earlier.failure), itemIndex);
	}

	const reserved = await reservePost(prepared.post, run.guards, input.guards, Date.now());
	if (!reserved.ok) throw invalidFieldsError(ctx.getNode(), [reserved.issue], itemIndex);
	const { reservation } = reserved;
	let { post } = reserved;

	let sent = false;
	try {
		let uploaded: UploadedMedia | undefined;
		if (media) {
			// After the reservation, so an overlapping duplicate is refused before anything is uploaded.
			// The cadence guard may have moved the post: the link must still cover it.
			const scheduledAt = scheduledDate(post.body.execute_at);
			const now = new Date();
			const issues = checkStorage(media.storage, { farmIsPrivate, now, scheduledAt });
			if (issues.length > 0) throw invalidFieldsError(ctx.getNode(), issues, itemIndex);
			const upload = await uploadMedia(media.storage, media.file, { reference: post.postRef ?? randomUUID(), now, scheduledAt });
			if (!upload.ok) throw apiFailureError(ctx.getNode(), { ...upload.failure, mayHavePosted: false }, itemIndex);
			uploaded = upload.uploaded;
			post = { ...post, body: { ...post.body, media_url: uploaded.url } };
		} else if (input.guards.preflight) {
			const problem = await preflightMedia(httpMediaFetch(ctx, input.timeout), post.body.media_url, post.body.media_type, { allowPrivateHosts: farmIsPrivate });
			if (problem) throw invalidFieldsError(ctx.getNode(), [{ field: 'Media URL', ...problem }], itemIndex);
		}

		sent = true;
		const outcome = await api.send({
			method: 'POST',
			path: '/v1/posts',
			body: { ...post.body },
			timeout: input.timeout,
			secrets: [...callbackSecrets(post.body.webhook_url), ...(uploaded?.secrets ?? [])],
			pace: { rule: input.pace, maxRateLimitWaitMs: input.maxRateLimitWaitMs },
		});
		if (!outcome.ok) {
			if (outcome.failure.mayHavePosted) {
				ledger.record(key, { state: 'uncertain', failure: outcome.failure });
				reservation.keepUncertain();
			} else {
				await reservation.release();
			}
			throw apiFailureError(ctx.getNode(), outcome.failure, itemIndex);
		}

		const taskId = (outcome.body as { task_id?: unknown } | null)?.task_id;
		if (typeof taskId !== 'string' || taskId === '') {
			const failure = describeMissingTaskId(outcome.status);
			ledger.record(key, { state: 'uncertain', failure });
			reservation.keepUncertain();
			throw apiFailureError(ctx.getNode(), failure, itemIndex);
		}
		const result = postResult(post, taskId);
		if (uploaded) {
			// The link's signature stays out of the output (and so out of the run ledger).
			result.media_url = uploaded.safeUrl;
			result.media = uploaded.output;
		}
		ledger.record(key, { state: 'posted', result });
		reservation.confirm(taskId);
		return result;
	} finally {
		// Whatever the steps above did not settle: before sending nothing went out; after, it may have.
		if (sent) reservation.keepUncertain();
		else await reservation.release();
	}
}

function scheduledDate(executeAt: number | undefined): Date | undefined {
	return executeAt === undefined ? undefined : new Date(executeAt);
}
