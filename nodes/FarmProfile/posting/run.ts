// What every item of one node run shares on the posting path: the farm API (credential read once),
// the run ledger, the guards' stores, the callback, and the storage, read when first needed.

import type { IExecuteFunctions } from 'n8n-workflow';

import { isPrivateUrl } from '../../shared/addresses';
import { PostHistory } from '../state/postHistory';
import { RunLedger } from '../state/runLedger';
import type { Storage } from '../storage/storageCredential';
import { connectStorage } from '../storage/upload';
import { connectFarmApi, type FarmApi } from '../transport/request';
import type { Callback } from './body';
import type { GuardStores } from './reserve';

export interface PostingRun {
	ctx: IExecuteFunctions;
	api: FarmApi;
	timezone: string;
	/** A farm API on this machine or a private network (a sandbox) may reach private addresses. */
	farmIsPrivate: boolean;
	ledger: RunLedger;
	guards: GuardStores;
	callback: Callback;
	/** The storage credential, read when the first item with binary media needs it. */
	storage: () => Promise<Storage>;
}

export async function openRun(ctx: IExecuteFunctions, callback: Callback): Promise<PostingRun> {
	const api = await connectFarmApi(ctx);
	return {
		ctx,
		api,
		timezone: ctx.getTimezone(),
		farmIsPrivate: isPrivateUrl(api.baseUrl),
		ledger: new RunLedger(`${ctx.getExecutionId()}:${ctx.getNode().name}`, Date.now()),
		guards: {
			history: new PostHistory(api.team, ctx.getWorkflowStaticData('node'), Date.now()),
			claims: ctx.helpers,
			team: api.team,
		},
		callback,
		storage: once(async () => await connectStorage(ctx)),
	};
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
	let made: Promise<T> | undefined;
	return async () => await (made ??= make());
}
