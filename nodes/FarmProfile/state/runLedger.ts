// What this run already sent, so that n8n's "Retry On Fail" (which runs the node again with the
// same items) never sends a post twice: a posted item hands back its result, and an item whose
// answer was ambiguous (502, timeout) fails again without being re-sent.

import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import type { ApiFailure } from '../transport/failures';

export type LedgerEntry =
	| { state: 'posted'; result: IDataObject }
	| { state: 'uncertain'; failure: ApiFailure };

interface Run {
	touched: number;
	entries: Map<string, LedgerEntry>;
}

// Runs are forgotten after a day, and at most this many are kept.
const KEEP_MS = 24 * 60 * 60 * 1000;
const MAX_RUNS = 1000;
const runs = new Map<string, Run>();

/** Identifies a post within a run: the same item with the same content (a loop's next batch differs). */
export function ledgerKey(itemIndex: number, content: Record<string, unknown>): string {
	return `${itemIndex}:${createHash('sha256').update(JSON.stringify(content)).digest('hex')}`;
}

export class RunLedger {
	private readonly run: Run;

	constructor(runId: string, now: number) {
		forgetOld(now);
		let run = runs.get(runId);
		if (!run) {
			run = { touched: now, entries: new Map() };
			runs.set(runId, run);
		}
		run.touched = now;
		this.run = run;
	}

	get(key: string): LedgerEntry | undefined {
		return this.run.entries.get(key);
	}

	record(key: string, entry: LedgerEntry): void {
		this.run.entries.set(key, entry);
	}
}

function forgetOld(now: number) {
	for (const [id, run] of runs) {
		if (now - run.touched > KEEP_MS || runs.size > MAX_RUNS) runs.delete(id);
	}
}
