import type { PostInput } from '../../nodes/FarmProfile/posting/input';
import { preparePost, type PrepareContext } from '../../nodes/FarmProfile/posting/body';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const context: PrepareContext = { now: NOW, timezone: 'UTC', newReference: () => 'generated-ref', farmIsPrivate: false, callback: { kind: 'webhookUrlField' } };

const valid: PostInput = {
	profileId: '5b0c8a4e-2f61-4c3a-9d0e-7a1b2c3d4e5f',
	mediaType: 'video',
	mediaUrl: 'https://cdn.example.com/clip.mp4',
	soundId: '7216519837462889218',
	title: 'Morning routine',
	webhookUrl: 'https://n8n.example.com/webhook/abc/webhook?token=s3cret',
	isLive: false,
	correlate: true,
	timeout: 30000,
	pace: { limit: 30, windowMs: 60_000, mode: 'window' },
	maxRateLimitWaitMs: 300_000,
	waitLimitHours: 24,
	guards: { duplicateWindowHours: 24, maxPostsPerDay: 2, overLimit: 'refuse', minGapMinutes: 120, preflight: true },
};

function issuesOf(input: Partial<PostInput>) {
	const result = preparePost({ ...valid, ...input }, context);
	if (result.ok) throw new Error('expected issues');
	return result.issues;
}

describe('preparePost', () => {
	it('builds the body with the API property names and types', () => {
		const result = preparePost(
			{ ...valid, isLive: true, description: 'Tips #1 @you', scheduledTime: '2026-11-26T09:30:00' },
			context,
		);
		expect(result).toEqual({
			ok: true,
			post: {
				body: {
					profile_id: valid.profileId,
					media_type: 'video',
					media_url: valid.mediaUrl,
					sound_id: valid.soundId,
					title: valid.title,
					webhook_url:
						'https://n8n.example.com/webhook/abc/webhook?token=s3cret&post_ref=generated-ref&profile_id=5b0c8a4e-2f61-4c3a-9d0e-7a1b2c3d4e5f',
					is_live: true,
					description: 'Tips #1 @you',
					execute_at: Date.parse('2026-11-26T09:30:00Z'),
				},
				postRef: 'generated-ref',
				scheduledAt: '2026-11-26T09:30:00.000Z',
				notes: [expect.stringContaining('strips @ and #')],
			},
		});
	});

	it('leaves optional fields out when they are empty', () => {
		const result = preparePost({ ...valid, description: '  ', scheduledTime: '' }, context);
		expect(result.ok && Object.keys(result.post.body).sort()).toEqual(
			['is_live', 'media_type', 'media_url', 'profile_id', 'sound_id', 'title', 'webhook_url'],
		);
	});

	it("uses the user's reference, and none at all when correlation is off", () => {
		const own = preparePost({ ...valid, postRef: 'row-17' }, context);
		expect(own.ok && own.post.postRef).toBe('row-17');
		expect(own.ok && new URL(own.post.body.webhook_url).searchParams.get('post_ref')).toBe('row-17');

		const off = preparePost({ ...valid, correlate: false }, context);
		expect(off.ok && off.post.body.webhook_url).toBe(valid.webhookUrl);
		expect(off.ok && off.post.postRef).toBeUndefined();
	});

	it('sends a supplied callback URL exactly as given, unchecked and uncorrelated', () => {
		const supplied = 'https://n8n.example.com/webhook-waiting/9?signature=abc';
		const result = preparePost({ ...valid, isLive: true, webhookUrl: undefined }, { ...context, callback: { kind: 'resumeUrl' as const, url: supplied } });
		expect(result.ok && result.post.body.webhook_url).toBe(supplied);
	});

	it('refuses a draft when the node waits for the post to go live: a draft never does', () => {
		const waiting = { ...context, callback: { kind: 'resumeUrl' as const, url: 'https://n8n.example.com/webhook-waiting/9?signature=abc' } };
		const result = preparePost({ ...valid, webhookUrl: undefined }, waiting);
		expect(result).toEqual({
			ok: false,
			issues: [
				{
					field: 'Publish Live',
					problem: 'is off, so the post would be saved as a draft and never go live',
					fix: 'turn on Publish Live to wait for the post to go live, or use Post to Farm Profile to save drafts',
				},
			],
		});
		expect(preparePost({ ...valid, webhookUrl: undefined, isLive: 'true' }, waiting).ok).toBe(true);
	});

	it('refuses callback addresses a farm API on the internet cannot reach, and allows them for a local farm', () => {
		const local = 'http://localhost:5678/webhook/abc/webhook?token=s3cret';
		expect(issuesOf({ webhookUrl: local })).toEqual([
			{
				field: 'Webhook URL',
				problem: 'points at localhost:5678, which the farm API cannot reach',
				fix: "paste the trigger's Production URL with n8n's public address (n8n's WEBHOOK_URL setting must be that address)",
			},
		]);
		expect(preparePost({ ...valid, webhookUrl: local }, { ...context, farmIsPrivate: true }).ok).toBe(true);

		const resume = 'http://localhost:5678/webhook-waiting/9/farm?signature=abc';
		const waiting = preparePost({ ...valid, isLive: true, webhookUrl: undefined }, { ...context, callback: { kind: 'resumeUrl' as const, url: resume } });
		expect(waiting).toEqual({
			ok: false,
			issues: [
				{
					field: "n8n's WEBHOOK_URL",
					problem: 'gives resume URLs on localhost:5678, which the farm API cannot reach',
					fix: "set n8n's WEBHOOK_URL environment variable to its public https:// address and restart n8n, or use Post to Farm Profile with a reachable trigger URL",
				},
			],
		});
		expect(JSON.stringify(waiting)).not.toContain('signature');
		const sandboxed = preparePost({ ...valid, isLive: true, webhookUrl: undefined }, { ...context, farmIsPrivate: true, callback: { kind: 'resumeUrl' as const, url: resume } });
		expect(sandboxed.ok).toBe(true);
	});

	it('trims pasted values', () => {
		const result = preparePost({ ...valid, profileId: ` ${valid.profileId}\n`, soundId: ' 42 ' }, context);
		expect(result.ok && result.post.body.profile_id).toBe(valid.profileId);
		expect(result.ok && result.post.body.sound_id).toBe('42');
	});

	it('names every field that needs fixing, with the label the user sees', () => {
		const issues = issuesOf({
			profileId: 'rita',
			mediaUrl: 'http://cdn.example.com/a.mp4',
			soundId: '',
			title: ' ',
			webhookUrl: 'not a url',
			scheduledTime: '2020-01-01T00:00:00Z',
		});
		expect(issues.map((issue) => issue.field)).toEqual([
			'Profile ID',
			'Media URL',
			'Sound ID',
			'Title',
			'Webhook URL',
			'Scheduled Time',
		]);
		for (const issue of issues) expect(issue.fix.length).toBeGreaterThan(10);
	});

	it('checks media type against the URL extension', () => {
		expect(issuesOf({ mediaType: 'slideshow' })).toEqual([
			expect.objectContaining({ field: 'Media URL', problem: expect.stringContaining('.mp4') }),
		]);
	});

	it('refuses an unknown media type and a non-boolean Publish Live (from expressions)', () => {
		expect(issuesOf({ mediaType: 'photo' }).map((issue) => issue.field)).toEqual(['Media Type']);
		expect(issuesOf({ isLive: 'yes' }).map((issue) => issue.field)).toEqual(['Publish Live']);
		const fromText = preparePost({ ...valid, isLive: 'true' }, context);
		expect(fromText.ok && fromText.post.body.is_live).toBe(true);
	});
});
