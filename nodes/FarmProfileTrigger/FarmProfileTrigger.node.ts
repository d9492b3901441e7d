import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { TOKEN_PARAM } from '../shared/correlation';
import { nothingToRegister } from '../shared/webhookRegistration';
import { ANY_EVENT, callbackOutput, eventSelected, parseCallback, PUBLISHED_EVENT, tokenMatches } from '../shared/callback';

export class FarmProfileTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Farm Profile Trigger',
		name: 'farmProfileTrigger',
		icon: { light: 'file:farmProfile.svg', dark: 'file:farmProfile.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		// n8n's node creator shows one entry for the Farm Profile node and this trigger together and
		// takes its description from the trigger (both 1.x and 2.x): so this sentence is the app's.
		description: 'Post TikTok videos and slideshows from warmed-up farm profiles, and start workflows when they go live',
		defaults: { name: 'Farm Profile Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					"Paste this node's Production URL into the Webhook URL field of the Farm Profile node (add ?token=… when you set a Secret Token). The farm API calls it once, with no retries, when the post goes live.",
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [PUBLISHED_EVENT],
				options: [
					{
						name: 'Post Published',
						value: PUBLISHED_EVENT,
						description: 'A post went live on TikTok',
					},
					{
						name: 'Any Event',
						value: ANY_EVENT,
						description: 'Every event the farm API sends, including ones it adds later',
					},
				],
				description: 'Calls for other events are acknowledged and start no execution',
			},
			{
				displayName: 'Secret Token',
				name: 'secretToken',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				description:
					'When set, only calls whose URL carries ?token= with this value start the workflow; others are answered 401. The farm API signs nothing, so this is the guard against forged calls.',
			},
		],
	};

	// The farm API has no subscription endpoint: the callback URL travels with each post, so there
	// is nothing to register or remove when the workflow is activated or deactivated.
	webhookMethods = nothingToRegister;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const query = this.getQueryData() as Record<string, unknown>;
		const secretToken = this.getNodeParameter('secretToken', '') as string;
		if (secretToken !== '' && !tokenMatches(query[TOKEN_PARAM], secretToken)) {
			return refuse(this, 401, 'The token query parameter is missing or wrong');
		}

		const parsed = parseCallback(this.getBodyData());
		if (!parsed.ok) return refuse(this, 400, parsed.problem);

		const events = this.getNodeParameter('events', [PUBLISHED_EVENT]) as string[];
		if (!eventSelected(parsed.callback.event, events)) {
			return { webhookResponse: { received: true, ignored: `event ${parsed.callback.event} is not selected` } };
		}

		const output = callbackOutput(parsed.callback, query, new Date());
		return { workflowData: [this.helpers.returnJsonArray([output])] };
	}
}

function refuse(ctx: IWebhookFunctions, status: number, detail: string): IWebhookResponseData {
	ctx.getResponseObject().status(status).json({ detail });
	return { noWebhookResponse: true };
}
