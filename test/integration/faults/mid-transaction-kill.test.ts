import { describe, expect, it } from 'vitest';
import { expectSameAsUninterrupted } from '../../support/db-state';
import { nanaFile } from '../../support/generate-nana';
import { importFile, upload, waitForImport } from '../../support/http';
import {
  batchMarkers,
  batchRuns,
  expectInvariants,
  faultPointWatch,
  sessionsOf,
  startWorkerProcess,
  stopProcess,
  until,
  workerProcessStacks,
} from './support';

// F2: the worker SIGKILLed in the middle of a batch's transaction. The fault point
// `batch-written:block@3` parks the worker's third batch inside its transaction, after the
// customers and outcomes are written and before the batch marker; the worker says so on stderr,
// the test sees the open transaction in pg_stat_activity and pg_locks, and kills the process.
const file = nanaFile({ records: 3_000, seed: 202 });
const fields = { batchSize: '500' };
const APP = 'ferry-f2-doomed';

const run = workerProcessStacks();

/** What the import has written so far, whole batches only: nothing outside a committed batch. */
async function writtenOutsideBatches(id: number) {
  const {
    rows: [r],
  } = await run.stack.pool.query(
    `SELECT (SELECT count(*)::int FROM import_outcomes o WHERE o.import_id = $1 AND o.phase = 'import'
               AND NOT EXISTS (SELECT 1 FROM import_batches b WHERE b.import_id = o.import_id AND o.row_number BETWEEN b.first_row AND b.last_row)) AS stray_outcomes,
            (SELECT count(*)::int FROM customers WHERE import_id = $1) - (SELECT count(*)::int FROM import_outcomes WHERE import_id = $1 AND outcome = 'created') AS customers_without_outcome,
            (SELECT count(*)::int FROM customer_relations r WHERE r.import_id = $1
               AND NOT EXISTS (SELECT 1 FROM import_outcomes o WHERE o.import_id = r.import_id AND o.customer_id = r.customer_id)) AS relations_without_outcome`,
    [id],
  );
  return r;
}

describe('F2: a worker killed in the middle of a batch transaction', () => {
  it('leaves nothing half-written; the batch is redone once and the import ends like an uninterrupted run', async () => {
    const { stack, reference, workers } = run;
    const watch = faultPointWatch();
    const doomed = startWorkerProcess(stack, APP, undefined, {
      faultPoints: 'batch-written:block@3',
      onLine: watch.onLine,
    });
    workers.push(doomed);
    const started = await upload(stack, file, { fields });
    expect(started.status).toBe(202);
    const { id, workflowId } = started.body;

    await watch.reached('batch-written');
    const parked = (await sessionsOf(stack.pool, APP)).filter((s) => s.state === 'idle in transaction' && s.wrote);
    expect(parked, 'one open transaction that has written').toHaveLength(1);
    const { rows: locked } = await stack.pool.query(
      `SELECT DISTINCT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE l.pid = $1 AND l.mode = 'RowExclusiveLock' AND c.relkind = 'r' ORDER BY 1`,
      [parked[0].pid],
    );
    expect(
      locked.map((r) => r.relname),
      'it has written customers and outcomes',
    ).toEqual(expect.arrayContaining(['customers', 'import_outcomes']));
    const atKill = await batchMarkers(stack.pool, id);
    expect(atKill, 'two batches committed before the parked one').toHaveLength(2);

    await stopProcess(doomed, 'SIGKILL');
    await until(
      "PostgreSQL to drop the dead worker's sessions (rolling back)",
      async () => (await sessionsOf(stack.pool, APP)).length === 0,
      30_000,
      50,
    );
    expect(await batchMarkers(stack.pool, id), 'the parked batch left no marker').toEqual(atKill);
    expect(await writtenOutsideBatches(id), 'nothing of the parked batch is visible').toEqual({
      stray_outcomes: 0,
      customers_without_outcome: 0,
      relations_without_outcome: 0,
    });

    const uninterrupted = importFile(reference, file, { fields });
    workers.push(startWorkerProcess(stack, 'ferry-f2-rescuer'));
    const done = await waitForImport(stack, id, undefined, 110_000);
    expect(done.status).toBe('completed');

    const runs = await batchRuns(stack, workflowId);
    const third = runs[2];
    expect(
      runs.filter((r) => r.attempts > 1),
      'only the parked batch ran twice',
    ).toEqual([{ ...third, attempts: 2, outcome: 'completed' }]);
    expect(third.firstRow).toBe(atKill[1].last_row + 1);
    const after = await batchMarkers(stack.pool, id);
    expect(after.slice(0, 2), 'the batches before it untouched').toEqual(atKill);
    expect(
      after.filter((b) => b.first_row === third.firstRow),
      'the redone batch committed once',
    ).toHaveLength(1);
    expect(after).toHaveLength(runs.length);
    await expectInvariants(stack.pool, id);

    const baseline = await uninterrupted;
    expect(baseline.status).toBe('completed');
    await expectSameAsUninterrupted(
      { pool: stack.pool, importId: id, counts: done.counts },
      { pool: reference.pool, importId: baseline.id, counts: baseline.counts },
    );
    console.log(
      `F2: killed inside the transaction of rows ${third.firstRow}-${third.lastRow}; redone once; ${JSON.stringify(done.counts)}`,
    );
  });
});
