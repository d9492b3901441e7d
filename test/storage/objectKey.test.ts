import { createHash } from 'node:crypto';

import { objectKey, planLinkExpiry, publicObjectUrl } from '../../nodes/FarmProfile/storage/objectKey';
import { MAX_PRESIGN_SECONDS } from '../../nodes/FarmProfile/storage/sigv4';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const date = new Date('2026-03-04T23:59:59.999Z');

describe('objectKey', () => {
	it('files by UTC date, post reference and content hash', () => {
		const hash = sha('video');
		expect(objectKey({ prefix: 'farm/uploads/', date, reference: 'ref_01J9ZK', sha256: hash, extension: 'mp4' })).toBe(
			`farm/uploads/2026/03/04/ref_01J9ZK-${hash.slice(0, 16)}.mp4`,
		);
		expect(objectKey({ date, reference: 'r', sha256: hash, extension: '.ZIP' })).toBe(`2026/03/04/r-${hash.slice(0, 16)}.zip`);
	});

	it('gives different content different keys, and the same content the same key', () => {
		const input = { prefix: 'p', date, reference: 'post-1', extension: 'mp4' };
		const a = objectKey({ ...input, sha256: sha('a') });
		const b = objectKey({ ...input, sha256: sha('b') });
		expect(a).not.toBe(b);
		expect(objectKey({ ...input, sha256: sha('a') })).toBe(a);
		expect(objectKey({ ...input, reference: 'post-2', sha256: sha('a') })).not.toBe(a);
		const keys = new Set(Array.from({ length: 2000 }, (_, i) => objectKey({ ...input, sha256: sha(String(i)) })));
		expect(keys.size).toBe(2000);
	});

	it('makes unsafe references, prefixes and extensions safe', () => {
		const key = objectKey({ prefix: '/../a b//./ü/', date, reference: '../../etc/passwd?x=1#y', sha256: sha('x'), extension: 'm p4/' });
		expect(key).toMatch(/^a-b\/u\/2026\/03\/04\/etc-passwd-x-1-y-[0-9a-f]{16}\.m-p4$/);
		expect(key.split('/')).not.toContain('..');
		expect(objectKey({ date, reference: '///', sha256: sha('x'), extension: '' })).toMatch(/^2026\/03\/04\/post-[0-9a-f]{16}\.bin$/);
		expect(objectKey({ prefix: 'media/tiktok/', date, reference: 'r', sha256: sha('x'), extension: 'mp4' })).toMatch(/^media\/tiktok\/2026\/03\/04\/r-/);
		expect(objectKey({ prefix: '', date, reference: 'r', sha256: sha('x'), extension: 'mp4' })).toMatch(/^2026\/03\/04\/r-/);
	});

	it('needs a full SHA-256', () => {
		expect(() => objectKey({ date, reference: 'r', sha256: 'abc', extension: 'mp4' })).toThrow(/64 hex/);
	});
});

describe('publicObjectUrl', () => {
	it('joins the base and the encoded key', () => {
		expect(publicObjectUrl('https://cdn.example.com/media/', 'p/2026/03/04/r-1.mp4')).toBe('https://cdn.example.com/media/p/2026/03/04/r-1.mp4');
		expect(publicObjectUrl('https://pub-123.r2.dev', 'a b/c.jpg')).toBe('https://pub-123.r2.dev/a%20b/c.jpg');
	});
});

describe('planLinkExpiry', () => {
	const now = new Date('2026-03-04T12:00:00Z');
	const DAY = 86400;

	it('posting now: the 24 h for the phone to download only', () => {
		expect(planLinkExpiry({ now })).toEqual({ expiresInSeconds: DAY, expiresAt: new Date('2026-03-05T12:00:00Z') });
		expect(planLinkExpiry({ now, scheduledAt: new Date('2026-03-01T00:00:00Z') })).toMatchObject({ expiresInSeconds: DAY });
	});

	it('scheduled: until the scheduled time (whole seconds, rounded up) plus 24 h', () => {
		const plan = planLinkExpiry({ now, scheduledAt: new Date('2026-03-06T12:00:00.500Z') });
		expect(plan).toEqual({ expiresInSeconds: 2 * DAY + 1 + DAY, expiresAt: new Date('2026-03-07T12:00:01Z') });
	});

	it('accepts exactly 7 days and refuses one second more, with the latest possible time in the fix', () => {
		const last = new Date(now.getTime() + (MAX_PRESIGN_SECONDS - DAY) * 1000);
		expect(planLinkExpiry({ now, scheduledAt: last })).toEqual({ expiresInSeconds: MAX_PRESIGN_SECONDS, expiresAt: new Date('2026-03-11T12:00:00Z') });
		const refused = planLinkExpiry({ now, scheduledAt: new Date(last.getTime() + 1000) });
		expect(refused).toEqual({
			problem: {
				problem: 'is more than 6 days ahead: the link to the uploaded file works 7 days at most, and the phone needs it until 24 h after the scheduled time',
				fix: 'schedule the post before 2026-03-10T12:00:00Z, or set a Public Base URL in the storage credential (a link that does not expire), or give the media as a URL',
			},
		});
	});
});
