// What a "Post and Wait for Publish" execution carries across its wait, kept in the execution itself.
//
// n8n resumes a wait whose time ran out by passing the waiting node's input on: the node is disabled
// for that step and none of its code runs. So before waiting, the node puts its "not confirmed"
// answer in place of that input, in the waiting entry of n8n's execution stack. That entry is saved
// with the execution, so the answer, and the task id the resume call needs (the farm's callback has
// none), survive an n8n restart and reach whichever process takes the call in queue mode.

import type { IDataObject, IExecuteFunctions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

export const PUBLISHED_STATUS = 'published';
const NOT_CONFIRMED_STATUS = 'not_confirmed';

/** The item the workflow goes on with when the wait limit passes before the farm calls back. */
export function notConfirmedItem(posted: IDataObject, until: Date): INodeExecutionData {
	const taskId = String(posted.task_id);
	return {
		json: {
			status: NOT_CONFIRMED_STATUS,
			published: false,
			task_id: taskId,
			post_ref: posted.post_ref,
			profile_id: posted.profile_id,
			waited_until: until.toISOString(),
			message:
				`Not confirmed live: the farm did not call back by ${until.toISOString()}. ` +
				`The post may still go live later (task ${taskId}); raise Limit Wait Time if posts take longer.`,
		},
		pairedItem: { item: 0 },
	};
}

/** Puts the item in the waiting entry's input; call last, just before the node returns. */
export function holdForTimeout(ctx: IExecuteFunctions, item: INodeExecutionData): void {
	// A new object: the old one holds the previous node's output arrays, which must stay as they were.
	ctx.getExecuteData().data = { main: [[item]] };
}

/** The task id held by the waiting entry this resume call is for; null when it holds none. */
export function heldTaskId(ctx: IWebhookFunctions): string | null {
	let held: unknown;
	try {
		// The resume call's context sees the waiting entry's input as the current item.
		held = ctx.evaluateExpression('{{ $json }}', 0);
	} catch {
		return null;
	}
	const json = (held ?? {}) as IDataObject;
	return json.status === NOT_CONFIRMED_STATUS && typeof json.task_id === 'string' ? json.task_id : null;
}
