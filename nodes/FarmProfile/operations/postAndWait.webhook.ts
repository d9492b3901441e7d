// The farm's post.published call on the resume URL. n8n has already checked the URL's signature
// (a forged or altered URL gets 401 before this runs); the body is checked here. Answering without
// workflow data leaves the execution waiting for the real call.

import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { takeWaitingPost } from '../helpers/waitingPosts';
import { callbackOutput, parseCallback, PUBLISHED_EVENT } from '../../shared/callback';
import { RESUME_SIGNATURE_PARAM } from '../../shared/correlation';

export async function postAndWaitWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const parsed = parseCallback(this.getBodyData());
	if (!parsed.ok) {
		this.getResponseObject().status(400).json({ detail: parsed.problem });
		return { noWebhookResponse: true };
	}
	if (parsed.callback.event !== PUBLISHED_EVENT) {
		return { webhookResponse: { received: true, ignored: `event ${parsed.callback.event} is not ${PUBLISHED_EVENT}` } };
	}
	const query = this.getQueryData() as Record<string, unknown>;
	const output = callbackOutput(parsed.callback, query, new Date());
	const taskId = takeWaitingPost(query[RESUME_SIGNATURE_PARAM]);
	return { workflowData: [[{ json: { ...output, task_id: taskId, status: 'published' } }]] };
}
