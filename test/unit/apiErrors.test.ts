import {
	CREATE_POST,
	describeHttpFailure,
	describeMissingTaskId,
	describeTransportFailure,
	formatDetail,
	type RequestEffect,
} from '../../nodes/FarmProfile/transport/failures';

describe('formatDetail', () => {
	it('shows a string detail as is', () => {
		expect(formatDetail({ detail: 'Farm profile not found' })).toBe('Farm profile not found');
	});

	it('joins a 422 list by field, with the labels the user sees', () => {
		const body = {
			detail: [
				{ loc: ['body', 'media_url'], msg: 'URL scheme should be https', type: 'url_scheme' },
				{ loc: ['body', 'execute_at'], msg: 'execute_at must be in the future', type: 'value_error' },
				{ loc: ['body'], msg: 'Input should be a valid dictionary', type: 'dict_type' },
			],
		};
		expect(formatDetail(body)).toBe(
			'Media URL: URL scheme should be https; Scheduled Time: execute_at must be in the future; Input should be a valid dictionary',
		);
	});

	it('does not dump an HTML error page', () => {
		expect(formatDetail('<!DOCTYPE html><html><body>502</body></html>')).toContain('HTML page');
	});

	it('has nothing to say for an empty body', () => {
		expect(formatDetail('')).toBeUndefined();
		expect(formatDetail(undefined)).toBeUndefined();
		expect(formatDetail({})).toBeUndefined();
	});
});

describe('describeHttpFailure', () => {
	it.each([
		[400, 'rejected the request', 'Nothing was posted'],
		[401, 'refused the API key', 'credential'],
		[403, 'refused the API key', 'credential'],
		[404, 'not found', 'Profile ID'],
		[409, 'not ready', 'status "ready"'],
		[422, 'could not accept', 'Fix the fields'],
		[429, 'Rate limit', 'safe to run again'],
	])('%i says what happened and that nothing was posted', (status, inMessage, inDescription) => {
		const failure = describeHttpFailure(status, { detail: 'server words' }, CREATE_POST);
		expect(failure.message).toContain(inMessage);
		expect(failure.description).toContain(inDescription);
		expect(failure.description).toContain('Server said: server words');
		expect(failure.mayHavePosted).toBe(false);
		expect(failure.code).toBe(String(status));
	});

	it.each([502, 500, 503, 504])('%i warns that the post may still go up', (status) => {
		const failure = describeHttpFailure(status, { detail: 'Bad Gateway' }, CREATE_POST);
		expect(failure.mayHavePosted).toBe(true);
		expect(failure.description).toContain('Do not retry blindly');
	});

	it('points at Base URL for unexpected statuses', () => {
		expect(describeHttpFailure(301, '', CREATE_POST).description).toContain('Base URL');
	});

	it('treats an answer without task_id as a wrong Base URL that may still have posted', () => {
		expect(describeMissingTaskId(200)).toMatchObject({ mayHavePosted: true, code: '200' });
	});
});

describe('failures of a request that posts nothing', () => {
	// A list read or a profile update: an unclear answer changes nothing that must not be repeated.
	const readList: RequestEffect = {
		nothingDone: 'Nothing was changed',
		unclear: 'Nothing was changed by this read: it is safe to run again.',
		unclearMayHavePosted: false,
		notFound: { message: 'The farm API has no such list (404)', fix: 'Check Base URL.' },
		conflict: { message: 'Conflict (409)', fix: 'Run again.' },
	};

	it.each([400, 401, 404, 409, 422, 429, 502, 503])('%i does not speak of posting', (status) => {
		const failure = describeHttpFailure(status, { detail: 'x' }, readList);
		expect(`${failure.message} ${failure.description}`).not.toMatch(/post/i);
		expect(failure.mayHavePosted).toBe(false);
	});

	it('names what a 404 means for the request made', () => {
		expect(describeHttpFailure(404, '', readList)).toMatchObject({ message: 'The farm API has no such list (404)', description: 'Nothing was changed. Check Base URL.' });
	});

	it('says a timeout is safe to repeat', () => {
		expect(describeTransportFailure('ETIMEDOUT', readList)).toMatchObject({ mayHavePosted: false });
		expect(describeTransportFailure('ECONNREFUSED', readList).description).toContain('Nothing was changed. Check Base URL');
	});
});

describe('describeTransportFailure', () => {
	it('says nothing was posted when the API was never reached', () => {
		expect(describeTransportFailure('ECONNREFUSED', CREATE_POST)).toMatchObject({ mayHavePosted: false });
		expect(describeTransportFailure('ENOTFOUND', CREATE_POST).description).toContain('Base URL');
	});

	it('warns after a timeout or a dropped connection', () => {
		expect(describeTransportFailure('ECONNABORTED', CREATE_POST)).toMatchObject({ mayHavePosted: true });
		expect(describeTransportFailure('ECONNRESET', CREATE_POST)).toMatchObject({ mayHavePosted: true });
		expect(describeTransportFailure(undefined, CREATE_POST)).toMatchObject({ mayHavePosted: true, code: 'UNKNOWN' });
	});
});
