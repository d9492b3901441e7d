// The farm's post.published call on the resume URL. n8n has already checked the URL's signature
// (a forged or altered URL gets 401 before this runs); the body is checked here. Answering without
// workflow data leaves the execution waiting for the real call.

import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { heldTaskId, PUBLISHED_STATUS } from '../state/waitingExecution';
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
	const json = { ...output, task_id: heldTaskId(this), status: PUBLISHED_STATUS, published: true };
	return { workflowData: [[{ json, pairedItem: { item: 0 } }]] };
}
