import { describe, expect, it } from 'vitest';
import { expectSameAsUninterrupted } from '../../support/db-state';
import { nanaFile } from '../../support/generate-nana';
import { importFile, upload, waitForImport } from '../../support/http';
import { batchRuns, exited, expectInvariants, startWorkerProcess, workerProcessStacks } from './support';

// A worker SIGKILLed right after a committed range's checks were recorded, before the activity
// reported back: the retry records the same range once, and the import ends like an uninterrupted run.
const file = nanaFile({ records: 3_000, seed: 107 });
const fields = { batchSize: '500' };
const run = workerProcessStacks({ rangeCheckRows: 1_000 });

describe('a worker killed after a range check recorded, before it reported', () => {
  it('retries the check, which records its range once; the import ends verified like an uninterrupted run', async () => {
    const { stack, reference, workers } = run;
    const doomed = startWorkerProcess(stack, 'ferry-range-doomed', undefined, { faultPoints: 'range-checked:kill@1' });
    workers.push(doomed);
    const started = await upload(stack, file, { fields });
    expect(started.status).toBe(202);
    const { id, workflowId } = started.body;
    expect(await exited(doomed, 90_000), 'the worker died at the fault point').toEqual({
      code: null,
      signal: 'SIGKILL',
    });
    const { rows: atKill } = await stack.pool.query(
      `SELECT first_row, last_row FROM import_range_checks WHERE import_id = $1 ORDER BY first_row`,
      [id],
    );
    expect(atKill, 'the first range recorded, in the dead activity').toHaveLength(1);

    const uninterrupted = importFile(reference, file, { fields });
    workers.push(startWorkerProcess(stack, 'ferry-range-rescuer'));
    const done = await waitForImport(stack, id, undefined, 110_000);
    expect(done.status).toBe('completed');
    expect(done.verification.ok).toBe(true);

    const { rows: ranges } = await stack.pool.query(
      `SELECT first_row, last_row, found FROM import_range_checks WHERE import_id = $1 ORDER BY first_row`,
      [id],
    );
    expect(ranges[0]).toMatchObject(atKill[0]);
    expect(ranges[0].first_row).toBe(1);
    ranges.slice(1).forEach((r, i) => expect(r.first_row).toBe(ranges[i].last_row + 1));
    for (const r of ranges) expect(Object.values(r.found).every((n) => n === 0)).toBe(true);
    const checks = (await batchRuns(stack, workflowId, 'checkCommittedRange')).filter((r) => r.attempts > 1);
    expect(checks, 'exactly the killed check ran twice').toEqual([
      { firstRow: 1, lastRow: atKill[0].last_row, attempts: 2, outcome: 'completed' },
    ]);
    await expectInvariants(stack.pool, id);

    const baseline = await uninterrupted;
    expect(baseline.status).toBe('completed');
    await expectSameAsUninterrupted(
      { pool: stack.pool, importId: id, counts: done.counts },
      { pool: reference.pool, importId: baseline.id, counts: baseline.counts },
    );
  });
});
