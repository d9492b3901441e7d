// "Post and Wait for Publish": posts with n8n's signed resume URL as the callback, then parks the
// execution (no worker held, no polling) until the farm calls back or the time limit passes.

import { randomUUID } from 'node:crypto';

import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { readPostInput } from '../posting/input';
import { requireResumeSignature } from '../state/n8nInternals';
import { holdForTimeout, notConfirmedItem } from '../state/waitingExecution';
import { POST_REF_PARAM, PROFILE_ID_PARAM } from '../../shared/correlation';
import { eachItem, postOne } from '../posting/postItems';
import { prepareItem } from '../posting/prepare';
import { openRun } from '../posting/run';

/** The oldest n8n this operation is tested with; older ones may lack signed resume URLs. */
const MIN_N8N_FOR_WAIT = '1.123';

export async function executePostAndWait(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length !== 1) {
		// One execution waits for one callback: n8n resumes it on the first call it gets.
		throw new NodeOperationError(this.getNode(), `Post and Wait for Publish takes one item per run; this run got ${items.length}`, {
			description:
				'Put a Loop Over Items node (batch size 1) before this node so each post waits for its own callback, or use Post to Farm Profile with the Farm Profile Trigger to post many at once. Nothing was sent.',
		});
	}
	if (typeof this.getSignedResumeUrl !== 'function' || typeof this.putExecutionToWait !== 'function') {
		throw new NodeOperationError(this.getNode(), `Post and Wait for Publish needs n8n ${MIN_N8N_FOR_WAIT} or later`, {
			description: 'This n8n cannot give out signed resume URLs. Update n8n, or use Post to Farm Profile with the Farm Profile Trigger. Nothing was sent.',
		});
	}

	const input = readPostInput(this, 0);
	const postRef = input.postRef ?? randomUUID();
	// The reference and profile travel in the signed URL, so the callback hands them back untampered.
	const resumeUrl = this.getSignedResumeUrl({ [POST_REF_PARAM]: postRef, [PROFILE_ID_PARAM]: String(input.profileId ?? '').trim() });
	requireResumeSignature(this);

	const run = await openRun(this, { kind: 'resumeUrl', url: resumeUrl });
	const [result] = await eachItem(this, async (itemIndex) => await postOne(run, await prepareItem(run, itemIndex, input)));
	if (result.json.error !== undefined) return [[result]]; // continue-on-fail: nothing to wait for

	const posted = { ...result.json, post_ref: postRef };
	const until = waitUntil(posted, input.waitLimitHours, Date.now());
	await this.putExecutionToWait(until);
	holdForTimeout(this, notConfirmedItem(posted, until));
	// Shown while the execution waits; the callback's item, or the held one, replaces it.
	return [[{ json: { ...posted, waiting_until: until.toISOString() }, pairedItem: { item: 0 } }]];
}

/** The limit counts from the scheduled time when there is one: a post cannot go live before it. */
export function waitUntil(result: IDataObject, limitHours: number, now: number): Date {
	const from = Math.max(typeof result.execute_at === 'number' ? result.execute_at : 0, now);
	return new Date(from + limitHours * 3_600_000);
}
