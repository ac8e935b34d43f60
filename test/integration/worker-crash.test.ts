import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmSnapshot, expectSameAsUninterrupted } from '../support/db-state';
import { nanaFile } from '../support/generate-nana';
import { balances, importFile, post, upload, waitForImport } from '../support/http';
import { startStack, type Stack } from '../support/stack';
import { spawnEntryPoint } from '../../src/main/spawn-entry-point';

const file = nanaFile({ records: 8_000, seed: 7 });
const batch = { batchSize: '250' };

function startWorkerProcess(stack: Stack): ChildProcess {
  return spawnEntryPoint('worker', {
    env: {
      ...process.env,
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function rowsProcessed(stack: Stack, id: number): Promise<number> {
  const { rows } = await stack.pool.query(`SELECT rows_processed FROM imports WHERE id = $1`, [id]);
  return rows[0].rows_processed;
}

describe('a worker killed in the middle of an import', () => {
  let crashed: Stack;
  let reference: Stack;
  const workers: ChildProcess[] = [];
  beforeAll(async () => {
    [crashed, reference] = await Promise.all([startStack({ worker: false }), startStack()]);
  });
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await Promise.all([crashed?.close(), reference?.close()]);
  });

  // A kill costs the heartbeat timeout (20 s) and a new worker process; the uninterrupted run goes
  // meanwhile. Under the full suite on two cores both runs share the machine with other slow files.
  it(
    'completes on a new worker and leaves the database exactly as an uninterrupted run',
    { timeout: 240_000 },
    async () => {
      const uninterruptedRun = importFile(reference, file, { fields: batch, timeoutMs: 200_000 });
      // Awaited at the end; marked handled now so a failure there is this test's, not an unhandled rejection.
      uninterruptedRun.catch(() => undefined);
      workers.push(startWorkerProcess(crashed));
      const started = await upload(crashed, file, { fields: batch });
      expect(started.status).toBe(202);
      const id = started.body.id;

      // Kill mid-import: some batches committed, most not.
      for (let n = 0; (await rowsProcessed(crashed, id)) < 2_000; n++) {
        if (n > 600) throw new Error('the import never got going');
        await new Promise((r) => setTimeout(r, 100));
      }
      workers[0].kill('SIGKILL');
      const atKill = await rowsProcessed(crashed, id);
      expect(atKill).toBeLessThan(8_000);
      workers.push(startWorkerProcess(crashed));

      const done = await waitForImport(crashed, id, undefined, 200_000);
      expect(done.status).toBe('completed');
      expect(balances(done)).toBe(true);

      const uninterrupted = await uninterruptedRun;
      expect(uninterrupted.status).toBe('completed');
      await expectSameAsUninterrupted(
        { pool: crashed.pool, importId: id, counts: done.counts },
        { pool: reference.pool, importId: uninterrupted.id, counts: uninterrupted.counts },
      );
    },
  );
});

describe('a worker killed during a rollback', () => {
  let stack: Stack;
  const workers: ChildProcess[] = [];
  beforeAll(async () => {
    stack = await startStack({ worker: false });
  });
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await stack?.close();
  });

  it('finishes the rollback on a new worker with the same end state', async () => {
    const before = await crmSnapshot(stack.pool);
    workers.push(startWorkerProcess(stack));
    const started = await upload(stack, nanaFile({ records: 20_000, seed: 9 }));
    expect(started.body).toMatchObject({ status: 'queued' });
    const done = await waitForImport(stack, started.body.id, undefined, 110_000);
    expect(done.status).toBe('completed');

    const rb = await post(stack, `/api/imports/${done.id}/rollback`);
    expect(rb.status).toBe(202);
    for (let n = 0; ; n++) {
      const { rows } = await stack.pool.query(`SELECT status FROM imports WHERE id = $1`, [done.id]);
      if (rows[0].status === 'rolling_back') break;
      if (n > 2000) throw new Error('rollback never started');
      await new Promise((r) => setTimeout(r, 20));
    }
    workers[0].kill('SIGKILL');
    workers.push(startWorkerProcess(stack));
    await stack.client.workflow.getHandle(rb.body.workflowId).result();
    expect((await waitForImport(stack, done.id)).status).toBe('rolled_back');
    expect(await crmSnapshot(stack.pool)).toEqual(before);
  });
});
