import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { TEAM_LIMIT_PER_MINUTE } from '../nodes/FarmProfile/transport/pacing';

export const DEFAULT_BASE_URL = 'https://api.algorhythm.app';

export class FarmProfileApi implements ICredentialType {
	name = 'farmProfileApi';

	displayName = 'Farm Profile API';

	icon: Icon = { light: 'file:farmProfile.svg', dark: 'file:farmProfile.dark.svg' };

	documentationUrl = 'https://github.com/farm-profile/n8n-nodes-farm-profile#credential';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: `Your team's API key, sent as the X-API-Key header. Every workflow using this key shares the team's rate limit of ${TEAM_LIMIT_PER_MINUTE} requests per minute.`,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			placeholder: 'e.g. https://api.algorhythm.app',
			description: 'Root address of the farm API, without the /v1 path. Change it only for a proxy or a local sandbox.',
		},
	];

	// Generic auth: n8n adds the header to every request made with this credential.
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'X-API-Key': '={{$credentials.apiKey}}',
			},
		},
	};

	// A read-only call: proves the key and the address without posting anything. The URL is built
	// whole (not baseURL + path) so a trailing slash or a path prefix in Base URL survives.
	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			url: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}/v1/sources',
			qs: { limit: 1 },
		},
		// n8n shows these instead of the bare HTTP status when the test request fails.
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: "The farm API refused this API key (401): copy your team's key again" } },
			{ type: 'responseCode', properties: { value: 403, message: 'The farm API refused this API key (403): check that it is a key of your team and still active' } },
			{
				type: 'responseCode',
				properties: { value: 404, message: 'Nothing answers at this Base URL (404 for /v1/sources): enter the root address of the farm API, without /v1' },
			},
			{
				type: 'responseCode',
				properties: {
					value: 429,
					message: `The key works, but the team's ${TEAM_LIMIT_PER_MINUTE} requests per minute are used up right now (429): test again in a minute`,
				},
			},
		],
	};
}
