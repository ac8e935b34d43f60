import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '../../support/free-port';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameAsUninterrupted } from '../../support/db-state';
import { nanaFile } from '../../support/generate-nana';
import { importFile, upload, waitForImport } from '../../support/http';
import { startStack, type Stack } from '../../support/stack';
import { ensureTemporalCli, startDevServer } from '../../../src/temporal/dev-server';
import { committedBatches, expectInvariants, startWorkerProcess, stopProcess, until } from './support';

// F4: the Temporal server restarted in the middle of an import (its state kept in a SQLite file).
const file = nanaFile({ records: 5_000, seed: 44 });
const fields = { batchSize: '100' };
const t0 = Date.now();
const log = (what: string) => console.log(`F4 +${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);

let dir: string;
let cli: string;
let port: number;
let uiPort: number;
let server: ChildProcess | undefined;
let stack: Stack;
let reference: Stack;
let worker: ChildProcess | undefined;

const start = () => startDevServer(cli, { port, uiPort, dbFile: path.join(dir, 'temporal.sqlite'), headless: true });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-f4-'));
  cli = await ensureTemporalCli();
  [port, uiPort] = [await freePort(), await freePort()];
  server = await start();
  [stack, reference] = await Promise.all([
    startStack({ worker: false, temporalAddress: `127.0.0.1:${port}` }),
    startStack(),
  ]);
});
afterAll(async () => {
  await stopProcess(worker);
  await Promise.all([stack?.close(), reference?.close()]);
  await stopProcess(server, 'SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('F4: Temporal dev server restarted mid-import', () => {
  it('the worker reconnects, the workflow resumes from its history and completes like an uninterrupted run', async () => {
    log('start');
    worker = startWorkerProcess(stack, 'ferry-fault-f4');
    const started = await upload(stack, file, { fields });
    expect(started.status).toBe(202);
    const id = started.body.id;
    await until('some batches', async () => (await committedBatches(stack.pool, id)) >= 3, 60_000);

    log(`stopping Temporal after ${await committedBatches(stack.pool, id)} batches`);
    await stopProcess(server, 'SIGTERM');
    const atStop = await committedBatches(stack.pool, id);
    // The server is gone: a batch in flight may commit, then nothing more can be scheduled.
    await new Promise((r) => setTimeout(r, 3_000));
    const whileDown = await committedBatches(stack.pool, id);
    expect(whileDown).toBeLessThanOrEqual(atStop + 4);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await committedBatches(stack.pool, id), 'no batch committed while Temporal was down').toBe(whileDown);

    server = await start(); // same port, same database file
    log(`Temporal back, ${await committedBatches(stack.pool, id)} batches`);
    const timer = setInterval(
      async () => log(`${await committedBatches(stack.pool, id).catch(() => -1)} batches`),
      5_000,
    );
    const done = await waitForImport(stack, id, undefined, 85_000).finally(() => clearInterval(timer));
    log(`import ${done.status}`);
    expect(done.status).toBe('completed');
    expect(worker.exitCode, 'the worker survived the outage').toBeNull();
    await expectInvariants(stack.pool, id);

    const uninterrupted = await importFile(reference, file, { fields });
    await expectSameAsUninterrupted(
      { pool: stack.pool, importId: id, counts: done.counts },
      { pool: reference.pool, importId: uninterrupted.id, counts: uninterrupted.counts },
    );
  }, 170_000);
});
