import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson } from '../support/http';
import { startStack, type Stack } from '../support/stack';
import { spawnEntryPoint } from '../../src/main/spawn-entry-point';
import { CUSTOMER_WRITE_LOCK } from '../../src/imports/deps';

let stack: Stack;
const workers: ChildProcess[] = [];
const customers: number[] = [];

beforeAll(async () => {
  stack = await startStack({ worker: false });
  for (const first of ['Prasert', 'Prasert']) {
    const {
      rows: [c],
    } = await stack.pool.query(
      `INSERT INTO customers (first_name, last_name) VALUES ($1, 'Boonmee') RETURNING id::int`,
      [first],
    );
    await stack.pool.query(`INSERT INTO customer_phones (customer_id, phone) VALUES ($1, $2), ($1, '+66820000021')`, [
      c.id,
      `+6682000010${c.id % 10}`,
    ]);
    await stack.pool.query(
      `INSERT INTO customer_relations (customer_id, source, original_id) VALUES ($1, 'nana', $2)`,
      [c.id, `K-${c.id}`],
    );
    customers.push(c.id);
  }
  // A merge's or an undo's last write (its status) takes three seconds: the transaction, all its
  // other writes done, is open long enough to be killed in.
  await stack.pool.query(
    `CREATE FUNCTION slow_merge() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(3); RETURN NULL; END $$`,
  );
  await stack.pool.query(
    `CREATE TRIGGER slow_merge AFTER UPDATE ON merges FOR EACH STATEMENT EXECUTE FUNCTION slow_merge()`,
  );
}, 60_000);
afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await stack?.close();
});

function startWorkerProcess(): void {
  workers.push(
    spawnEntryPoint('worker', {
      env: {
        ...process.env,
        DATABASE_URL: stack.databaseUrl,
        TEMPORAL_ADDRESS: stack.temporalAddress,
        TEMPORAL_TASK_QUEUE: stack.taskQueue,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
}

async function dump(): Promise<string[]> {
  const tables = ['customers', 'customer_phones', 'customer_relations'];
  const out: string[] = [];
  for (const t of tables)
    out.push(
      ...(await stack.pool.query(`SELECT '${t}' || x::text AS row FROM ${t} x ORDER BY id`)).rows.map((r) => r.row),
    );
  return out;
}

const lockHeld = async () =>
  (
    await stack.pool.query(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted`,
      [CUSTOMER_WRITE_LOCK],
    )
  ).rows[0].n > 0;

/** Waits until the worker holds the customers' write lock (the merge's transaction is open), then kills it. */
async function killMidTransaction(): Promise<void> {
  for (let n = 0; !(await lockHeld()); n++) {
    if (n > 300) throw new Error('the transaction never started');
    await new Promise((r) => setTimeout(r, 100));
  }
  workers.at(-1)!.kill('SIGKILL');
  for (let n = 0; await lockHeld(); n++) {
    if (n > 300) throw new Error('the killed transaction was never ended');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function postJson(path: string, body: unknown) {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.json();
}

describe('a worker killed in the middle of a merge and of its undo', () => {
  it(
    'leaves nothing of the killed attempt, and the retry on a new worker completes',
    { timeout: 240_000 },
    async () => {
      const original = await dump();
      startWorkerProcess();
      const merge = await postJson('/api/merges', { survivorId: customers[0], mergedIds: [customers[1]] });
      await killMidTransaction();
      expect(await dump()).toEqual(original);
      expect((await getJson(stack, `/api/merges/${merge.id}`)).body.status).toBe('running');

      startWorkerProcess();
      await stack.client.workflow.getHandle(merge.workflowId).result();
      const merged = await dump();
      expect(merged).not.toEqual(original);
      expect(
        (await stack.pool.query(`SELECT merged_into::int AS m FROM customers WHERE id = $1`, [customers[1]])).rows,
      ).toEqual([{ m: customers[0] }]);

      const undo = await postJson(`/api/merges/${merge.id}/undo`, {});
      await killMidTransaction();
      expect(await dump()).toEqual(merged);
      startWorkerProcess();
      await stack.client.workflow.getHandle(undo.workflowId).result();
      expect(await dump()).toEqual(original);
      expect((await getJson(stack, `/api/merges/${merge.id}`)).body.status).toBe('undone');
    },
  );
});
