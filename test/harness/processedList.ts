// n8n's deduplication store keeps a workflow's processed items as one list (DeduplicationHelper,
// "entries" mode, n8n 1.123.81 and 2.41.1). The test stand-ins for it share this one step.

export type Item = string | number;

/** Sorts `items` into those the list already has and those it does not, appending the new ones to `list`. */
export function recordInto(list: string[], items: Item[]): { new: Item[]; processed: Item[] } {
	const result = { new: [] as Item[], processed: [] as Item[] };
	for (const item of items) {
		if (list.includes(String(item))) result.processed.push(item);
		else {
			result.new.push(item);
			list.push(String(item));
		}
	}
	return result;
}
