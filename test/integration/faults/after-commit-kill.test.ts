import { describe, expect, it } from 'vitest';
import { expectSameAsUninterrupted } from '../../support/db-state';
import { nanaFile } from '../../support/generate-nana';
import { getJson, importFile, upload, waitForImport } from '../../support/http';
import { batchMarkers, batchRuns, exited, expectInvariants, startWorkerProcess, workerProcessStacks } from './support';

// F1: the worker SIGKILLed after a batch's transaction committed, before its activity completed.
// The fault point `batch-committed:kill@3` makes the worker kill itself right after its third
// commit (the test batch, then the first two import batches): the moment is exact, not timed.
const file = nanaFile({ records: 3_000, seed: 101 });
const fields = { batchSize: '500' };

const run = workerProcessStacks();

describe('F1: a worker killed between a batch commit and the activity completion', () => {
  it('retries the batch, which finds its marker and loads nothing twice; the import ends like an uninterrupted run', async () => {
    const { stack, reference, workers } = run;
    const doomed = startWorkerProcess(stack, 'ferry-f1-doomed', undefined, { faultPoints: 'batch-committed:kill@3' });
    workers.push(doomed);
    const started = await upload(stack, file, { fields });
    expect(started.status).toBe(202);
    const { id, workflowId } = started.body;

    expect(await exited(doomed, 90_000), 'the worker died at the fault point').toEqual({
      code: null,
      signal: 'SIGKILL',
    });
    const atKill = await batchMarkers(stack.pool, id);
    expect(atKill, 'three batches committed, the third one in the dead activity').toHaveLength(3);
    const killedBatch = atKill[2];
    const {
      rows: [countsAtKill],
    } = await stack.pool.query(`SELECT created, linked, skipped, rejected, rows_processed FROM imports WHERE id = $1`, [
      id,
    ]);
    const { raw } = await stack.client.workflow.getHandle(workflowId).describe();
    expect(
      raw.pendingActivities?.map((a) => a.activityType?.name),
      'Temporal still waits for that batch',
    ).toEqual(['importBatch']);
    expect((await getJson(stack, `/api/imports/${id}`)).body).toMatchObject({ status: 'running', phase: 'importing' });

    // The retry comes after the heartbeat timeout (20 s), on a new worker.
    const uninterrupted = importFile(reference, file, { fields });
    workers.push(startWorkerProcess(stack, 'ferry-f1-rescuer'));
    const done = await waitForImport(stack, id, undefined, 110_000);
    expect(done.status).toBe('completed');

    const runs = await batchRuns(stack, workflowId);
    const retried = runs.filter((r) => r.attempts > 1);
    expect(retried, 'exactly the killed batch ran twice').toEqual([
      { firstRow: killedBatch.first_row, lastRow: killedBatch.last_row, attempts: 2, outcome: 'completed' },
    ]);
    expect(new Set(runs.map((r) => r.firstRow)).size, 'no range scheduled twice').toBe(runs.length);
    const after = await batchMarkers(stack.pool, id);
    expect(after.slice(0, 3), 'the retry rewrote no marker (same writing transactions)').toEqual(atKill);
    expect(after).toHaveLength(runs.length);
    // The counters moved once per batch: at the kill they held the three committed batches, at the end every record once.
    const rowsIn = (markers: typeof atKill) => markers.reduce((n, b) => n + b.last_row - b.first_row + 1, 0);
    expect(countsAtKill.rows_processed).toBe(rowsIn(atKill));
    const {
      rows: [final],
    } = await stack.pool.query(`SELECT rows_processed, total FROM imports WHERE id = $1`, [id]);
    expect(final.rows_processed, 'rows processed once each').toBe(final.total);
    await expectInvariants(stack.pool, id);

    const baseline = await uninterrupted;
    expect(baseline.status).toBe('completed');
    await expectSameAsUninterrupted(
      { pool: stack.pool, importId: id, counts: done.counts },
      { pool: reference.pool, importId: baseline.id, counts: baseline.counts },
    );
    console.log(
      `F1: killed after commit of rows ${killedBatch.first_row}-${killedBatch.last_row}; retried once; ${JSON.stringify(done.counts)}`,
    );
  });
});
