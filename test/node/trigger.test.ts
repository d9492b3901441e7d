// The trigger's webhook() with n8n's webhook context mocked, as n8n's own Typeform trigger test does.

import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { FarmProfileTrigger } from '../../nodes/FarmProfileTrigger/FarmProfileTrigger.node';
import { recordingResponse } from '../harness/webhookResponse';

interface Call {
	body: unknown;
	query?: IDataObject;
	parameters?: IDataObject;
}

function callWebhook({ body, query = {}, parameters = {} }: Call) {
	const { res, response } = recordingResponse();
	const values: IDataObject = { secretToken: '', events: ['post.published'], ...parameters };
	const context = {
		getQueryData: () => query,
		getBodyData: () => body,
		getNodeParameter: (name: string, fallback?: unknown) => values[name] ?? fallback,
		getResponseObject: () => res,
		helpers: { returnJsonArray: (items: IDataObject[]) => items.map((json) => ({ json })) },
	} as unknown as IWebhookFunctions;
	return new FarmProfileTrigger().webhook.call(context).then((result) => ({ result, response }));
}

const published = {
	event: 'post.published',
	phone_id: 'phone-ready-1',
	post_url: 'https://www.tiktok.com/@rita.ready/video/7300000000000000001',
};

describe('Farm Profile Trigger', () => {
	it('emits the callback with the correlation and the other query parameters, never the token', async () => {
		const { result } = await callWebhook({
			body: published,
			query: { post_ref: 'row-17', profile_id: 'p-1', campaign: 'fall', token: 's3cret' },
			parameters: { secretToken: 's3cret' },
		});
		const json = result.workflowData?.[0][0].json;
		expect(json).toEqual({
			event: 'post.published',
			phone_id: 'phone-ready-1',
			post_url: published.post_url,
			post_ref: 'row-17',
			profile_id: 'p-1',
			query: { campaign: 'fall' },
			received_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
		});
		expect(JSON.stringify(result)).not.toContain('s3cret');
	});

	it('gives null correlation when the post was made without it', async () => {
		const { result } = await callWebhook({ body: published });
		expect(result.workflowData?.[0][0].json).toMatchObject({ post_ref: null, profile_id: null, query: {} });
	});

	it.each([
		['no token', {}],
		['a wrong token', { token: 's3cres' }],
		['a token of another length', { token: 's3cret-and-more' }],
	])('answers 401 and starts nothing for %s', async (_label, query) => {
		const { result, response } = await callWebhook({ body: published, query, parameters: { secretToken: 's3cret' } });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.statusCode).toBe(401);
		expect(response.sent).toEqual({ detail: 'The token query parameter is missing or wrong' });
	});

	it.each([
		['a list', [published], 'The body must be a JSON object'],
		['a string', 'post.published', 'The body must be a JSON object'],
		['no phone_id', { ...published, phone_id: undefined }, 'phone_id is missing'],
		['no post_url', { ...published, post_url: undefined }, 'post_url is missing or not an http(s) URL'],
		['a post_url that is not http(s)', { ...published, post_url: 'javascript:alert(1)' }, 'post_url is missing or not an http(s) URL'],
	])('answers 400 and starts nothing for %s', async (_label, body, detail) => {
		const { result, response } = await callWebhook({ body });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.statusCode).toBe(400);
		expect(response.sent).toEqual({ detail });
	});

	it('acknowledges an event that is not selected and starts nothing', async () => {
		const { result, response } = await callWebhook({ body: { ...published, event: 'post.failed' } });
		expect(result.workflowData).toBeUndefined();
		expect(result.webhookResponse).toEqual({ received: true, ignored: 'event post.failed is not selected' });
		expect(response.statusCode).toBe(200);
	});

	it('passes any event when Any Event is selected, keeping extra fields', async () => {
		const { result } = await callWebhook({
			body: { ...published, event: 'post.failed', reason: 'upload error' },
			parameters: { events: ['*'] },
		});
		expect(result.workflowData?.[0][0].json).toMatchObject({ event: 'post.failed', reason: 'upload error' });
	});

	it('has nothing to register with the API: lifecycle methods succeed without calls', async () => {
		const { checkExists, create, delete: remove } = new FarmProfileTrigger().webhookMethods.default;
		const noContext = {} as never;
		await expect(checkExists.call(noContext)).resolves.toBe(true);
		await expect(create.call(noContext)).resolves.toBe(true);
		await expect(remove.call(noContext)).resolves.toBe(true);
	});
});
