import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchTurns } from '../../bench/batch-turns';
import { importState } from '../support/db-state';
import { nanaFile } from '../support/generate-nana';
import { balances, importFile } from '../support/http';
import { startStack, type Stack } from '../support/stack';

const file = nanaFile({ records: 600, seed: 11 });
const options = { fields: { batchSize: '40', testBatchSize: '20' } };

let chunked: Stack;
let single: Stack;
beforeAll(async () => {
  [chunked, single] = await Promise.all([startStack({ workflowDefaults: { maxBatchesPerRun: 3 } }), startStack()]);
});
afterAll(async () => Promise.all([chunked?.close(), single?.close()]));

describe('continue-as-new', () => {
  it('spreads a long import over bounded runs with the same result as one run', async () => {
    const since = new Date();
    const [a, b] = await Promise.all([importFile(chunked, file, options), importFile(single, file, options)]);
    expect(a.status).toBe('completed');
    expect(b.status).toBe('completed');
    expect(balances(a)).toBe(true);
    expect(a.counts).toEqual(b.counts);

    const runs = [];
    for await (const wf of chunked.client.workflow.list({ query: `WorkflowId = "${a.workflowId}"` })) runs.push(wf);
    // 15 batches at 3 a run: at least 5 runs, each with a short history.
    expect(runs.length).toBeGreaterThanOrEqual(5);
    for (const run of runs) expect(run.historyLength).toBeLessThan(100);
    // The bench reads every batch from the runs' histories: the test batch and the 15 others, each once.
    let turns: Awaited<ReturnType<typeof batchTurns>> | undefined;
    await expect.poll(async () => (turns = await batchTurns(chunked.client, a.workflowId, since)).batches).toBe(16);
    expect(turns!.inBatchesSeconds).toBeGreaterThan(0);
    expect(turns!.betweenBatchesSeconds).toBeGreaterThan(0);

    const [sa, sb] = await Promise.all([importState(chunked.pool, a.id), importState(single.pool, b.id)]);
    expect(sa.records).toEqual(sb.records);
    expect(sa.totals).toEqual(sb.totals);
  });
});
