// profile/body.ts and profile/result.ts: a profile update's fields checked before anything is
// fetched or sent, and the output made of the farm's answer.

import { prepareProfileUpdate } from '../../nodes/FarmProfile/profile/body';
import type { ProfileUpdateInput } from '../../nodes/FarmProfile/profile/input';
import { profileResult } from '../../nodes/FarmProfile/profile/result';

const RITA = '5b0c8a4e-2f61-4c3a-9d0e-7a1b2c3d4e5f';
const input = (fields: Partial<ProfileUpdateInput>): ProfileUpdateInput => ({
	profileId: RITA,
	bio: '',
	pictureSource: 'url',
	pictureUrl: '',
	binaryProperty: undefined,
	timeout: 30_000,
	pace: { limit: 30, windowMs: 60_000, mode: 'window' },
	maxRateLimitWaitMs: 300_000,
	...fields,
});

describe('prepareProfileUpdate', () => {
	it('a bio alone: the picture stays, the bio is sent trimmed', () => {
		expect(prepareProfileUpdate(input({ bio: '  Calm mornings, one tip a day \n' }))).toEqual({ ok: true, update: { profileId: RITA, bio: 'Calm mornings, one tip a day' } });
	});

	it('a picture URL alone, and a binary picture with a bio', () => {
		expect(prepareProfileUpdate(input({ pictureUrl: ' https://cdn.example.com/a.png ' }))).toEqual({
			ok: true,
			update: { profileId: RITA, picture: { source: 'url', url: 'https://cdn.example.com/a.png' } },
		});
		expect(prepareProfileUpdate(input({ bio: 'Hi', pictureSource: 'binaryFile', binaryProperty: 'avatar' }))).toEqual({
			ok: true,
			update: { profileId: RITA, bio: 'Hi', picture: { source: 'binaryFile', field: 'avatar' } },
		});
	});

	it('refuses an update of nothing: an empty bio and no picture', () => {
		expect(prepareProfileUpdate(input({ bio: '   ' }))).toEqual({
			ok: false,
			issues: [{ field: 'Bio', problem: 'is empty, and so is Picture URL', fix: expect.stringContaining('an update needs at least one') }],
		});
	});

	it('reports every problem of the item together: Profile ID, Picture URL', () => {
		const checked = prepareProfileUpdate(input({ profileId: 'rita.ready', bio: 'Hi', pictureUrl: 'http://cdn.example.com/a.png' }));
		expect(checked).toEqual({
			ok: false,
			issues: [
				expect.objectContaining({ field: 'Profile ID', problem: 'is not a UUID' }),
				expect.objectContaining({ field: 'Picture URL', problem: 'uses http://' }),
			],
		});
	});

	it('says what an empty Profile ID and an empty binary field name are for', () => {
		const checked = prepareProfileUpdate(input({ profileId: '', pictureSource: 'binaryFile', binaryProperty: ' ' }));
		expect(checked).toEqual({
			ok: false,
			issues: [
				{ field: 'Profile ID', problem: 'is empty', fix: 'enter the UUID of the farm profile to update' },
				{ field: 'Input Binary Field', problem: 'is empty', fix: expect.stringContaining('the name of the binary field holding the picture') },
			],
		});
	});

	it('sets no bio length limit of its own (the farm API states its own)', () => {
		expect(prepareProfileUpdate(input({ bio: 'x'.repeat(5000) })).ok).toBe(true);
	});
});

describe('profileResult', () => {
	const profile = { profile_id: RITA, profile_name: 'Ready Rita', tiktok_username: 'rita.ready', created_at: null, phone_id: 'phone-ready-1', status: 'ready' };

	it('is the profile object as the API returned it, with no note for a ready profile', () => {
		expect(profileResult(profile)).toEqual(profile);
	});

	it('notes that a profile that is not ready may not post yet', () => {
		expect(profileResult({ ...profile, status: 'warming' })).toEqual({
			...profile,
			status: 'warming',
			notes: ['The profile\'s status is "warming", not "ready": the update is applied, but only a ready profile may post.'],
		});
	});

	it('shows where a binary picture went, and never the signature of its link, even if the farm echoes it', () => {
		const signed = 'http://127.0.0.1:9/bucket/a.png?X-Amz-Expires=86400&X-Amz-Signature=0f9e8d7c6b5a49382716';
		const safe = 'http://127.0.0.1:9/bucket/a.png?X-Amz-Expires=86400&X-Amz-Signature=[redacted]';
		const uploaded = { bucket: 'bucket', key: 'a.png', link_expires_at: '2026-12-02T10:00:00.000Z' };
		const result = profileResult({ ...profile, profile_picture_url: signed }, { url: signed, shownUrl: safe, secrets: [signed, '0f9e8d7c6b5a49382716'], uploaded });
		expect(result).toEqual({ ...profile, profile_picture_url: safe, uploaded_picture: uploaded });
		expect(JSON.stringify(result)).not.toContain('0f9e8d7c6b5a49382716');
	});

	it('is undefined for an answer that is not an object', () => {
		for (const answer of ['<html>OK</html>', null, [profile], 42]) expect(profileResult(answer)).toBeUndefined();
	});
});
