import axios from 'axios';

import { FarmProfileApi, DEFAULT_BASE_URL } from '../../credentials/FarmProfileApi.credentials';
import { resolveCredentialTest } from '../harness/runWorkflow';
import { createFarmSandbox, type FarmSandbox } from '../../dev/sandbox/farmSandbox';

let sandbox: FarmSandbox;
beforeAll(async () => {
	sandbox = await createFarmSandbox({ apiKeys: ['sk-good-1234'] }).start();
});
afterAll(async () => sandbox.stop());

async function send(apiKey: string, baseUrl: string) {
	const request = await resolveCredentialTest({ apiKey, baseUrl });
	return axios.request({
		method: request.method,
		url: request.url,
		params: request.qs,
		headers: request.headers as Record<string, string>,
		validateStatus: () => true,
	});
}

describe('Farm Profile API credential', () => {
	it('declares a password API key and an editable base URL defaulting to the API host', () => {
		const credential = new FarmProfileApi();
		const [apiKey, baseUrl] = credential.properties;
		expect(apiKey).toMatchObject({ name: 'apiKey', typeOptions: { password: true }, required: true });
		expect(baseUrl).toMatchObject({ name: 'baseUrl', default: DEFAULT_BASE_URL });
	});

	it('tests the key with a read-only GET /v1/sources?limit=1 that succeeds for a good key', async () => {
		const response = await send('sk-good-1234', sandbox.url);
		expect(response.request.path).toBe('/v1/sources?limit=1');
		expect(response.config.method).toBe('get');
		expect(response.status).toBe(200);
		expect(sandbox.state.posts).toHaveLength(0);
	});

	it('fails the test for a wrong key, and n8n shows what to do for each refusal', async () => {
		expect((await send('sk-bad', sandbox.url)).status).toBe(401);
		const rules = new FarmProfileApi().test.rules ?? [];
		const messages = Object.fromEntries(rules.map((rule) => [(rule.properties as { value: number }).value, (rule.properties as { message: string }).message]));
		expect(Object.keys(messages)).toEqual(['401', '403', '404', '429']);
		expect(messages[401]).toBe("The farm API refused this API key (401): copy your team's key again");
	});

	it('tolerates trailing slashes and keeps a path prefix in Base URL', async () => {
		expect((await resolveCredentialTest({ apiKey: 'k', baseUrl: 'https://proxy.example.com/farm//' })).url).toBe(
			'https://proxy.example.com/farm/v1/sources',
		);
		expect((await send('sk-good-1234', `${sandbox.url}/`)).status).toBe(200);
	});
});
