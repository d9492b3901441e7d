// "Post Across Profiles": each item goes to the profile of the pool with the earliest slot that keeps
// every rule, at that time, with the Webhook URL field as its callback; or, with Plan Only, only the
// plan is shown.

import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { newPoolRun, postAcrossProfiles } from '../planning/postAcross';
import { eachItem } from '../posting/postItems';
import { openRun } from '../posting/run';

export async function executePostAcrossProfiles(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const run = await openRun(this, { kind: 'webhookUrlField' });
	const poolRun = newPoolRun();
	return [await eachItem(this, async (itemIndex) => await postAcrossProfiles(run, itemIndex, poolRun))];
}
