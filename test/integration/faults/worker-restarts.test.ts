import { describe, expect, it } from 'vitest';
import { expectSameAsUninterrupted } from '../../support/db-state';
import { nanaFile } from '../../support/generate-nana';
import { importFile, upload, waitForImport } from '../../support/http';
import { batchMarkers, batchRuns, exited, expectInvariants, startWorkerProcess, workerProcessStacks } from './support';

// F3 (second half): the worker SIGKILLed five times during one import, at five different batches,
// alternately right after a commit and inside a transaction. Each worker is armed to die at its
// n-th pass of a fault point (n >= 2, so never on the retry it starts with); the next one starts
// at once and picks the batch up after the heartbeat timeout. The sixth worker runs to the end.
const file = nanaFile({ records: 4_000, seed: 333 });
const fields = { batchSize: '200' };
const KILLS = [
  'batch-committed:kill@3',
  'batch-written:kill@3',
  'batch-committed:kill@2',
  'batch-written:kill@2',
  'batch-committed:kill@3',
];

const run = workerProcessStacks();

describe('F3: workers restarted repeatedly during a long import', () => {
  it("survives five SIGKILLs at different batches: each cut batch redone once, the end state an uninterrupted run's", async () => {
    const { stack, reference, workers } = run;
    const t0 = Date.now();
    workers.push(startWorkerProcess(stack, 'ferry-f3-worker-1', undefined, { faultPoints: KILLS[0] }));
    const started = await upload(stack, file, { fields });
    expect(started.status).toBe(202);
    const { id, workflowId } = started.body;
    const uninterrupted = importFile(reference, file, { fields });

    const markersAtKill: number[] = [];
    for (let k = 0; k < KILLS.length; k++) {
      expect(await exited(workers[k], 90_000), `worker ${k + 1} died at ${KILLS[k]}`).toEqual({
        code: null,
        signal: 'SIGKILL',
      });
      markersAtKill.push((await batchMarkers(stack.pool, id)).length);
      console.log(
        `F3 +${((Date.now() - t0) / 1000).toFixed(1)} s: worker ${k + 1} killed at ${KILLS[k]}, ${markersAtKill[k]} batches committed`,
      );
      workers.push(startWorkerProcess(stack, `ferry-f3-worker-${k + 2}`, undefined, { faultPoints: KILLS[k + 1] }));
    }
    const done = await waitForImport(stack, id, undefined, 90_000);
    expect(done.status).toBe('completed');
    expect(workers.at(-1)!.exitCode, 'the last worker is still up').toBeNull();

    const runs = await batchRuns(stack, workflowId);
    const retried = runs.filter((r) => r.attempts > 1);
    expect(
      retried.map((r) => r.attempts),
      'five batches cut, each redone exactly once',
    ).toEqual([2, 2, 2, 2, 2]);
    expect(new Set(retried.map((r) => r.firstRow)).size, 'five different batches').toBe(5);
    expect(runs.every((r) => r.outcome === 'completed')).toBe(true);
    expect(new Set(runs.map((r) => r.firstRow)).size, 'no range scheduled twice').toBe(runs.length);
    expect(await batchMarkers(stack.pool, id)).toHaveLength(runs.length);
    expect(markersAtKill, 'every kill a few batches later than the one before').toEqual(
      [...markersAtKill].sort((a, b) => a - b),
    );
    expect(new Set(markersAtKill).size).toBe(5);
    await expectInvariants(stack.pool, id);

    const baseline = await uninterrupted;
    expect(baseline.status).toBe('completed');
    await expectSameAsUninterrupted(
      { pool: stack.pool, importId: id, counts: done.counts },
      { pool: reference.pool, importId: baseline.id, counts: baseline.counts },
    );
    console.log(
      `F3: killed at ${markersAtKill.join(', ')} committed batches of ${runs.length}; redone once each: rows ${retried.map((r) => r.firstRow).join(', ')}; ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    );
  }, 240_000);
});
