import { ledgerKey, RunLedger } from '../../nodes/FarmProfile/state/runLedger';

describe('RunLedger', () => {
	it('remembers what a run posted, per run', () => {
		const key = ledgerKey(0, { media_url: 'https://cdn.example.com/a.mp4' });
		new RunLedger('run-a', 0).record(key, { state: 'posted', result: { task_id: 't1' } });
		expect(new RunLedger('run-a', 1).get(key)).toEqual({ state: 'posted', result: { task_id: 't1' } });
		expect(new RunLedger('run-b', 1).get(key)).toBeUndefined();
	});

	it('tells items apart by index and by content', () => {
		expect(ledgerKey(0, { a: 1 })).toBe(ledgerKey(0, { a: 1 }));
		expect(ledgerKey(1, { a: 1 })).not.toBe(ledgerKey(0, { a: 1 }));
		expect(ledgerKey(0, { a: 2 })).not.toBe(ledgerKey(0, { a: 1 }));
	});

	it('forgets runs after a day', () => {
		const key = ledgerKey(0, {});
		new RunLedger('run-old', 0).record(key, { state: 'posted', result: {} });
		new RunLedger('someone-else', 25 * 60 * 60 * 1000);
		expect(new RunLedger('run-old', 25 * 60 * 60 * 1000).get(key)).toBeUndefined();
	});
});
