import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pg from 'pg';
import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime, type NativeConnection, type Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { createPool } from '../../src/db/pool';
import { createTestDatabase } from './test-database';
import { systemClock, type Clock } from '../../src/domain/clock';
import { createApp } from '../../src/http/app';
import type { Region } from '../../src/domain/region';
import { probe } from '../../src/http/readiness';
import type { NotificationSettings } from '../../src/imports/notify-import-ended';
import { createLogger } from '../../src/logger';
import { createWorkerMetrics, type WorkerMetrics } from '../../src/observability/worker-metrics';
import { parseCodecKeys } from '../../src/codec-keys';
import { connectClient } from '../../src/temporal/connection';
import { temporalDedupeControl } from '../../src/temporal/dedupe-control';
import { temporalControl } from '../../src/temporal/import-control';
import { createFerryWorker } from '../../src/temporal/worker';
import type { ImportWorkflowInput } from '../../workflows/definitions';

let runtimeInstalled = false;
function quietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

// The payload codec is on in every test. Set in the environment so that worker processes a test
// spawns (`src/main/worker.ts` with `...process.env`) encrypt and decrypt with the same key.
process.env.FERRY_CODEC_KEYS ||= inject('codecKeys');
export const testCodecKeys = parseCodecKeys(process.env.FERRY_CODEC_KEYS);

/** The in-process worker's NATIONAL_ID_HASH_KEY: a configured key, so tests see it reach every phase that hashes. */
export const TEST_NATIONAL_ID_KEY = 'ferry-test-national-id-key-0123456789';

export interface StackOptions {
  /** Leave the worker out: the test runs its own (in a child process, say). */
  worker?: boolean;
  clock?: Clock;
  /** Extra workflow input for every import (small continue-as-new thresholds, for instance). */
  workflowDefaults?: Partial<ImportWorkflowInput>;
  maxUploadBytes?: number;
  /** Another Temporal server than the run's shared one (a test that restarts its own). */
  temporalAddress?: string;
  /** Where the worker announces an import's end (an SMTP sink, a test webhook receiver). */
  notifications?: NotificationSettings;
  retentionDays?: number;
  /** The worker's NEW_CUSTOMER_FK_CHECKS (default auto). */
  newCustomerFkChecks?: 'auto' | 'always';
  /** The api's DEFAULT_REGION (unset: TH). */
  defaultRegion?: Region;
  /** The api's STAGE_CHUNK_RECORDS (unset: the default): small, a file of a few hundred records is staged alongside its run. */
  stageChunkRecords?: number;
  /** The worker's STAGING_BEAT_GRACE_SECONDS (unset: the default). */
  stagingBeatGraceSeconds?: number;
}

export interface Stack {
  baseUrl: string;
  databaseUrl: string;
  temporalAddress: string;
  taskQueue: string;
  adminToken: string;
  viewerToken: string;
  pool: pg.Pool;
  client: Client;
  /** The api's upload temp folder, this stack's alone. */
  uploadDir: string;
  /** What the worker's activities measured (always on in tests). */
  workerMetrics: WorkerMetrics;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

/** A fresh database cloned from the migrated template, a worker on its own task queue, and the api on port 0. */
export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const dbName = `ferry_run_${inject('testRun')}_${randomBytes(4).toString('hex')}`;
  const databaseUrl = await createTestDatabase(dbName);
  const temporalAddress = opts.temporalAddress ?? inject('temporalAddress');
  const taskQueue = `ferry-test-${randomBytes(6).toString('hex')}`;
  const pool = createPool(databaseUrl, 10);
  // Workflow ids (import-<id>, dedupe-<id>, merge-<id>, merge-batch-<id>) share one namespace: each test database numbers them apart.
  for (const table of ['imports', 'dedupe_scans', 'merges', 'merge_batches']) {
    await pool.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), $2)`, [
      table,
      1 + Math.floor(Math.random() * 1e9),
    ]);
  }
  const client = await connectClient(temporalAddress, 'default', testCodecKeys);
  const clock = opts.clock ?? systemClock;
  // Each stack its own upload folder: a test can check that nothing is left in it.
  const uploadDir = mkdtempSync(path.join(os.tmpdir(), 'ferry-test-uploads-'));
  const adminToken = `admin-${randomBytes(12).toString('hex')}`;
  const viewerToken = `viewer-${randomBytes(12).toString('hex')}`;
  const logger = createLogger('silent', 'test');
  const app = createApp({
    pool,
    clock,
    logger,
    tokens: [
      { name: 'alice', role: 'admin', token: adminToken },
      { name: 'victor', role: 'viewer', token: viewerToken },
    ],
    maxUploadBytes: opts.maxUploadBytes ?? 64 * 1024 * 1024,
    defaultRegion: opts.defaultRegion,
    stageChunkRecords: opts.stageChunkRecords,
    workflows: temporalControl(client, taskQueue, opts.workflowDefaults),
    dedupeWorkflows: temporalDedupeControl(client, taskQueue),
    ready: () =>
      probe({ database: () => pool.query('SELECT 1'), temporal: () => client.workflowService.getSystemInfo({}) }),
    uploadDir,
    codecKeys: testCodecKeys,
    codecCorsOrigins: ['http://127.0.0.1:8233'],
    // Every test calls from 127.0.0.1 and some try every route without a token; the throttle itself
    // is tested on an api process (test/integration/faults/hostile-callers.test.ts).
    authFailuresPerMinute: 1_000,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const workerMetrics = createWorkerMetrics();
  let running: { worker: Worker; connection: NativeConnection; done: Promise<void> } | null = null;
  const startWorker = async () => {
    quietRuntime();
    const { worker, connection } = await createFerryWorker(
      {
        pool,
        clock,
        metrics: workerMetrics,
        notifications: opts.notifications,
        retentionDays: opts.retentionDays,
        nationalIdKey: TEST_NATIONAL_ID_KEY,
        newCustomerFkChecks: opts.newCustomerFkChecks,
        stagingBeatGraceSeconds: opts.stagingBeatGraceSeconds,
      },
      {
        address: temporalAddress,
        namespace: 'default',
        taskQueue,
        maxActivities: 4,
        workflowBundle: { codePath: inject('workflowBundlePath') },
        codecKeys: testCodecKeys,
      },
    );
    running = { worker, connection, done: worker.run() };
  };
  const stopWorker = async () => {
    if (!running) return;
    const r = running;
    running = null;
    r.worker.shutdown();
    await r.done;
    await r.connection.close();
  };
  if (opts.worker !== false) await startWorker();

  return {
    baseUrl,
    databaseUrl,
    temporalAddress,
    taskQueue,
    adminToken,
    viewerToken,
    pool,
    client,
    uploadDir,
    workerMetrics,
    startWorker,
    stopWorker,
    async close() {
      await stopWorker();
      await new Promise((r) => server.close(r));
      await client.connection.close();
      await pool.end();
      rmSync(uploadDir, { recursive: true, force: true });
    },
  };
}
