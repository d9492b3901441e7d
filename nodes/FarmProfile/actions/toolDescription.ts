import type { INodeProperties } from 'n8n-workflow';

// What an AI agent reads about the Farm Profile Tool, per operation. A node without a parameter of
// this name gets n8n's own (n8n 1.x and 2.x: "Tool Description: Set Automatically"), which reads
// "<the operation's action> in Farm Profile" and says nothing of what the tool needs or answers.
// Shown only in the tool (`@tool`), where the user may rewrite it; the plain node never has it.

const MEDIA_URL = 'a public https:// media URL (an MP4 video, or a .zip of JPG slides slide-1.jpg, slide-2.jpg, …)';
const NEEDS = `Needs a farm profile ID (a UUID), ${MEDIA_URL}, a sound ID and a title.`;
const REFUSALS = 'A refusal names the field to fix; after an answer that the post may still go up, do not call again.';

const DESCRIPTIONS: Array<{ operation: string; text: string }> = [
	{
		operation: 'post',
		text: `Posts a TikTok video or slideshow from a farm profile: the profile's phone uploads it minutes later, or at the Scheduled Time. ${NEEDS} Answers with a task id and a sentence saying when it goes out. ${REFUSALS}`,
	},
	{
		operation: 'sendAndWait',
		text: `Posts a TikTok video or slideshow from a farm profile, then waits until it is live and answers with its TikTok URL, or "not confirmed" when the wait runs out. ${NEEDS} ${REFUSALS}`,
	},
	{
		operation: 'postAcrossProfiles',
		text: `Schedules a TikTok video or slideshow on the farm profile of a pool whose earliest free slot keeps the daily limit, the minimum gap and the posting hours. Needs the pool's profile IDs (UUIDs), ${MEDIA_URL}, a sound ID and a title. Answers with the profile, the time and the rule that chose it. ${REFUSALS}`,
	},
	{
		operation: 'update',
		text: "Sets a farm profile's TikTok bio and/or profile picture. Needs the profile's ID (a UUID) and a new bio or a public https:// URL of a JPEG or PNG picture. Answers with the profile as the farm API returns it; an update is safe to repeat.",
	},
];

export const toolDescriptionFields: INodeProperties[] = DESCRIPTIONS.map(({ operation, text }) => ({
	displayName: 'Description',
	name: 'toolDescription',
	type: 'string',
	default: text,
	typeOptions: { rows: 4 },
	displayOptions: { show: { '@tool': [true], operation: [operation] } },
	description: 'What the AI agent reads about this tool: what it does, what it needs and what it answers',
}));
