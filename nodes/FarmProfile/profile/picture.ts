// The picture step of a profile update: the link the farm gets. A Picture URL is looked at the way
// the farm will (media/preflight.ts); a binary file is checked by its bytes, then uploaded to the
// user's storage as post media is (storage/upload.ts), and the farm gets its link.

import type { IDataObject } from 'n8n-workflow';

import { profileLabel } from '../actions/profileFields';
import { readBinaryPicture } from '../media/binaryMedia';
import { httpMediaFetch } from '../media/fetch';
import { preflightPicture } from '../media/preflight';
import type { FieldIssue } from '../posting/body';
import { binaryAccess } from '../posting/media';
import type { FarmRun } from '../posting/run';
import { checkStorage, uploadMedia } from '../storage/upload';
import { UPDATE_PROFILE, type ApiFailure } from '../transport/failures';
import type { PictureChoice } from './body';

export type PictureDelivery =
	/** `shownUrl`: the link with its signature masked; `uploaded`: where a binary file went. */
	| { ok: true; url: string; shownUrl: string; secrets: string[]; uploaded?: IDataObject }
	| { ok: false; issues: FieldIssue[] }
	| { ok: false; failure: ApiFailure };

export async function deliverPicture(
	run: FarmRun,
	itemIndex: number,
	picture: PictureChoice,
	context: { profileId: string; timeout: number },
): Promise<PictureDelivery> {
	if (picture.source === 'url') {
		const problem = await preflightPicture(httpMediaFetch(run.ctx, context.timeout), picture.url, { allowPrivateHosts: run.farmIsPrivate });
		if (problem) return { ok: false, issues: [{ field: profileLabel('pictureUrl'), ...problem }] };
		return { ok: true, url: picture.url, shownUrl: picture.url, secrets: [] };
	}

	const read = await readBinaryPicture(binaryAccess(run, itemIndex), picture.field);
	if (!read.ok) return read;
	const storage = await run.storage();
	const now = new Date();
	const issues = checkStorage(storage, { farmIsPrivate: run.farmIsPrivate, now });
	if (issues.length > 0) return { ok: false, issues };
	const result = await uploadMedia(storage, read.picture, { reference: `profile-${context.profileId}`, now, nothingDone: UPDATE_PROFILE.nothingDone });
	if (!result.ok) return result;
	const { uploaded } = result;
	return { ok: true, url: uploaded.url, shownUrl: uploaded.safeUrl, secrets: uploaded.secrets, uploaded: uploaded.output };
}
