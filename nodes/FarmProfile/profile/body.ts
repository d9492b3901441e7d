// A profile update's fields checked, and what the PATCH will carry, before anything is fetched,
// uploaded or sent. Nothing here talks to n8n or the network.

import { profileLabel } from '../actions/profileFields';
import type { FieldIssue } from '../posting/body';
import { checkNotEmpty, checkPublicUrl, checkUuid, type Problem } from '../posting/checks';
import type { ProfileUpdateInput } from './input';

export type PictureChoice = { source: 'url'; url: string } | { source: 'binaryFile'; field: string };

export interface ProfileUpdate {
	profileId: string;
	/** Unset: the bio stays as it is. */
	bio?: string;
	/** Unset: the picture stays as it is. */
	picture?: PictureChoice;
}

export type ProfileUpdateCheck = { ok: true; update: ProfileUpdate } | { ok: false; issues: FieldIssue[] };

export function prepareProfileUpdate(input: ProfileUpdateInput): ProfileUpdateCheck {
	const issues: FieldIssue[] = [];
	const note = (field: string, problem: Problem | undefined) => {
		if (problem) issues.push({ field: profileLabel(field), ...problem });
	};

	const profileId = text(input.profileId);
	note('profileId', checkUuid(profileId, 'to update'));
	const bio = text(input.bio);

	let picture: PictureChoice | undefined;
	if (input.pictureSource === 'binaryFile') {
		const field = text(input.binaryProperty);
		note('binaryProperty', checkNotEmpty(field, 'the name of the binary field holding the picture'));
		picture = { source: 'binaryFile', field };
	} else {
		const url = text(input.pictureUrl);
		if (url !== '') {
			note('pictureUrl', checkPublicUrl(url, 'the picture (a JPEG or PNG)'));
			picture = { source: 'url', url };
		}
	}
	if (bio === '' && picture === undefined) {
		note('bio', {
			problem: `is empty, and so is ${profileLabel('pictureUrl')}`,
			fix: `enter a new bio, a picture (${profileLabel('pictureUrl')}, or ${profileLabel('mediaSource')}: From Binary File), or both; an update needs at least one`,
		});
	}
	if (issues.length > 0) return { ok: false, issues };
	return { ok: true, update: { profileId, ...(bio === '' ? {} : { bio }), ...(picture ? { picture } : {}) } };
}

function text(value: unknown): string {
	if (value === undefined || value === null) return '';
	return String(value).trim();
}
