// The task id of each post whose execution waits for its callback, by the resume URL's signature.
// n8n drops the node's pre-wait output before the resume webhook runs, and the farm's callback
// carries no task id, so this process remembers it. After an n8n restart, or in queue mode when
// another process handles the callback, it is not known (the signed post_ref always comes back).

const KEEP_MS = 8 * 24 * 60 * 60 * 1000;
const MAX_ENTRIES = 10_000;
const waiting = new Map<string, { taskId: string; until: number }>();

export function rememberWaitingPost(signature: string, taskId: string, until: number): void {
	const now = Date.now();
	for (const [key, entry] of waiting) {
		if (entry.until + KEEP_MS < now || waiting.size >= MAX_ENTRIES) waiting.delete(key);
	}
	waiting.set(signature, { taskId, until });
}

/** The task id of the post this resume call is for, forgotten once taken; null when not known here. */
export function takeWaitingPost(signature: unknown): string | null {
	if (typeof signature !== 'string') return null;
	const entry = waiting.get(signature);
	waiting.delete(signature);
	return entry?.taskId ?? null;
}
