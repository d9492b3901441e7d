import { DAY_MS, fitsCadence, nextFreeSlot } from '../../nodes/FarmProfile/helpers/cadenceGuard';
import { describeDuplicate, findDuplicate } from '../../nodes/FarmProfile/helpers/duplicateGuard';
import { normaliseMediaUrl, PostHistory, type PostRecord } from '../../nodes/FarmProfile/helpers/postHistory';

const H = 3_600_000;

describe('normaliseMediaUrl', () => {
	it('folds scheme and host case, default port and fragment; keeps path and query', () => {
		expect(normaliseMediaUrl('HTTPS://CDN.Example.com:443/Clips/A.mp4?sig=X#t=1')).toBe('https://cdn.example.com/Clips/A.mp4?sig=X');
		expect(normaliseMediaUrl('https://cdn.example.com/a.mp4?sig=Y')).not.toBe(normaliseMediaUrl('https://cdn.example.com/a.mp4?sig=X'));
	});
});

describe('findDuplicate', () => {
	const record = (at: number, extra: Partial<PostRecord> = {}): PostRecord => ({ media: 'https://cdn/a.mp4', at, slot: at, taskId: 't1', ...extra });

	it('finds the same media within the window only', () => {
		expect(findDuplicate([record(0)], 'https://cdn/a.mp4', 23 * H, 24 * H)).toEqual(record(0));
		expect(findDuplicate([record(0)], 'https://cdn/a.mp4', 25 * H, 24 * H)).toBeUndefined();
		expect(findDuplicate([record(0)], 'https://cdn/b.mp4', H, 24 * H)).toBeUndefined();
		expect(findDuplicate([record(0)], 'https://cdn/a.mp4', H, 0)).toBeUndefined();
	});

	it('names the earlier post, or says the earlier answer was unclear', () => {
		expect(describeDuplicate(record(0), 24).problem).toBe('was already posted to this profile at 1970-01-01T00:00:00.000Z (task t1)');
		expect(describeDuplicate(record(0, { taskId: null, uncertain: true }), 24).problem).toContain('left open whether it was posted');
		expect(describeDuplicate(record(0), 24).fix).toContain('1970-01-02T00:00:00.000Z');
	});
});

describe('fitsCadence', () => {
	it('allows at most max posts in any rolling 24 hours', () => {
		expect(fitsCadence([0], 10 * H, 2)).toBe(true);
		expect(fitsCadence([0, 20 * H], 10 * H, 2)).toBe(false);
		expect(fitsCadence([0, 20 * H], 24 * H, 2)).toBe(true); // the post at 0 has left the window
		expect(fitsCadence([0, 30 * H], 15 * H, 2)).toBe(true); // no 24 h holds three
		expect(fitsCadence([0, 30 * H], 15 * H, 1)).toBe(false);
	});

	it('counts posts scheduled later, by their scheduled time', () => {
		expect(fitsCadence([40 * H, 45 * H], 30 * H, 2)).toBe(false);
		expect(fitsCadence([40 * H, 45 * H], 10 * H, 2)).toBe(true);
	});

	it('lets everything through at 0', () => {
		expect(fitsCadence([0, 1, 2], 3, 0)).toBe(true);
	});
});

describe('nextFreeSlot', () => {
	it('is the asked time when it fits', () => {
		expect(nextFreeSlot([0], 5 * H, 2, 2 * H)).toBe(5 * H);
	});

	it('is a day after the post that blocks it', () => {
		expect(nextFreeSlot([0, 1 * H], 2 * H, 2, 2 * H)).toBe(DAY_MS);
	});

	it('keeps the minimum gap to the neighbours', () => {
		expect(nextFreeSlot([0], H, 2, 2 * H)).toBe(2 * H);
		expect(nextFreeSlot([0, DAY_MS + H], DAY_MS - H, 3, 3 * H)).toBe(DAY_MS + 4 * H);
	});

	it('always finds a slot that fits', () => {
		const slots = [0, 3 * H, 6 * H, 30 * H];
		const next = nextFreeSlot(slots, 6 * H, 2, H);
		expect(fitsCadence(slots, next, 2)).toBe(true);
		expect(slots.every((slot) => Math.abs(slot - next) >= H)).toBe(true);
	});
});

describe('PostHistory', () => {
	it('keeps records per profile in the static data object, assigning it whole', () => {
		const store: Record<string, unknown> = {};
		new PostHistory(store as never, 0).add('p1', { media: 'm', at: 0, slot: 0, taskId: 't' });
		expect(store.farmProfilePosts).toEqual({ p1: [{ media: 'm', at: 0, slot: 0, taskId: 't' }] });
		expect(new PostHistory(store as never, 1).forProfile('p1')).toHaveLength(1);
		expect(new PostHistory(store as never, 1).forProfile('p2')).toEqual([]);
	});

	it('forgets records older than 30 days', () => {
		const store: Record<string, unknown> = {};
		new PostHistory(store as never, 0).add('p1', { media: 'm', at: 0, slot: 0, taskId: 't' });
		expect(new PostHistory(store as never, 31 * DAY_MS).forProfile('p1')).toEqual([]);
	});
});
