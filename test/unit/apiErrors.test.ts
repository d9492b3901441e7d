import {
	CREATE_POST,
	describeHttpFailure,
	describeMissingTaskId,
	describeTransportFailure,
	describeUnexpectedAnswer,
	formatDetail,
	LIST_SOURCES,
	UPDATE_PROFILE,
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

describe('a profile update (PATCH /v1/farm-profiles/{id}) and the Sound list (GET /v1/sources)', () => {
	it.each([
		[UPDATE_PROFILE, 'The profile was not changed'],
		[LIST_SOURCES, 'The list was not loaded'],
	])('%#: every failure says what did not happen, none speaks of posting, none may have posted', (effect, nothingDone) => {
		for (const status of [400, 401, 403, 404, 409, 422, 429, 500, 502, 503]) {
			const failure = describeHttpFailure(status, { detail: 'x' }, effect);
			expect(`${failure.message} ${failure.description}`).not.toMatch(/post/i);
			expect(failure.mayHavePosted).toBe(false);
			if (status < 500) expect(failure.description).toContain(nothingDone);
		}
	});

	it('an update: 404 unknown profile, 403 another team\'s (a post\'s 403 stays about the key), 409 with the server\'s reason', () => {
		expect(describeHttpFailure(404, { detail: 'Farm profile not found' }, UPDATE_PROFILE)).toMatchObject({
			message: 'Farm profile not found (404)',
			description: expect.stringMatching(/^The profile was not changed\. Check Profile ID: .*\nServer said: Farm profile not found$/s),
		});
		expect(describeHttpFailure(403, { detail: 'Farm profile belongs to another team' }, UPDATE_PROFILE)).toMatchObject({
			message: 'The farm profile belongs to another team (403)',
			description: expect.stringContaining("This API key may change only its own team's profiles"),
		});
		expect(describeHttpFailure(403, '', CREATE_POST).message).toBe('The farm API refused the API key (403)');
		expect(describeHttpFailure(401, '', UPDATE_PROFILE).message).toBe('The farm API refused the API key (401)');
		expect(describeHttpFailure(409, { detail: 'Profile is deactivated' }, UPDATE_PROFILE)).toMatchObject({
			message: 'The farm API refused to change the profile now (409)',
			description: expect.stringContaining('Server said: Profile is deactivated'),
		});
	});

	it("an update's 422 names the profile's fields by their labels", () => {
		const body = {
			detail: [
				{ loc: ['body', 'bio'], msg: 'String should have at most 80 characters', type: 'string_too_long' },
				{ loc: ['body', 'profile_picture_url'], msg: 'URL scheme should be https', type: 'url_scheme' },
			],
		};
		expect(describeHttpFailure(422, body, UPDATE_PROFILE).description).toContain(
			'Server said: Bio: String should have at most 80 characters; Profile Picture: URL scheme should be https',
		);
		expect(describeHttpFailure(422, { detail: [{ loc: ['query', 'limit'], msg: 'Input should be less than or equal to 100' }] }, LIST_SOURCES).description).toContain(
			'Server said: query.limit: Input should be less than or equal to 100',
		);
	});

	it('an update whose answer is unclear (5xx, timeout) is safe to repeat', () => {
		for (const failure of [describeHttpFailure(502, '', UPDATE_PROFILE), describeTransportFailure('ETIMEDOUT', UPDATE_PROFILE)]) {
			expect(failure.mayHavePosted).toBe(false);
			expect(failure.description).toContain('An update is safe to repeat');
		}
	});

	it('a 2xx that is not what the request returns points at Base URL', () => {
		expect(describeUnexpectedAnswer(200, 'a farm profile', UPDATE_PROFILE)).toEqual({
			message: 'The answer (200) is not a farm profile',
			description: expect.stringMatching(/^Check Base URL .* An update is safe to repeat/),
			code: '200',
			mayHavePosted: false,
		});
		expect(describeUnexpectedAnswer(200, 'a list of sources', LIST_SOURCES).description).toContain('safe to try again');
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
