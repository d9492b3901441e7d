// What every item of one node run shares: the farm API (credential read once), whether it is a
// local sandbox, and the storage, read when first needed (FarmRun); on the posting path also the
// run ledger, the guards' stores and the callback (PostingRun).

import { randomUUID } from 'node:crypto';

import type { IExecuteFunctions } from 'n8n-workflow';

import { isPrivateUrl } from '../../shared/addresses';
import { PostHistory } from '../state/postHistory';
import { RunLedger } from '../state/runLedger';
import type { Storage } from '../storage/storageCredential';
import { connectStorage } from '../storage/upload';
import { connectFarmApi, type FarmApi } from '../transport/request';
import type { Callback } from './body';
import type { GuardStores } from './reserve';

export interface FarmRun {
	ctx: IExecuteFunctions;
	api: FarmApi;
	/** A farm API on this machine or a private network (a sandbox) may reach private addresses. */
	farmIsPrivate: boolean;
	/** The storage credential, read when the first item with binary media needs it. */
	storage: () => Promise<Storage>;
}

export interface PostingRun extends FarmRun {
	timezone: string;
	ledger: RunLedger;
	guards: GuardStores;
	callback: Callback;
}

export async function openFarmRun(ctx: IExecuteFunctions): Promise<FarmRun> {
	const api = await connectFarmApi(ctx);
	return {
		ctx,
		api,
		farmIsPrivate: isPrivateUrl(api.baseUrl),
		storage: once(async () => await connectStorage(ctx)),
	};
}

/**
 * What identifies this run for the run ledger: the execution and the node, so a Retry On Fail finds
 * the earlier attempt. A tool called over MCP runs before any execution exists (no id): each call
 * is then a run of its own, not a retry of the last one.
 */
function runId(ctx: IExecuteFunctions): string {
	const execution = ctx.getExecutionId();
	return execution ? `${execution}:${ctx.getNode().name}` : `call:${randomUUID()}`;
}

/**
 * The chain this node numbers its posts to a profile in (state/postHistory.ts), named as n8n names
 * the node's static data, where the numbers are kept. None where n8n saves no static data (an
 * execution run by hand, a tool called over MCP outside any execution): numbers claimed there would
 * be known to no one, and would only stand in later runs' way.
 */
function chainOf(ctx: IExecuteFunctions): string | undefined {
	if (ctx.getMode() === 'manual' || !ctx.getExecutionId()) return undefined;
	return `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().name}`;
}

export async function openRun(ctx: IExecuteFunctions, callback: Callback): Promise<PostingRun> {
	const run = await openFarmRun(ctx);
	return {
		...run,
		timezone: ctx.getTimezone(),
		ledger: new RunLedger(runId(ctx), Date.now()),
		guards: {
			history: new PostHistory(run.api.team, ctx.getWorkflowStaticData('node'), Date.now()),
			claims: ctx.helpers,
			team: run.api.team,
			chain: chainOf(ctx),
		},
		callback,
	};
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
	let made: Promise<T> | undefined;
	return async () => await (made ??= make());
}
