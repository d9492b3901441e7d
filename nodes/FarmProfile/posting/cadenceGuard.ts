// TikTok bans accounts that post too often; the vendor's API reference advises at most 1–2 posts per profile per day
// and the server enforces nothing. Posts count at the time they publish (scheduled ones at their
// execute_at): any 24 hours may hold at most `max` of a profile's posts.

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether a post publishing at `candidate` keeps every rolling 24 h within `max` posts. */
export function fitsCadence(slots: number[], candidate: number, max: number): boolean {
	if (max <= 0) return true;
	const all = [...slots, candidate];
	// The fullest window holding the candidate starts at one of the posts in the day before it.
	return all
		.filter((start) => start <= candidate && start > candidate - DAY_MS)
		.every((start) => all.filter((slot) => slot >= start && slot < start + DAY_MS).length <= max);
}

/** The earliest moment from `earliest` on that fits the cadence and keeps `minGapMs` from every other post. */
export function nextFreeSlot(slots: number[], earliest: number, max: number, minGapMs: number): number {
	const candidates = [earliest, ...slots.flatMap((slot) => [slot + DAY_MS, slot + minGapMs])]
		.filter((time) => time >= earliest)
		.sort((a, b) => a - b);
	const fits = (time: number) =>
		fitsCadence(slots, time, max) && slots.every((slot) => Math.abs(slot - time) >= minGapMs);
	// Some candidate always fits: a day after the last post nothing is in its window.
	return candidates.find(fits) ?? Math.max(earliest, ...slots.map((slot) => slot + DAY_MS));
}
