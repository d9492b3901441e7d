// The farm's post.published call on the resume URL. n8n has already checked the URL's signature
// (a forged or altered URL gets 401 before this runs); the body is checked here. Answering without
// workflow data leaves the execution waiting for the real call.

import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { callbackOutput, parseCallback, PUBLISHED_EVENT } from '../../shared/callback';

export async function postAndWaitWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const parsed = parseCallback(this.getBodyData());
	if (!parsed.ok) {
		this.getResponseObject().status(400).json({ detail: parsed.problem });
		return { noWebhookResponse: true };
	}
	if (parsed.callback.event !== PUBLISHED_EVENT) {
		return { webhookResponse: { received: true, ignored: `event ${parsed.callback.event} is not ${PUBLISHED_EVENT}` } };
	}
	const output = callbackOutput(parsed.callback, this.getQueryData() as Record<string, unknown>, new Date());
	return { workflowData: [[{ json: { ...output, task_id: taskIdBeforeWaiting(this), status: 'published' } }]] };
}

/**
 * The node's own output from before the wait (it holds the task id) is still in the execution's
 * run data while the callback is handled; n8n drops it only when the execution goes on.
 */
function taskIdBeforeWaiting(ctx: IWebhookFunctions): string | null {
	try {
		const name = JSON.stringify(ctx.getNode().name);
		const value = ctx.evaluateExpression(`{{ $node[${name}].json.task_id }}`, 0);
		return typeof value === 'string' && value !== '' ? value : null;
	} catch {
		return null;
	}
}
