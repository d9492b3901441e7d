// The Profile resource's Update, one item: read and check the fields, deliver the picture (a URL
// looked at, or a file uploaded), then PATCH the profile through the paced transport. Every failure
// is described for a request that is safe to repeat (transport/failures.ts UPDATE_PROFILE).

import type { IDataObject } from 'n8n-workflow';

import { apiFailureError, deliveryError, invalidFieldsError } from '../posting/errors';
import type { FarmRun } from '../posting/run';
import { describeUnexpectedAnswer, UPDATE_PROFILE } from '../transport/failures';
import { prepareProfileUpdate } from './body';
import { readProfileUpdateInput } from './input';
import { deliverPicture } from './picture';
import { profileResult } from './result';

const BEFORE = 'updating the profile';

export async function updateProfile(run: FarmRun, itemIndex: number): Promise<IDataObject> {
	const node = run.ctx.getNode();
	const input = readProfileUpdateInput(run.ctx, itemIndex);
	const checked = prepareProfileUpdate(input);
	if (!checked.ok) throw invalidFieldsError(node, checked.issues, itemIndex, BEFORE);
	const { profileId, bio, picture } = checked.update;

	const delivered = picture ? await deliverPicture(run, itemIndex, picture, { profileId, timeout: input.timeout }) : undefined;
	if (delivered && !delivered.ok) throw deliveryError(node, delivered, itemIndex, BEFORE);
	const outcome = await run.api.send({
		method: 'PATCH',
		path: `/v1/farm-profiles/${encodeURIComponent(profileId)}`,
		effect: UPDATE_PROFILE,
		body: { ...(bio === undefined ? {} : { bio }), ...(delivered ? { profile_picture_url: delivered.url } : {}) },
		timeout: input.timeout,
		secrets: delivered?.secrets,
		pace: { rule: input.pace, maxRateLimitWaitMs: input.maxRateLimitWaitMs },
	});
	if (!outcome.ok) throw apiFailureError(node, outcome.failure, itemIndex);
	const result = profileResult(outcome.body, delivered);
	if (!result) throw apiFailureError(node, describeUnexpectedAnswer(outcome.status, 'a farm profile', UPDATE_PROFILE), itemIndex);
	return result;
}
