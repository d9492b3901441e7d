// "Custom API Call": n8n adds it to the Operation list of every node whose credential has generic
// authentication (its value is n8n's CUSTOM_API_CALL_KEY). The node has no such operation; running
// it must say where that call is made, and send nothing. Run inside n8n-core against the sandbox,
// which counts every request it receives.

import { createFarmSandbox, DEFAULT_PROFILES, type FarmSandbox } from '../../dev/sandbox/farmSandbox';
import { ONLY_THE_POST, runFarmProfileNode } from '../harness/runWorkflow';
import { FarmProfile } from '../../nodes/FarmProfile/FarmProfile.node';

const API_KEY = 'sk-custom-3e5f7a9c';
const READY = DEFAULT_PROFILES.find((p) => p.status === 'ready')!.profile_id;

let farm: FarmSandbox;
beforeAll(async () => {
	farm = await createFarmSandbox({ apiKeys: [API_KEY], callbackDelayMs: 600_000 }).start();
});
afterAll(async () => farm.stop());
beforeEach(() => farm.reset());

/** A node with every field of a valid post filled in, and the given operation. */
const runWith = (operation: string, resource = 'post') =>
	runFarmProfileNode({
		items: [{}],
		credentials: { apiKey: API_KEY, baseUrl: farm.url },
		parameters: {
			resource,
			operation,
			profileId: READY,
			mediaType: 'video',
			mediaUrl: 'https://cdn.example.com/clips/clip-1.mp4',
			soundId: '7216519837462889218',
			title: 'Custom call',
			webhookUrl: 'https://n8n.example.com/webhook/abc/webhook',
			options: ONLY_THE_POST,
		},
	});

describe('Farm Profile with Operation "Custom API Call"', () => {
	it('fails with a message that names the HTTP Request node and the credential type, and sends nothing', async () => {
		const result = await runWith('__CUSTOM_API_CALL__');
		expect(result.error?.message).toBe('Custom API Call is made with the HTTP Request node, not with Farm Profile');
		expect(result.error?.description).toContain('Predefined Credential Type');
		expect(result.error?.description).toContain('Farm Profile API');
		expect(result.error?.description).toContain('Post to Farm Profile');
		expect(result.error?.description).toContain('Nothing was sent to the farm API.');
		expect(farm.state.requests).toBe(0);

		// The same fields with Operation "Post to Farm Profile" do reach the farm.
		expect((await runWith('post')).error).toBeUndefined();
		expect(farm.state.requests).toBe(1);
	});

	it('says the same when n8n\'s Custom API Call is chosen as the Resource, and sends nothing', async () => {
		const result = await runWith('post', '__CUSTOM_API_CALL__');
		expect(result.error?.message).toBe('Custom API Call is made with the HTTP Request node, not with Farm Profile');
		expect(farm.state.requests).toBe(0);
	});

	it('still names an unknown operation as such, and sends nothing', async () => {
		const result = await runWith('repost');
		expect(result.error?.message).toBe('The operation "repost" is not supported');
		expect(farm.state.requests).toBe(0);
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
