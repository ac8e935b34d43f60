import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmSnapshot } from '../../support/db-state';
import { nanaFile } from '../../support/generate-nana';
import { getJson, upload } from '../../support/http';
import { startStack, type Stack } from '../../support/stack';
import { exited, faultPointWatch, startApiProcess, stopProcess, until } from './support';

// The api killed while it stages the rest of a large file its run already imports from: its
// temporary upload is gone with it, nothing can finish the staging. The run (worker in-process)
// must notice the silence within its grace and roll back what it wrote.
let stack: Stack;
let api: ChildProcess | undefined;
beforeAll(async () => {
  stack = await startStack({ stagingBeatGraceSeconds: 3 });
});
afterAll(async () => {
  await stopProcess(api);
  await stack?.close();
});

/**
 * Starts an api that dies as `kill` says (a FAULT_POINTS entry) while it stages a 3,000-record file in
 * chunks of 50, and uploads the file to it: the CRM's snapshot before, and the import it left behind.
 */
async function uploadToDoomedApi(kill: string, seed: number, fields?: Record<string, string>) {
  const faultPoint = kill.split(':')[0]!;
  const before = await crmSnapshot(stack.pool);
  const {
    rows: [{ last }],
  } = await stack.pool.query(`SELECT coalesce(max(id), 0)::int AS last FROM imports`);
  const watch = faultPointWatch();
  const doomed = await startApiProcess(stack, {
    faultPoints: kill,
    onLine: watch.onLine,
    env: { STAGE_CHUNK_RECORDS: '50' },
  });
  api = doomed.child;
  await expect(
    upload(doomed.asStack, nanaFile({ records: 3_000, seed }), fields ? { fields } : {}),
    'the client sees the connection drop',
  ).rejects.toThrow();
  await watch.reached(faultPoint);
  expect(await exited(doomed.child), 'the api died at the fault point').toEqual({ code: null, signal: 'SIGKILL' });
  const {
    rows: [{ id }],
  } = await stack.pool.query(`SELECT id::int FROM imports WHERE id > $1`, [last]);
  return { before, id: id as number };
}

describe('the api killed between two staged chunks of a file its run imports', () => {
  it('fails the import once the staging beat is stale for the grace period, and rolls back what its batches wrote', async () => {
    const { before, id } = await uploadToDoomedApi('staging-chunk-committed:kill@2', 407, {
      batchSize: '25',
      testBatchSize: '20',
    });
    const ended = await until(
      'the import to end',
      async () => {
        const { rows } = await stack.pool.query(
          `SELECT status, total, staging_state AS "stagingState", failure, rollback_report AS "rollbackReport",
             (SELECT count(*)::int FROM import_rows r WHERE r.import_id = i.id) AS staged
           FROM imports i WHERE id = $1`,
          [id],
        );
        return ['rolled_back', 'failed'].includes(rows[0].status) && rows[0];
      },
      90_000,
      250,
    );
    expect(ended).toMatchObject({ status: 'rolled_back', total: 150, staged: 150, stagingState: 'streaming' });
    expect(ended.failure.code).toBe('STAGING_ABANDONED');
    expect(ended.rollbackReport.result.remove.customers, 'batches had written before the api died').toBeGreaterThan(0);
    expect(await crmSnapshot(stack.pool), 'the CRM as before the upload').toEqual(before);
  }, 180_000);

  it('an api killed after the first chunk, before the run started: the reconciler starts the run, which fails and rolls back', async () => {
    const { before, id } = await uploadToDoomedApi('upload-staged:kill', 409);

    // Reading the import through an api reconciles it once it has been quiet for the grace.
    const ended = await until(
      'the import to be started by the reconciler and end',
      async () => {
        const { body } = await getJson(stack, `/api/imports/${id}`);
        return ['rolled_back', 'failed'].includes(body.status) && body;
      },
      90_000,
      500,
    );
    expect(ended.status).toBe('rolled_back');
    expect(ended.failure.code).toBe('STAGING_ABANDONED');
    expect(await crmSnapshot(stack.pool), 'the CRM as before the upload').toEqual(before);
  }, 180_000);
});
