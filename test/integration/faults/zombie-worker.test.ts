import { describe, expect, it } from 'vitest';
import { expectSameAsUninterrupted } from '../../support/db-state';
import { nanaFile } from '../../support/generate-nana';
import { importFile, upload, waitForImport } from '../../support/http';
import {
  committedBatches,
  expectInvariants,
  sessionsInTransaction,
  startWorkerProcess,
  until,
  workerProcessStacks,
} from './support';

// F16: a worker paused (SIGSTOP) past the heartbeat timeout, another takes over, then the first wakes up.
const file = nanaFile({ records: 6_000, seed: 16 });
const fields = { batchSize: '200' };

const run = workerProcessStacks();

describe('F16: a zombie worker', () => {
  it('loses its batch to another worker, and its late write changes nothing', async () => {
    const { stack, reference, workers } = run;
    const zombie = startWorkerProcess(stack, 'ferry-zombie');
    workers.push(zombie);
    const started = await upload(stack, file, { fields });
    expect(started.status).toBe(202);
    const { id, workflowId } = started.body;
    await until('some batches', async () => (await committedBatches(stack.pool, id)) >= 2, 60_000);
    await until(
      'a batch transaction in flight',
      async () => (await sessionsInTransaction(stack.pool, 'ferry-zombie')).length > 0,
      30_000,
      5,
    );
    zombie.kill('SIGSTOP');
    const pausedAt = Date.now();
    workers.push(startWorkerProcess(stack, 'ferry-rescuer'));

    // The heartbeat timeout (20 s) passes: Temporal schedules the batch again, for the other worker.
    const attempt = await until(
      'the batch retried after the heartbeat timeout',
      async () => {
        const { raw } = await stack.client.workflow.getHandle(workflowId).describe();
        const batch = raw.pendingActivities?.find((a) => a.activityType?.name === 'importBatch');
        return batch && (batch.attempt ?? 1) > 1 ? batch.attempt : null;
      },
      45_000,
      250,
    );
    expect(attempt).toBeGreaterThan(1);
    expect(Date.now() - pausedAt).toBeGreaterThanOrEqual(19_000);
    zombie.kill('SIGCONT');

    const done = await waitForImport(stack, id, undefined, 60_000);
    expect(done.status).toBe('completed');
    await expectInvariants(stack.pool, id);
    const uninterrupted = await importFile(reference, file, { fields });
    await expectSameAsUninterrupted(
      { pool: stack.pool, importId: id, counts: done.counts },
      { pool: reference.pool, importId: uninterrupted.id, counts: uninterrupted.counts },
    );
  });
});
