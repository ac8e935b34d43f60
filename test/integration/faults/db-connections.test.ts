import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importState } from '../../support/db-state';
import { nanaFile } from '../../support/generate-nana';
import { importFile, upload, waitForImport } from '../../support/http';
import { startStack, type Stack } from '../../support/stack';
import {
  committedBatches,
  expectInvariants,
  sessionsInTransaction,
  startWorkerProcess,
  stopProcess,
  until,
} from './support';

// F5 and F6: the database drops the worker's connections, or refuses writes for a while.
const file = nanaFile({ records: 8_000, seed: 55 });
const fields = { batchSize: '200' };
const APP = 'ferry-fault-db';
const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let faulty: Stack;
let reference: Stack;
let admin: pg.Client;
let worker: ChildProcess | undefined;
let expected: Awaited<ReturnType<typeof importState>>;
let expectedCounts: unknown;

beforeAll(async () => {
  [faulty, reference] = await Promise.all([startStack({ worker: false }), startStack()]);
  admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const done = await importFile(reference, file, { fields });
  expect(done.status).toBe('completed');
  expected = await importState(reference.pool, done.id);
  expectedCounts = done.counts;
});
afterAll(async () => {
  await stopProcess(worker);
  await admin?.query(`ALTER DATABASE ${dbName()} RESET default_transaction_read_only`).catch(() => {});
  await admin?.end();
  await Promise.all([faulty?.close(), reference?.close()]);
});

const dbName = () => pg.escapeIdentifier(new URL(faulty.databaseUrl).pathname.slice(1));

async function terminate(where: string): Promise<number> {
  const { rows } = await admin.query(
    `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND ${where} AND pid <> pg_backend_pid()`,
    [new URL(faulty.databaseUrl).pathname.slice(1)],
  );
  return rows.filter((r) => r.ok).length;
}

/** Re-imports the file on the faulty stack: the previous test's import stays, the new one must match the reference. */
async function expectSameAsReference(id: number) {
  const done = await waitForImport(faulty, id, undefined, 85_000);
  expect(done.status).toBe('completed');
  expect(done.counts).toEqual(expectedCounts);
  await expectInvariants(faulty.pool, id);
  const state = await importState(faulty.pool, id);
  expect(state.records).toEqual(expected.records);
}

describe("F5: the worker's database connections terminated mid-batch", () => {
  it('retries the batches, the partial ones stay invisible, the import completes like an uninterrupted run', async () => {
    worker = startWorkerProcess(faulty, APP);
    const started = await upload(faulty, file, { fields });
    expect(started.status).toBe(202);
    const id = started.body.id;
    await until('the first batches', async () => (await committedBatches(faulty.pool, id)) >= 3, 60_000);
    // Three times: wait for a worker transaction in flight (a batch), kill every worker session.
    let killed = 0;
    for (let round = 0; round < 3; round++) {
      await until(
        'a batch transaction in flight',
        async () => (await sessionsInTransaction(faulty.pool, APP)).length > 0,
        30_000,
        5,
      );
      killed += await terminate(`application_name = '${APP}'`);
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(killed).toBeGreaterThanOrEqual(3);
    expect(await committedBatches(faulty.pool, id)).toBeLessThan(40);
    await expectSameAsReference(id);
    await stopProcess(worker);
  });
});

describe('F6: the database refuses writes for 15 s', () => {
  it('activities back off and retry, the workflow does not fail, the import completes after recovery', async () => {
    // A fresh database for a clean comparison: drop the F5 import's customers by running on a new stack.
    await faulty.close();
    faulty = await startStack({ worker: false });
    worker = startWorkerProcess(faulty, APP);
    const started = await upload(faulty, file, { fields });
    expect(started.status).toBe(202);
    const id = started.body.id;
    await until('the first batches', async () => (await committedBatches(faulty.pool, id)) >= 2, 60_000);
    await admin.query(`ALTER DATABASE ${dbName()} SET default_transaction_read_only = on`);
    // The worker's sessions only: the api's (this test's pool) only read, and a session opened while
    // read-only keeps the setting, so the worker's are killed again once writes are back.
    await terminate(`application_name = '${APP}'`);
    const atReadOnly = await committedBatches(faulty.pool, id);
    const readOnlyFor = Date.now();
    // While read-only nothing commits, and the import neither fails nor finishes.
    await new Promise((r) => setTimeout(r, 15_000));
    expect(await committedBatches(faulty.pool, id)).toBe(atReadOnly);
    const {
      rows: [during],
    } = await faulty.pool.query(`SELECT status FROM imports WHERE id = $1`, [id]);
    expect(['running', 'importing', 'validating', 'queued']).toContain(during.status);
    await admin.query(`ALTER DATABASE ${dbName()} RESET default_transaction_read_only`);
    await terminate(`application_name = '${APP}'`);
    expect(Date.now() - readOnlyFor).toBeGreaterThanOrEqual(15_000);
    await expectSameAsReference(id);
  });
});
