// The output of a profile update: the farm profile object as the API returned it, with a note when
// the profile may not post yet, and for a binary picture where it was uploaded.

import type { IDataObject } from 'n8n-workflow';

import { redact } from '../../shared/secrets';

/** The output item, or undefined when the answer is not a farm profile (an object). */
export function profileResult(answer: unknown, picture?: { url: string; shownUrl: string; secrets: string[]; uploaded?: IDataObject }): IDataObject | undefined {
	if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return undefined;
	// A profile that echoes the picture's presigned link shows it without its signature.
	const profile = picture && picture.secrets.length > 0 ? (JSON.parse(redact(JSON.stringify(answer).split(picture.url).join(picture.shownUrl), picture.secrets)) as IDataObject) : (answer as IDataObject);
	const { status } = profile;
	const notes = typeof status === 'string' && status !== 'ready'
		? [`The profile's status is "${status}", not "ready": the update is applied, but only a ready profile may post.`]
		: [];
	return { ...profile, ...(notes.length > 0 ? { notes } : {}), ...(picture?.uploaded ? { uploaded_picture: picture.uploaded } : {}) };
}
