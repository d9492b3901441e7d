// The Farm Profile node as an AI agent's tool in real n8n, with no model: n8n's own MCP Server
// Trigger exposes the Farm Profile Tool, and the test is the MCP client an agent's host would be
// (streamable HTTP). It shares the end-to-end suite's n8n, with a sandbox farm and API key of its own.

import { FarmProfile } from '../../nodes/FarmProfile/FarmProfile.node';
import { createFarmSandbox, DEFAULT_PROFILES, type FarmSandbox } from '../../dev/sandbox/farmSandbox';
import { makeMp4 } from '../../dev/sandbox/media';

const wf = require('../../dev/workflows');

const API_KEY = 'sk-mcp-agent-5e8d21c4';
const CREDENTIAL = 'e2eMcpFarmCred01';
const WORKFLOW = 'e2eMcpToolServer';
const PATH = 'farm-profile-agent-tools';
const READY = DEFAULT_PROFILES.filter((p) => p.status === 'ready').map((p) => p.profile_id);
const SOUND = '7216519837462889218';
const CALLBACK = 'https://n8n.example.com/webhook/agent/webhook';
/** The tool's name: n8n makes it from the node's name. */
const TOOL = 'Farm_Profile';
const PROTOCOL = '2025-03-26';
/** Where the workflow's MCP server answers once it is active. */
const endpoint = (baseUrl: string) => `${baseUrl}/mcp/${PATH}`;

/** What the workflow leaves to the agent, as `$fromAI(key, description, type[, default])`. */
const INPUTS = {
	profileId: 'UUID of the farm profile to post from (its profile_id)',
	mediaUrl: 'Public https address of the MP4 video to post',
	title: 'Title shown on the post',
	scheduledTime: 'When to publish, an ISO date in the future such as 2026-12-01T18:00:00Z; empty to publish at once',
};
const fromAI = (key: keyof typeof INPUTS, fallback?: string) =>
	`={{ $fromAI('${key}', '${INPUTS[key]}', 'string'${fallback === undefined ? '' : `, '${fallback}'`}) }}`;

export interface McpSetup {
	farm: FarmSandbox;
	credentials: object[];
	workflows: object[];
	/** The workflow to activate before n8n starts. */
	workflow: string;
	/** Where its MCP server answers once n8n has started. */
	endpoint: (baseUrl: string) => string;
}

export async function mcpSetup(): Promise<McpSetup> {
	const farm = await createFarmSandbox({ apiKeys: [API_KEY], callbackDelayMs: 600_000 }).start();
	for (const n of [1, 2, 3, 4]) farm.serveMedia(`agent-${n}.mp4`, { body: makeMp4(20), contentType: 'video/mp4' });
	// The workflow fixes what the agent must not choose: the media type, the sound, the callback, live.
	const parameters = {
		profileId: fromAI('profileId'),
		mediaType: 'video',
		mediaUrl: fromAI('mediaUrl'),
		soundId: SOUND,
		title: fromAI('title'),
		webhookUrl: CALLBACK,
		isLive: true,
		additionalFields: { scheduledTime: fromAI('scheduledTime', '') },
		options: {},
	};
	return {
		farm,
		credentials: [wf.credential({ baseUrl: farm.url, apiKey: API_KEY, id: CREDENTIAL })],
		workflows: [wf.mcpToolWorkflow(WORKFLOW, PATH, parameters, CREDENTIAL)],
		workflow: WORKFLOW,
		endpoint,
	};
}

interface RpcMessage {
	id?: number;
	result?: any;
}

/** What a tool call answered: the MCP result, its text, and the raw HTTP body it came in. */
interface ToolAnswer {
	isError: boolean;
	text: string;
	raw: string;
}

/** An MCP client session over streamable HTTP: initialize, initialized, then requests. */
async function connect(url: string) {
	let nextId = 1;
	let session: string | null = null;
	const post = async (message: object) => {
		const response = await fetch(url, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				Accept: 'application/json, text/event-stream',
				...(session ? { 'mcp-session-id': session, 'mcp-protocol-version': PROTOCOL } : {}),
			},
			body: JSON.stringify(message),
		});
		const raw = await response.text();
		// Answers come as server-sent events (`data:` lines), or as one JSON body.
		const messages: RpcMessage[] = (response.headers.get('content-type') ?? '').includes('text/event-stream')
			? raw.split('\n').filter((line) => line.startsWith('data:')).map((line) => JSON.parse(line.slice(5)))
			: raw.trim() === '' ? [] : [JSON.parse(raw)];
		return { status: response.status, session: response.headers.get('mcp-session-id'), raw, messages };
	};
	const request = async (method: string, params: object) => {
		const id = nextId++;
		const answer = await post({ jsonrpc: '2.0', id, method, params });
		const reply = answer.messages.find((message) => message.id === id);
		if (answer.status !== 200 || !reply?.result) throw new Error(`${method} answered ${answer.status}: ${answer.raw}`);
		return { result: reply.result, raw: answer.raw, session: answer.session };
	};

	const init = await request('initialize', { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: 'farm-e2e', version: '1.0.0' } });
	session = init.session;
	if (!session) throw new Error(`initialize started no session: ${init.raw}`);
	const initialized = await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
	if (initialized.status !== 202) throw new Error(`notifications/initialized answered ${initialized.status}: ${initialized.raw}`);
	return {
		listTools: async () => (await request('tools/list', {})).result.tools as Array<{ name: string; description: string; inputSchema: any }>,
		callTool: async (args: object): Promise<ToolAnswer> => {
			const { result, raw } = await request('tools/call', { name: TOOL, arguments: args });
			return { isError: result.isError === true, text: result.content.map((part: { text: string }) => part.text).join('\n'), raw };
		},
	};
}

/** The tool description the node declares for Post → Post to Farm Profile (shown only in the tool). */
function declaredToolDescription(): string {
	const field = new FarmProfile().description.properties.find(
		(p) => p.name === 'toolDescription' && p.displayOptions?.show?.operation?.includes('post'),
	);
	return String(field?.default);
}

/** The cases; `context` gives the running n8n's base URL and the farm once the suite has started them. */
export function mcpCases(context: () => { baseUrl: string; farm: FarmSandbox }) {
	const open = () => connect(endpoint(context().baseUrl));
	const farm = () => context().farm;
	const media = (n: number) => `${farm().url}/_media/agent-${n}.mp4`;
	beforeEach(() => farm().reset());

	it('tools/list: the Farm Profile tool, described by what it does and needs, with the inputs the workflow leaves to the agent, each described', async () => {
		const tools = await (await open()).listTools();
		expect(tools.map((tool) => tool.name)).toEqual([TOOL]);
		const [tool] = tools;
		// The node's own default, not n8n's "<action> in Farm Profile": what the tool does, needs and answers.
		expect(tool.description).toBe(declaredToolDescription());
		expect(tool.description).toMatch(/^Posts a TikTok video or slideshow from a farm profile.*Needs a farm profile ID \(a UUID\), a public https:\/\/ media URL/);
		expect(tool.inputSchema.type).toBe('object');
		expect(tool.inputSchema.properties).toEqual({
			profileId: { type: 'string', description: INPUTS.profileId },
			mediaUrl: { type: 'string', description: INPUTS.mediaUrl },
			title: { type: 'string', description: INPUTS.title },
			scheduledTime: { type: 'string', description: INPUTS.scheduledTime, default: '' },
		});
		expect([...tool.inputSchema.required].sort()).toEqual(['mediaUrl', 'profileId', 'title']);
	});

	it('tools/call posts exactly what the caller sent, once, and answers with a sentence, the task id and the fields', async () => {
		const args = { profileId: READY[0], mediaUrl: media(1), title: 'Three calm mornings', scheduledTime: '2099-06-01T18:00:00Z' };
		const answer = await (await open()).callTool(args);
		expect(answer.isError).toBe(false);
		const [post] = farm().state.posts;
		expect(farm().state.posts).toHaveLength(1);
		const output = JSON.parse(answer.text);
		expect(output).toEqual([
			expect.objectContaining({
				task_id: post.task_id,
				status: 'Queued: the phone uploads and publishes it on TikTok at 2099-06-01T18:00:00.000Z.',
				delivery: 'live',
				profile_id: args.profileId,
				media_url: args.mediaUrl,
				title: args.title,
				scheduled_at: '2099-06-01T18:00:00.000Z',
			}),
		]);
		expect(post.body).toEqual({
			profile_id: args.profileId,
			media_type: 'video',
			media_url: args.mediaUrl,
			sound_id: SOUND,
			title: args.title,
			webhook_url: `${CALLBACK}?post_ref=${output[0].post_ref}&profile_id=${args.profileId}`,
			is_live: true,
			execute_at: Date.parse(args.scheduledTime),
		});
	});

	it('a bad argument comes back as a message naming the field and the fix, and nothing is posted', async () => {
		const client = await open();
		const good = { profileId: READY[1], mediaUrl: media(2), title: 'Slow breakfast' };
		const refusals = [
			[{ ...good, mediaUrl: 'http://cdn.example.com/clips/clip-42.mp4' }, 'Media URL uses http://', 'use https://'],
			[{ ...good, scheduledTime: '2020-01-01T09:00:00Z' }, 'Scheduled Time 2020-01-01T09:00:00.000Z is not in the future', 'pick a later time'],
			[{ ...good, profileId: 'rita.ready' }, 'Profile ID is not a UUID', 'copy the profile_id of the farm profile'],
		] as const;
		for (const [args, problem, fix] of refusals) {
			const answer = await client.callTool(args);
			expect(answer.isError).toBe(true);
			expect(answer.text).toContain(problem);
			expect(answer.text).toContain(fix);
			expect(answer.text).toContain('Nothing was sent to the farm API.');
		}
		expect(farm().state.requests).toBe(0);
		expect(farm().state.posts).toHaveLength(0);
	});

	it('a 502 says the post may already be up and not to call again; a second call is refused, not posted', async () => {
		const client = await open();
		const args = { profileId: READY[2], mediaUrl: media(3), title: 'Evening walk' };
		farm().injectFault({ mode: '502', path: '/v1/posts' });
		const answer = await client.callTool(args);
		expect(answer.isError).toBe(true);
		expect(answer.text).toContain('The farm API answered 502 Bad Gateway');
		expect(answer.text).toContain('The post may still go up. Do not retry blindly');
		// The sandbox queued it before answering 502: it is up, once.
		expect(farm().state.posts).toHaveLength(1);

		// An agent that calls again anyway is refused by the duplicate guard, and told the post may be up.
		const again = await client.callTool(args);
		expect(again.isError).toBe(true);
		expect(again.text).toContain('Media URL was sent to this profile at');
		expect(again.text).toContain('the answer left open whether it was posted (it may be up)');
		expect(farm().state.posts).toHaveLength(1);
	});

	it('the API key never appears in a tool result, even when the farm echoes it back', async () => {
		const client = await open();
		const posted = await client.callTool({ profileId: READY[3], mediaUrl: media(4), title: 'Tea at noon' });
		expect(posted.isError).toBe(false);
		farm().injectFault({
			mode: 'status',
			status: 422,
			path: '/v1/posts',
			body: { detail: [{ loc: ['body', 'title'], msg: `not allowed for key ${API_KEY}`, type: 'value_error' }] },
		});
		const refused = await client.callTool({ profileId: READY[4], mediaUrl: media(4), title: 'Tea at noon' });
		expect(refused.isError).toBe(true);
		expect(refused.text).toContain('Title: not allowed for key [redacted]');
		for (const answer of [posted, refused]) expect(answer.raw).not.toContain(API_KEY);
	});
}
