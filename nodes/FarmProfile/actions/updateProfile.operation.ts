// Profile → "Update": sets each item's profile's bio and/or picture, one item after another, with
// Continue On Fail as for posts.

import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { eachItem } from '../posting/postItems';
import { openFarmRun } from '../posting/run';
import { updateProfile } from '../profile/update';

export async function executeUpdateProfile(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const run = await openFarmRun(this);
	return [await eachItem(this, async (itemIndex) => await updateProfile(run, itemIndex))];
}
