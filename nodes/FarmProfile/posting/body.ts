// The one path from what the user filled in to the request body: every field is checked, then the
// body is built. Nothing here talks to n8n or the network, so each rule is testable on its own.

import { isPrivateUrl } from '../../shared/addresses';
import { addCorrelation } from '../../shared/correlation';
import { fieldLabel, MEDIA_TYPES, type MediaType, type PostBody } from '../actions/fields';
import type { PostInput } from './input';
import { checkInFuture, parseScheduledTime } from './scheduledTime';
import {
	checkMediaExtension,
	checkNotEmpty,
	checkPublicUrl,
	checkUuid,
	type Problem,
} from './checks';

export interface FieldIssue extends Problem {
	/** The field's label, as the user sees it in the node. */
	field: string;
}

export interface PreparedPost {
	body: PostBody;
	/** The correlation reference put on the webhook URL, when correlation is on. */
	postRef?: string;
	/** Set when the post is scheduled. */
	scheduledAt?: string;
	/** Things the user should know that are not errors. */
	notes: string[];
}

/** Where the farm calls back when the post is live. */
export type Callback =
	/** The Webhook URL field (the Farm Profile Trigger's Production URL), with correlation parameters. */
	| { kind: 'webhookUrlField' }
	/**
	 * n8n's signed resume URL of an execution that waits for this post: sent exactly as given (not a
	 * user field, no correlation added), and only for live posts, since a draft never goes live.
	 */
	| { kind: 'resumeUrl'; url: string };

export interface PrepareContext {
	now: number;
	timezone: string;
	newReference: () => string;
	/** Whether the farm API (its Base URL) is on this machine or a private network, as a sandbox is. */
	farmIsPrivate: boolean;
	callback: Callback;
}

export type PrepareResult = { ok: true; post: PreparedPost } | { ok: false; issues: FieldIssue[] };

export function preparePost(input: PostInput, context: PrepareContext): PrepareResult {
	const checked = checkFields(input, context);
	if (!checked.ok) return checked;
	const { body, callback } = checked;
	const notes: string[] = [];
	const description = isBlank(input.description) ? undefined : String(input.description);
	if (description !== undefined) {
		body.description = description;
		if (/[@#]/.test(description)) notes.push('The server strips @ and # from Description: mentions and hashtags will not appear.');
	}
	let postRef: string | undefined;
	if (callback.correlate && input.correlate) {
		postRef = input.postRef ?? context.newReference();
		body.webhook_url = addCorrelation(callback.url, { postRef, profileId: body.profile_id });
	}
	const scheduledAt = body.execute_at === undefined ? undefined : new Date(body.execute_at).toISOString();
	return { ok: true, post: { body, postRef, scheduledAt, notes } };
}

/** Every field checked, all problems at once; when there are none, the body they make (before correlation). */
function checkFields(input: PostInput, context: PrepareContext): { ok: true; body: PostBody; callback: ResolvedCallback } | { ok: false; issues: FieldIssue[] } {
	const issues: FieldIssue[] = [];
	const note = (field: string, problem: Problem | undefined) => {
		if (problem) issues.push({ field: fieldLabel(field), ...problem });
	};
	const [profileId, mediaUrl, soundId, title] = [input.profileId, input.mediaUrl, input.soundId, input.title].map(text);
	const mediaType = text(input.mediaType) as MediaType;
	note('profileId', checkUuid(profileId));
	if (!MEDIA_TYPES.includes(mediaType)) note('mediaType', { problem: `is "${mediaType}"`, fix: 'choose Video (an MP4) or Slideshow (a .zip of JPGs)' });
	// Binary media is checked by media/binaryMedia.ts, and its link made after the upload.
	if (input.mediaSource !== 'binaryFile') {
		note('mediaUrl', checkPublicUrl(mediaUrl, 'the media file'));
		if (MEDIA_TYPES.includes(mediaType)) note('mediaUrl', checkMediaExtension(mediaUrl, mediaType));
	}
	note('soundId', checkNotEmpty(soundId, 'the TikTok sound ID'));
	note('title', checkNotEmpty(title, 'the title shown on the post'));
	const callback = resolveCallback(input, context);
	issues.push(...callback.issues);
	const isLive = toBoolean(input.isLive);
	note('isLive', checkIsLive(input.isLive, isLive, callback));
	const executeAt = scheduledMs(input, context);
	if (executeAt.problem) note('scheduledTime', executeAt.problem);
	if (issues.length > 0) return { ok: false, issues };

	const body: PostBody = {
		profile_id: profileId,
		media_type: mediaType,
		media_url: input.mediaSource === 'binaryFile' ? '' : mediaUrl,
		sound_id: soundId,
		title,
		webhook_url: callback.url,
		is_live: isLive as boolean,
	};
	if (executeAt.ms !== undefined) body.execute_at = executeAt.ms;
	return { ok: true, body, callback };
}

function checkIsLive(raw: unknown, isLive: boolean | undefined, callback: ResolvedCallback): Problem | undefined {
	if (isLive === undefined) return { problem: `is "${String(raw)}"`, fix: 'set it to true or false' };
	if (isLive === false && callback.liveOnly) {
		return {
			problem: 'is off, so the post would be saved as a draft and never go live',
			fix: 'turn on Publish Live to wait for the post to go live, or use Post to Farm Profile to save drafts',
		};
	}
	return undefined;
}

/** Scheduled Time as epoch ms in the future, nothing when empty, or its problem. */
function scheduledMs(input: PostInput, context: PrepareContext): { ms?: number; problem?: Problem } {
	if (isBlank(input.scheduledTime)) return {};
	const parsed = parseScheduledTime(input.scheduledTime, context.timezone);
	const checked = parsed.ok ? checkInFuture(parsed.ms, context.now) : parsed;
	return checked.ok ? { ms: checked.ms } : { problem: checked };
}

interface ResolvedCallback {
	url: string;
	issues: FieldIssue[];
	/** Whether correlation parameters are added (not to a signed resume URL). */
	correlate: boolean;
	/** Whether only a live post makes sense (a draft never calls back). */
	liveOnly: boolean;
}

/** The callback URL the post will carry, its problems, and what it implies for the rest of the body. */
function resolveCallback(input: PostInput, context: PrepareContext): ResolvedCallback {
	// A farm API on the internet cannot call back to a private address: the post would go out and
	// its callback be lost.
	const unreachable = (url: string) => !context.farmIsPrivate && isPrivateUrl(url);
	const { callback } = context;
	if (callback.kind === 'resumeUrl') {
		const issues: FieldIssue[] = unreachable(callback.url)
			? [
					{
						field: "n8n's WEBHOOK_URL",
						problem: `gives resume URLs on ${new URL(callback.url).host}, which the farm API cannot reach`,
						fix: "set n8n's WEBHOOK_URL environment variable to its public https:// address and restart n8n, or use Post to Farm Profile with a reachable trigger URL",
					},
				]
			: [];
		return { url: callback.url, issues, correlate: false, liveOnly: true };
	}
	const url = text(input.webhookUrl);
	const field = fieldLabel('webhookUrl');
	let problem = checkPublicUrl(url, "the Farm Profile Trigger's Production URL");
	if (!problem && unreachable(url)) {
		problem = {
			problem: `points at ${new URL(url).host}, which the farm API cannot reach`,
			fix: "paste the trigger's Production URL with n8n's public address (n8n's WEBHOOK_URL setting must be that address)",
		};
	}
	return { url, issues: problem ? [{ field, ...problem }] : [], correlate: true, liveOnly: false };
}

function text(value: unknown): string {
	if (value === undefined || value === null) return '';
	return String(value).trim();
}

function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function toBoolean(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (value === 'true') return true;
	if (value === 'false') return false;
	return undefined;
}
