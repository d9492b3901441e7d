/** How many of the ascending `values` are below `t` (or, with `orEqual`, at most `t`): a binary search. */
export function sortedCount(values: number[], t: number, orEqual = false): number {
	let lo = 0;
	let hi = values.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (values[mid] < t || (orEqual && values[mid] === t)) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}
