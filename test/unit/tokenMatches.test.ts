import { eventSelected, tokenMatches } from '../../nodes/shared/callback';

describe('tokenMatches', () => {
	it('matches only the exact token', () => {
		expect(tokenMatches('s3cret', 's3cret')).toBe(true);
		expect(tokenMatches('s3cret ', 's3cret')).toBe(false);
		expect(tokenMatches('', 's3cret')).toBe(false);
		expect(tokenMatches(undefined, 's3cret')).toBe(false);
		expect(tokenMatches(['s3cret'], 's3cret')).toBe(false);
	});
});

describe('eventSelected', () => {
	it('selects listed events, or all with *', () => {
		expect(eventSelected('post.published', ['post.published'])).toBe(true);
		expect(eventSelected('post.failed', ['post.published'])).toBe(false);
		expect(eventSelected('post.failed', ['*'])).toBe(true);
	});
});
