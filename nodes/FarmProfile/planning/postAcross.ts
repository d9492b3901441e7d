// Post Across Profiles, one item: its fields and media checked as Post checks them, then the planner
// chooses the profile and time (planning/planner.ts) on what each profile of the pool already has,
// and the post goes through the same guards, reservation and send as Post.
//
// The placement, the guards' decision and the reservation happen in one synchronous step, so an
// overlapping execution in this process sees the slot taken; a post refused by the farm frees its
// slot for the next item, one that may have posted (a 502) keeps it. Across processes each post
// claims the next number in its profile's chain (posting/reserve.ts): a number another worker won
// means a post this run cannot see, so that profile is left out for the rest of the run.

import { randomUUID } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { fieldLabel } from '../actions/fields';
import { attemptKey, earlierAttempt } from '../posting/attempts';
import { asNodeError, FarmApiError, invalidFieldsError } from '../posting/errors';
import { decideGuards } from '../posting/guards';
import { readPostInput } from '../posting/input';
import { buildPost, prepareItem, type ItemPost } from '../posting/prepare';
import { reserve } from '../posting/reserve';
import { planResult, withPlan } from '../posting/result';
import type { PostingRun } from '../posting/run';
import { sendReserved } from '../posting/send';
import { readPlanInput, type PlanInput } from './planInput';
import { placePost, type Placement, type PoolHistory } from './planner';

/** What the items of one run learn about the pool as they go. */
export interface PoolRun {
	/** Slots planned by Plan Only: nothing holds them, yet the next items must see them. */
	planned: PoolHistory;
	/** Profiles the farm refused as unknown (404) or not ready (409): left out for the rest of the run. */
	refused: Map<string, string>;
	/** Profiles another process posted to in this node's chain since this run read its history: left out too. */
	contended: Set<string>;
}

export function newPoolRun(): PoolRun {
	return { planned: {}, refused: new Map(), contended: new Set() };
}

export async function postAcrossProfiles(run: PostingRun, itemIndex: number, poolRun: PoolRun): Promise<IDataObject> {
	const read = readPlanInput(run.ctx, itemIndex, run.timezone);
	if (!read.ok) throw invalidFieldsError(run.ctx.getNode(), read.issues, itemIndex);
	// The fields are checked as they will be sent; the profile and time are the planner's.
	const fields = { ...readPostInput(run.ctx, itemIndex), profileId: read.plan.pool[0], scheduledTime: undefined };
	const item = await prepareItem(run, itemIndex, fields);
	const key = attemptKey(item, 'planned');
	const earlier = earlierAttempt(run, item, key);
	if (earlier) return earlier;

	for (;;) {
		const plan = withoutLeftOut(run, read.plan, poolRun, itemIndex);
		const now = Date.now();
		const placement = place(run, item, plan, now, poolRun.planned);
		const sameReference = () => item.post.postRef ?? randomUUID();
		const post = buildPost(run, itemIndex, { ...fields, profileId: placement.profileId, scheduledTime: placement.slot }, sameReference);
		post.notes.push(...plan.notes);
		if (plan.planOnly) {
			(poolRun.planned[placement.profileId] ??= []).push({ slot: placement.slot, media: item.media.identity });
			return planResult(post, item.media.preview, placement.reason);
		}
		const records = run.guards.history.records(placement.profileId, now);
		const decision = decideGuards(post, item.media, records, item.input.guards, now);
		if (!decision.ok) throw invalidFieldsError(run.ctx.getNode(), [decision.issue], itemIndex);
		const reserved = await reserve(run.guards, decision.post, item.media, item.input.guards, now, run.guards.chain);
		if (!reserved.ok && 'contended' in reserved) {
			poolRun.contended.add(placement.profileId);
			continue;
		}
		if (!reserved.ok) throw invalidFieldsError(run.ctx.getNode(), [reserved.issue], itemIndex);
		try {
			return withPlan(await sendReserved(run, item, decision.post, reserved.reservation, key), placement.reason);
		} catch (error) {
			const code = error instanceof FarmApiError ? error.apiFailure.code : undefined;
			if (code === '404' || code === '409') poolRun.refused.set(placement.profileId, code);
			throw asNodeError(run.ctx.getNode(), error, itemIndex);
		}
	}
}

/** The pool less the profiles left out earlier in this run, each named in a note. */
function withoutLeftOut(run: PostingRun, plan: PlanInput, poolRun: PoolRun, itemIndex: number): PlanInput {
	const { refused, contended } = poolRun;
	let pool = plan.pool.filter((profileId) => !refused.has(profileId) && !contended.has(profileId));
	// With every profile refused, the items go on to meet the farm's answer themselves.
	if (pool.length === 0) pool = plan.pool.filter((profileId) => !contended.has(profileId));
	if (pool.length === 0) {
		throw invalidFieldsError(
			run.ctx.getNode(),
			[
				{
					field: fieldLabel('profileIds'),
					problem: 'are all being posted to by another run of this node on another n8n worker (queue mode), whose posts this run cannot see, so it cannot keep the cadence rules on them',
					fix: 'let that run finish before this one starts (e.g. a schedule far enough apart), or give runs that overlap pools of their own',
				},
			],
			itemIndex,
		);
	}
	if (pool.length === plan.pool.length) return plan;
	const why = (profileId: string) =>
		contended.has(profileId)
			? 'another run of this node, on another n8n worker, posted to it after this run read its queue'
			: `the farm answered ${refused.get(profileId) === '404' ? 'not found (404)' : 'not ready to post (409)'} earlier in this run`;
	const leftOut = plan.pool.filter((profileId) => !pool.includes(profileId));
	return { ...plan, pool, notes: [...plan.notes, ...leftOut.map((profileId) => `Profile ${profileId} was left out: ${why(profileId)}.`)] };
}

/** The planner's choice on the pool's records (held, posted, unclear, and planned by this run); throws when the pool has no room. */
function place(run: PostingRun, item: ItemPost, plan: PlanInput, now: number, plannedHere: PoolHistory): Extract<Placement, { ok: true }> {
	const history: PoolHistory = {};
	for (const profileId of plan.pool) {
		const held = run.guards.history.records(profileId, now).map(({ slot, media }) => ({ slot, media }));
		history[profileId] = [...held, ...(plannedHere[profileId] ?? [])];
	}
	const post = { ref: item.input.postRef ?? item.media.identity, media: item.media.identity };
	const window = { earliest: Math.max(plan.start, now + sendLeadMs(item)), latest: now + plan.horizonMs };
	const placement = placePost(post, plan.pool, history, plan.rules, window);
	if (placement.ok) return placement;
	const room = placement.nextRoomAt === undefined ? '' : `; the pool next has room at ${new Date(placement.nextRoomAt).toISOString()}`;
	const field = placement.rule === 'sameMedia' ? item.media.field : fieldLabel('profileIds');
	throw invalidFieldsError(run.ctx.getNode(), [{ field, problem: placement.problem, fix: `${placement.fix}${room}` }], item.itemIndex);
}

/**
 * How far ahead the first slot lies: a post must still be in the future when it reaches the farm,
 * after the pacing's wait (a window) and the longest the 429s may hold it, plus a minute.
 */
function sendLeadMs({ input }: ItemPost): number {
	return input.pace.windowMs + input.maxRateLimitWaitMs + 60_000;
}
