import type { INodeProperties } from 'n8n-workflow';

import { TEAM_LIMIT_PER_MINUTE } from '../transport/pacing';

// The declaration of every field of a post, once: every posting operation spreads them, and
// posting/input.ts reads them back (their defaults included) from here.

/**
 * Operations that post; each shows the fields below. The waiting one's value is n8n's
 * SEND_AND_WAIT_OPERATION: n8n verifies resume-URL signatures only for nodes whose operation has it.
 */
const POSTING_OPERATIONS = ['post', 'sendAndWait', 'postAcrossProfiles'];

/** Operations that post to the one profile the user names (Post Across Profiles plans the profile and time). */
const ONE_PROFILE_OPERATIONS = ['post', 'sendAndWait'];

/** Operations for which the user supplies the callback URL (a waiting operation supplies its own). */
export const OPERATIONS_WITH_WEBHOOK_URL = ['post', 'postAcrossProfiles'];

const ACROSS_PROFILES = ['postAcrossProfiles'];

export const MEDIA_TYPES = ['video', 'slideshow'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** The API body, property by property. */
export interface PostBody {
	profile_id: string;
	media_type: MediaType;
	media_url: string;
	sound_id: string;
	title: string;
	webhook_url: string;
	is_live: boolean;
	description?: string;
	execute_at?: number;
}

const showFor = (operations: string[]) => ({ show: { operation: operations } });

// The options of every request to the farm API, posts and profile updates alike: the team's pacing,
// how long 429s may hold a request back, and how long to wait for an answer.
const MAX_RATE_LIMIT_WAIT: INodeProperties = {
	displayName: 'Max Wait on Rate Limit',
	name: 'maxRateLimitWait',
	type: 'number',
	default: 300,
	typeOptions: { minValue: 0 },
	description:
		'When the API answers 429 (too many requests; the request was refused, so nothing happened), how many seconds in total to wait and send again before giving up with an error',
};

const PACING: INodeProperties = {
	displayName: 'Pacing',
	name: 'pacing',
	type: 'options',
	default: 'window',
	options: [
		{
			name: 'Keep the Limit per Window',
			value: 'window',
			description: 'Send at once while fewer than Requests per Minute went out in the last minute; never more',
		},
		{
			name: 'Space Evenly',
			value: 'even',
			description: 'One request every minute ÷ Requests per Minute, for a key shared with tools that burst',
		},
	],
	description: 'How this n8n spreads its requests with one API key over the minute',
};

const RATE_LIMIT_WINDOW: INodeProperties = {
	displayName: 'Rate Limit Window (Seconds)',
	name: 'rateLimitWindow',
	type: 'number',
	default: 60,
	typeOptions: { minValue: 1 },
	description:
		'The span Requests per Minute is counted over. The farm API counts a minute; change it only for a proxy or a test server that counts another span.',
};

const REQUESTS_PER_MINUTE: INodeProperties = {
	displayName: 'Requests per Minute',
	name: 'requestsPerMinute',
	type: 'number',
	default: TEAM_LIMIT_PER_MINUTE,
	typeOptions: { minValue: 0 },
	description:
		`How many requests to the farm API this n8n may send per minute with this API key. The team's limit is ${TEAM_LIMIT_PER_MINUTE}, shared by every workflow using the key: lower it to leave room for other tools or other n8n workers; 0 turns pacing off.`,
};

const TIMEOUT: INodeProperties = {
	displayName: 'Timeout',
	name: 'timeout',
	type: 'number',
	default: 30000,
	typeOptions: { minValue: 1000 },
	description:
		'How long to wait for the API to answer, in milliseconds. After a timeout a post may still have been queued; a profile update is safe to repeat.',
};

/** The request options, in the order n8n lists them (by name), for operations that only send one request per item. */
export const REQUEST_OPTIONS = [MAX_RATE_LIMIT_WAIT, PACING, RATE_LIMIT_WINDOW, REQUESTS_PER_MINUTE, TIMEOUT];

/** The field naming one farm profile by its UUID; each operation adds what the profile is for (description) and where it shows. */
export const PROFILE_ID_FIELD = {
	displayName: 'Profile ID',
	name: 'profileId',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. 5b0c8a4e-2f61-4c3a-9d0e-7a1b2c3d4e5f',
} as const satisfies Partial<INodeProperties>;

/** The field naming the one binary field that holds a file (a video, a profile picture); each use adds its hint, description and where it shows. */
export const BINARY_FIELD = {
	displayName: 'Input Binary Field',
	name: 'binaryProperty',
	type: 'string',
	required: true,
	default: 'data',
	placeholder: 'e.g. data',
} as const satisfies Partial<INodeProperties>;

export const postFields: INodeProperties[] = [
	{
		...PROFILE_ID_FIELD,
		description:
			'UUID of the farm profile to post from. It must belong to the team of the API key and have status "ready" (fully warmed up).',
		displayOptions: showFor(ONE_PROFILE_OPERATIONS),
	},
	{
		displayName: 'Profile IDs',
		name: 'profileIds',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 3 },
		placeholder: 'e.g. 5b0c8a4e-2f61-4c3a-9d0e-7a1b2c3d4e5f, 0f6e1d2c-3b4a-4958-8776-a5b4c3d2e1f0',
		description:
			'The pool: UUIDs of the farm profiles to spread the posts over, separated by commas or new lines, or an expression giving a list (e.g. a sheet column gathered with the Aggregate node). Each must belong to the team of the API key and have status "ready".',
		displayOptions: showFor(ACROSS_PROFILES),
	},
	{
		displayName: 'Plan Only',
		name: 'planOnly',
		type: 'boolean',
		default: false,
		description:
			'Whether to only show the plan (which profile posts each item, when, and why) without uploading, reserving or posting anything. Review it in the table view, then turn it off to post.',
		displayOptions: showFor(ACROSS_PROFILES),
	},
	{
		displayName: 'Media Type',
		name: 'mediaType',
		type: 'options',
		required: true,
		default: 'video',
		options: [
			{
				name: 'Video',
				value: 'video',
				description: 'A single MP4 (H.264, at most 60 seconds, 9:16 recommended)',
			},
			{
				name: 'Slideshow',
				value: 'slideshow',
				description: 'A .zip of JPGs named slide-1.jpg, slide-2.jpg, … (no PNG or AVIF)',
			},
		],
		displayOptions: showFor(POSTING_OPERATIONS),
	},
	{
		displayName: 'Media Source',
		name: 'mediaSource',
		type: 'options',
		default: 'url',
		options: [
			{ name: 'URL', value: 'url', description: 'A public address the farm downloads the file from' },
			{
				name: 'Binary File',
				value: 'binaryFile',
				description: "The item's binary file(s): the node uploads them to your S3-compatible storage and gives the farm a link",
			},
		],
		displayOptions: showFor(POSTING_OPERATIONS),
	},
	{
		...BINARY_FIELD,
		hint: 'The name of the input binary field containing the MP4 video',
		description: 'The MP4 (at most 60 seconds) is checked, uploaded to the storage of the storage credential, and its link sent to the farm',
		displayOptions: { show: { operation: POSTING_OPERATIONS, mediaSource: ['binaryFile'], mediaType: ['video'] } },
	},
	{
		displayName: 'Input Binary Fields',
		name: 'binaryProperties',
		type: 'string',
		default: '',
		placeholder: 'e.g. data, data_1, data_2',
		description:
			"The item's binary fields holding the JPEG slides, in order, separated by commas; empty takes all of the item's binary fields in their order. The node writes the .zip (slide-1.jpg, slide-2.jpg, …) itself. To put several items' images on one item, use n8n's Aggregate node (Include Binaries) before this node.",
		displayOptions: { show: { operation: POSTING_OPERATIONS, mediaSource: ['binaryFile'], mediaType: ['slideshow'] } },
	},
	{
		displayName: 'Media URL',
		name: 'mediaUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://cdn.example.com/clips/clip-42.mp4',
		description:
			'Public https:// address of the MP4 or .zip. The farm downloads it from the internet, so it must not need a login; signed URLs are fine while they are valid.',
		displayOptions: { show: { operation: POSTING_OPERATIONS, mediaSource: ['url'] } },
	},
	// Version 1 keeps the plain field its saved workflows hold; version 2 picks from the team's sounds.
	{
		displayName: 'Sound ID',
		name: 'soundId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 7216519837462889218',
		description:
			'TikTok sound to attach to the post. The API does not check that it exists, so copy it carefully.',
		displayOptions: { show: { operation: POSTING_OPERATIONS, '@version': [1] } },
	},
	{
		displayName: 'Sound ID',
		name: 'soundId',
		type: 'resourceLocator',
		required: true,
		default: { mode: 'list', value: '' },
		description:
			'TikTok sound to attach to the post: one of the sounds your team indexed, or its ID. The API does not check that an ID exists, so copy it carefully.',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchSounds', searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. 7216519837462889218' },
		],
		displayOptions: { show: { operation: POSTING_OPERATIONS, '@version': [{ _cnd: { gte: 2 } }] } },
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Morning routine, part 3',
		description: 'Title shown on the post',
		displayOptions: showFor(POSTING_OPERATIONS),
	},
	{
		displayName: 'Webhook URL',
		name: 'webhookUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://n8n.example.com/webhook/1a2b3c/webhook',
		description:
			"Where the farm API sends post.published when the post goes live. Paste the Farm Profile Trigger node's Production URL here. It is called once, with no retries.",
		displayOptions: showFor(OPERATIONS_WITH_WEBHOOK_URL),
	},
	{
		displayName: 'Publish Live',
		name: 'isLive',
		type: 'boolean',
		default: false,
		description:
			'Whether to publish the post on TikTok. When off, the video is only saved as a draft on the phone and nobody sees it until someone publishes it there.',
		displayOptions: showFor(POSTING_OPERATIONS),
	},
	{
		displayName:
			'Publish Live is off: the post is saved as a draft on the phone, not published on TikTok',
		name: 'draftNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: OPERATIONS_WITH_WEBHOOK_URL, isLive: [false] } },
	},
	{
		displayName:
			'Turn on Publish Live: this operation waits for the post to go live, and a draft never does',
		name: 'waitDraftNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['sendAndWait'], isLive: [false] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showFor(POSTING_OPERATIONS),
		options: [
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				default: '',
				typeOptions: { rows: 3 },
				placeholder: 'e.g. Three tips for a calmer morning',
				description:
					'Caption text. The server strips @ and # characters, so mentions and hashtags do not survive.',
			},
			{
				displayName: 'Scheduled Time',
				name: 'scheduledTime',
				type: 'dateTime',
				default: '',
				// Post Across Profiles plans each post's time itself (Options → Posting Hours, Start).
				displayOptions: { hide: { '/operation': ACROSS_PROFILES } },
				description:
					"When to publish, in the future. Takes the picker's date (in the workflow's time zone), an ISO date, a Luxon DateTime or epoch milliseconds. Leave empty to publish at once.",
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(POSTING_OPERATIONS),
		options: [
			{
				displayName: 'Add Correlation Parameters',
				name: 'correlate',
				type: 'boolean',
				default: true,
				description:
					'Whether to add post_ref and profile_id to the Webhook URL, so the Farm Profile Trigger can tell which post went live',
			},
			{
				displayName: 'Check Media Before Posting',
				name: 'preflight',
				type: 'boolean',
				default: true,
				description:
					'Whether to fetch the media\'s headers and a few bytes first: a public https file of the right type, a slideshow zip of slide-1.jpg, slide-2.jpg, …, a video MP4 of at most 60 s. Turn off for hosts that refuse such requests.',
			},
			{
				displayName: 'Duplicate Window (Hours)',
				name: 'duplicateWindowHours',
				type: 'number',
				default: 24,
				typeOptions: { minValue: 0 },
				description:
					'Refuse to post the same media URL to the same profile again within this many hours (retries after an unclear answer can otherwise post twice). 0 turns the check off.',
			},
			{
				displayName: 'Horizon (Days)',
				name: 'horizonDays',
				type: 'number',
				default: 6,
				typeOptions: { minValue: 0.1 },
				displayOptions: { show: { '/operation': ACROSS_PROFILES } },
				description:
					'How many days ahead a post may be planned. An item that fits nowhere sooner fails, saying when the pool next has room. Keep it at 6 or less for Binary File media: the link to an uploaded file lasts 7 days.',
			},
			{
				displayName: 'Limit Wait Time (Hours)',
				name: 'waitLimitHours',
				type: 'number',
				default: 24,
				typeOptions: { minValue: 0.01 },
				displayOptions: { show: { '/operation': ['sendAndWait'] } },
				description:
					'How long to wait for the post to go live, counted from its Scheduled Time when it has one. When the limit passes first, the workflow goes on with status not_confirmed and the task ID.',
			},
			{
				displayName: 'Max Posts per Profile per Day',
				name: 'maxPostsPerDay',
				type: 'number',
				default: 2,
				typeOptions: { minValue: 0 },
				description:
					'TikTok bans accounts that post too often: at most this many posts per profile in any 24 hours, scheduled posts counted at their scheduled time. 0 turns the check off.',
			},
			MAX_RATE_LIMIT_WAIT,
			{
				displayName: 'Minimum Gap (Minutes)',
				name: 'minGapMinutes',
				type: 'number',
				default: 120,
				typeOptions: { minValue: 0 },
				description:
					"The least time between two posts of one profile: kept by Post Across Profiles, and when Over the Daily Limit schedules a post",
			},
			{
				displayName: 'Over the Daily Limit',
				name: 'overLimit',
				type: 'options',
				default: 'refuse',
				options: [
					{ name: 'Refuse With an Error', value: 'refuse', description: 'Post nothing; the error says when the next slot opens' },
					{ name: 'Schedule in the Next Free Slot', value: 'schedule', description: 'Set Scheduled Time to the first moment that keeps the limit and the minimum gap' },
				],
				description: 'What to do with a post that would exceed Max Posts per Profile per Day',
				// Post Across Profiles never plans a post over the limit.
				displayOptions: { hide: { '/operation': ACROSS_PROFILES } },
			},
			PACING,
			{
				displayName: 'Post Reference',
				name: 'postRef',
				type: 'string',
				default: '',
				placeholder: 'e.g. {{ $json.rowId }}',
				description:
					'Your own reference for this post, handed back by the trigger as post_ref. Leave empty to generate one.',
			},
			{
				displayName: 'Posting Hours From',
				name: 'postingHoursFrom',
				type: 'string',
				default: '08:00',
				placeholder: 'e.g. 09:00',
				displayOptions: { show: { '/operation': ACROSS_PROFILES } },
				description: 'Local time (HH:mm, in Time Zone) from which posts are planned each day, while the audience is awake',
			},
			{
				displayName: 'Posting Hours To',
				name: 'postingHoursTo',
				type: 'string',
				default: '22:00',
				placeholder: 'e.g. 21:00',
				displayOptions: { show: { '/operation': ACROSS_PROFILES } },
				description: 'Local time (HH:mm, in Time Zone) until which posts are planned each day. Earlier than From means overnight (e.g. 20:00 to 02:00); the same as From means all day.',
			},
			{
				displayName: 'Random Offset (Minutes)',
				name: 'randomOffsetMinutes',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0 },
				displayOptions: { show: { '/operation': ACROSS_PROFILES } },
				description:
					'Moves each planned time by up to this many minutes either way, so posts do not land on the minute. The offset comes from the Post Reference (or the media), so planning the same post again gives the same time.',
			},
			RATE_LIMIT_WINDOW,
			REQUESTS_PER_MINUTE,
			{
				displayName: 'Same Media on Several Profiles',
				name: 'sameMedia',
				type: 'options',
				default: 'refuse',
				options: [
					{ name: 'Refuse', value: 'refuse', description: 'A file posted (or planned) on one profile of the pool within Duplicate Window goes nowhere else' },
					{ name: 'Allow', value: 'allow', description: 'The same file may go to several profiles (never twice to one)' },
				],
				displayOptions: { show: { '/operation': ACROSS_PROFILES } },
				description: 'Whether the same media may appear on more than one account of the pool',
			},
			{
				displayName: 'Start',
				name: 'start',
				type: 'dateTime',
				default: '',
				displayOptions: { show: { '/operation': ACROSS_PROFILES } },
				description: 'The earliest time to plan a post for (in the workflow\'s time zone unless the date says otherwise). Empty means now.',
			},
			{
				displayName: 'Time Zone',
				name: 'timezone',
				type: 'string',
				default: '',
				placeholder: 'e.g. Europe/Berlin',
				displayOptions: { show: { '/operation': ACROSS_PROFILES } },
				description: "The IANA time zone Posting Hours are in. Empty means the workflow's time zone.",
			},
			TIMEOUT,
		],
	},
];

/** A field's declaration, by name, wherever it sits (top level or inside a collection). */
export function declaration(name: string): INodeProperties | undefined {
	for (const field of postFields) {
		if (field.name === name) return field;
		for (const option of field.options ?? []) {
			if ('name' in option && 'displayName' in option && option.name === name) return option as INodeProperties;
		}
	}
	return undefined;
}

/** The label the user sees, for checks and error messages. */
export function fieldLabel(name: string): string {
	return declaration(name)?.displayName ?? name;
}

/**
 * The fields that fill the API body: which property each fills, and where its value is (top level,
 * or in Additional Fields); `locator`: a resource locator (from version 2), whose value is the ID it
 * holds. The one list of them; the inverse reads the API's 422 locations back to labels.
 */
export const BODY_FIELDS = {
	profileId: { property: 'profile_id' },
	mediaType: { property: 'media_type' },
	mediaUrl: { property: 'media_url' },
	soundId: { property: 'sound_id', locator: true },
	title: { property: 'title' },
	webhookUrl: { property: 'webhook_url' },
	isLive: { property: 'is_live' },
	description: { property: 'description', in: 'additionalFields' },
	scheduledTime: { property: 'execute_at', in: 'additionalFields' },
} as const satisfies Record<string, { property: keyof PostBody; in?: 'additionalFields'; locator?: true }>;

export type BodyField = keyof typeof BODY_FIELDS;

export function labelForBodyProperty(property: string): string {
	const entry = Object.entries(BODY_FIELDS).find(([, field]) => field.property === property);
	return entry ? fieldLabel(entry[0]) : property;
}
