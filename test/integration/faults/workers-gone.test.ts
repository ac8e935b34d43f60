import { describe, expect, it } from 'vitest';
import { expectSameAsUninterrupted } from '../../support/db-state';
import { nanaFile } from '../../support/generate-nana';
import { getJson, importFile, upload, waitForImport } from '../../support/http';
import {
  batchMarkers,
  batchRuns,
  committedBatches,
  expectInvariants,
  sessionsOf,
  startWorkerProcess,
  stopProcess,
  until,
  workerProcessStacks,
} from './support';

// F3 (first half): every worker gone for a while in the middle of an import, then one comes back.
const file = nanaFile({ records: 3_000, seed: 303 });
const fields = { batchSize: '250' };
const APP = 'ferry-f3-only-worker';
const GONE_MS = 25_000; // longer than the heartbeat timeout (20 s) and the stranded-import grace (10 s)

const run = workerProcessStacks();

describe('F3: all workers gone for a while', () => {
  it('stalls with a truthful status while no worker is up, then completes like an uninterrupted run once one is back', async () => {
    const { stack, reference, workers } = run;
    const t0 = Date.now();
    const log = (what: string) => console.log(`F3 +${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);
    const only = startWorkerProcess(stack, APP);
    workers.push(only);
    const started = await upload(stack, file, { fields });
    expect(started.status).toBe(202);
    const { id, workflowId } = started.body;
    await until('a few batches', async () => (await committedBatches(stack.pool, id)) >= 3, 90_000);

    await stopProcess(only, 'SIGKILL');
    await until(
      "PostgreSQL to drop the dead worker's sessions",
      async () => (await sessionsOf(stack.pool, APP)).length === 0,
      30_000,
      50,
    );
    const atKill = await batchMarkers(stack.pool, id);
    const rowsCommitted = atKill.reduce((n, b) => n + b.last_row - b.first_row + 1, 0);
    const uninterrupted = importFile(reference, file, { fields });
    log(`the only worker killed after ${atKill.length} batches`);

    // No worker at all: nothing moves, and every reader is told the truth: running, this far, not failed.
    const goneSince = Date.now();
    let checks = 0;
    while (Date.now() - goneSince < GONE_MS) {
      const { status, body } = await getJson(stack, `/api/imports/${id}`);
      expect(status).toBe(200);
      expect(body, 'still running, not marked stranded or failed').toMatchObject({
        status: 'running',
        phase: 'importing',
        failure: null,
      });
      expect(body.progress.rowsProcessed, 'progress = the committed batches').toBe(rowsCommitted);
      expect(await batchMarkers(stack.pool, id), 'no batch commits while no worker runs').toEqual(atKill);
      const { status: wfStatus } = await stack.client.workflow.getHandle(workflowId).describe();
      expect(wfStatus.name).toBe('RUNNING');
      checks += 1;
      await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(checks).toBeGreaterThan(10);

    log('a worker is back');
    workers.push(startWorkerProcess(stack, 'ferry-f3-back'));
    const done = await waitForImport(stack, id, undefined, 90_000);
    expect(done.status).toBe('completed');
    log('completed');
    const runs = await batchRuns(stack, workflowId);
    expect(
      runs.filter((r) => r.attempts > 2),
      'no batch ran more than twice',
    ).toEqual([]);
    expect(
      runs.filter((r) => r.attempts === 2).length,
      'at most the batch cut off by the kill ran twice',
    ).toBeLessThanOrEqual(1);
    expect(
      (await batchMarkers(stack.pool, id)).slice(0, atKill.length),
      'the batches before the outage untouched',
    ).toEqual(atKill);
    await expectInvariants(stack.pool, id);

    const baseline = await uninterrupted;
    expect(baseline.status).toBe('completed');
    await expectSameAsUninterrupted(
      { pool: stack.pool, importId: id, counts: done.counts },
      { pool: reference.pool, importId: baseline.id, counts: baseline.counts },
    );
    console.log(
      `F3: no worker for ${GONE_MS / 1000} s after ${atKill.length} batches (${checks} checks of a stalled, truthful import); completed ${JSON.stringify(done.counts)}`,
    );
  });
});
