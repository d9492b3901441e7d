// "Custom API Call": n8n adds it to the Operation list of every node whose credential has generic
// authentication (its value is n8n's CUSTOM_API_CALL_KEY). The node has no such operation; running
// it must say where that call is made, and send nothing. n8n's execute context is mocked.

import { NodeOperationError, type IExecuteFunctions, type INode } from 'n8n-workflow';

import { FarmProfile } from '../../nodes/FarmProfile/FarmProfile.node';

const NODE: INode = {
	id: 'farm-1',
	name: 'Farm Profile',
	type: 'n8n-nodes-farm-profile.farmProfile',
	typeVersion: 1,
	position: [0, 0],
	parameters: { operation: '__CUSTOM_API_CALL__' },
};

function contextFor(operation: string, resource = 'post') {
	const httpRequestWithAuthentication = jest.fn();
	const httpRequest = jest.fn();
	const context = {
		getNode: () => NODE,
		getNodeParameter: jest.fn((name: string) => {
			if (name === 'resource') return resource;
			if (name === 'operation') return operation;
			throw new Error(`unexpected parameter read: ${name}`);
		}),
		getInputData: () => [{ json: {} }],
		helpers: { httpRequestWithAuthentication, httpRequest },
	} as unknown as IExecuteFunctions;
	return { context, httpRequestWithAuthentication, httpRequest };
}

describe('Farm Profile with Operation "Custom API Call"', () => {
	it('fails with a message that names the HTTP Request node and the credential type, and sends nothing', async () => {
		const { context, httpRequestWithAuthentication, httpRequest } = contextFor('__CUSTOM_API_CALL__');
		const run = new FarmProfile().execute.call(context);
		await expect(run).rejects.toBeInstanceOf(NodeOperationError);
		const error = (await run.catch((e: NodeOperationError) => e)) as NodeOperationError;
		expect(error.message).toBe('Custom API Call is made with the HTTP Request node, not with Farm Profile');
		expect(error.description).toContain('Predefined Credential Type');
		expect(error.description).toContain('Farm Profile API');
		expect(error.description).toContain('Post to Farm Profile');
		expect(error.description).toContain('Nothing was sent to the farm API.');
		expect(error.node).toBe(NODE);
		expect(httpRequestWithAuthentication).not.toHaveBeenCalled();
		expect(httpRequest).not.toHaveBeenCalled();
	});

	it('says the same when n8n\'s Custom API Call is chosen as the Resource', async () => {
		const { context, httpRequestWithAuthentication } = contextFor('post', '__CUSTOM_API_CALL__');
		await expect(new FarmProfile().execute.call(context)).rejects.toThrow('Custom API Call is made with the HTTP Request node, not with Farm Profile');
		expect(httpRequestWithAuthentication).not.toHaveBeenCalled();
	});

	it('still names an unknown operation as such', async () => {
		const { context } = contextFor('repost');
		await expect(new FarmProfile().execute.call(context)).rejects.toThrow('The operation "repost" is not supported');
	});

	it('shows "Custom API Call" as the node subtitle on the canvas, not a posting operation', () => {
		const subtitle = new FarmProfile().description.subtitle as string;
		const evaluate = (operation: string) =>
			// The subtitle is one n8n expression over $parameter; evaluate it the way n8n would.
			new Function('$parameter', `return (${subtitle.replace(/^=\{\{/, '').replace(/\}\}$/, '')});`)({ operation });
		expect(evaluate('post')).toBe('Post to Farm Profile');
		expect(evaluate('sendAndWait')).toBe('Post and Wait for Publish');
		expect(evaluate('__CUSTOM_API_CALL__')).toBe('Custom API Call');
	});
});
