import { addCorrelation, readCorrelation } from '../../nodes/shared/correlation';
import { redact } from '../../nodes/shared/secrets';

describe('correlation', () => {
	it('adds post_ref and profile_id and keeps the query the URL had', () => {
		const url = addCorrelation('https://n8n.example.com/webhook/a/webhook?token=t0k&campaign=fall#frag', {
			postRef: 'row 17',
			profileId: 'p-1',
		});
		const parsed = new URL(url);
		expect(parsed.searchParams.get('token')).toBe('t0k');
		expect(parsed.searchParams.get('campaign')).toBe('fall');
		expect(parsed.searchParams.get('post_ref')).toBe('row 17');
		expect(parsed.searchParams.get('profile_id')).toBe('p-1');
	});

	it('reads them back, without the token, keeping the other parameters', () => {
		expect(readCorrelation({ post_ref: 'row 17', profile_id: 'p-1', token: 't0k', campaign: ['fall', 'x'] })).toEqual({
			post_ref: 'row 17',
			profile_id: 'p-1',
			query: { campaign: 'fall' },
		});
		expect(readCorrelation({})).toEqual({ post_ref: null, profile_id: null, query: {} });
	});
});

describe('redact', () => {
	it('masks every secret, plain and URL-encoded, longest first', () => {
		expect(redact('key sk-123456 and sk-123456789 and a%2Fb%3D', ['sk-123456', 'sk-123456789', 'a/b='])).toBe(
			'key [redacted] and [redacted] and [redacted]',
		);
	});

	it('ignores empty or very short secrets rather than masking every letter', () => {
		expect(redact('abc', [undefined, '', 'a'])).toBe('abc');
	});
});
