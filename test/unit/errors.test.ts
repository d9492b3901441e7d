import { errorItemJson, FarmApiError, invalidFieldsError, withPostedSoFar } from '../../nodes/FarmProfile/posting/errors';

const node = { id: 'n', name: 'Farm Profile', type: 'n8n-nodes-farm-profile.farmProfile', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
const issue = (field: string, problem: string) => ({ field, problem, fix: 'fix it' });

describe('invalidFieldsError', () => {
	it('names the one problem, or the fields that need fixing, in good grammar', () => {
		expect(invalidFieldsError(node, [issue('Title', 'is empty')], 2).message).toBe('Title is empty [item 2]');
		expect(invalidFieldsError(node, [issue('Media URL', 'uses http://'), issue('Media URL', 'ends in .png')], 0).message).toBe(
			'Media URL needs fixing before posting [item 0]',
		);
		expect(invalidFieldsError(node, [issue('Title', 'is empty'), issue('Sound ID', 'is empty')], 0).message).toBe(
			'Title, Sound ID need fixing before posting [item 0]',
		);
	});

	it('lists every problem with its fix, and says nothing was sent', () => {
		const error = invalidFieldsError(node, [issue('Title', 'is empty'), issue('Sound ID', 'is empty')], 0);
		expect(error.description).toBe('Title is empty: fix it.\nSound ID is empty: fix it.\nNothing was sent to the farm API.');
	});
});

describe('FarmApiError', () => {
	const failure = { message: 'Bad Gateway (502)', description: 'The post may still go up.', code: '502', mayHavePosted: true };

	it('carries the failure it describes, for the error item and the items posted so far', () => {
		const error = withPostedSoFar(new FarmApiError(node, failure, 3), [{ itemIndex: 0, taskId: 'task_1' }]);
		expect(error.apiFailure).toBe(failure);
		expect(error.message).toBe('Bad Gateway (502) [item 3]');
		expect(errorItemJson(error)).toEqual({
			error: 'Bad Gateway (502) [item 3]',
			description: 'The post may still go up.\nAlready posted by this run (not sent again if the node is retried): item 0: task_1.',
			code: '502',
			may_have_posted: true,
		});
	});
});
