import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from './free-port';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { migrateDatabase } from '../../src/db/migrate';
import { withClient } from '../../src/db/with-client';
import { buildEntryPoints } from '../../src/main/build-entry-points';
import { ensureTemporalCli, startDevServer } from '../../src/temporal/dev-server';
import { encodingFailureConverterPath } from '../../src/temporal/codec';
import { workflowsPath } from '../../src/temporal/worker';

export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// Per run: two test runs on one PostgreSQL (two developers, CI and a developer) must not drop each other's databases.
const RUN = randomBytes(3).toString('hex');
export const TEMPLATE_DB = `ferry_test_template_${RUN}`;

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
    templateDb: string;
    testRun: string;
    codecKeys: string;
  }
}

/** Once per run: a real Temporal dev server, a migrated template database, and one workflow bundle. */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-test-'));
  const port = await freePort();
  const cli = await ensureTemporalCli();
  const [server] = await Promise.all([
    startDevServer(cli, { port, uiPort: await freePort(), dbFile: path.join(dir, 'temporal.sqlite'), headless: true }),
    createTemplateDatabase(),
    // The api and worker bundles that the tests starting Ferry processes run (dist/).
    buildEntryPoints(),
  ]);
  const bundle = await bundleWorkflowCode({ workflowsPath, failureConverterPath: encodingFailureConverterPath, logger: quietLogger });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);

  project.provide('temporalAddress', `127.0.0.1:${port}`);
  project.provide('workflowBundlePath', bundlePath);
  project.provide('templateDb', TEMPLATE_DB);
  project.provide('testRun', RUN);
  // One codec key per run: every test file's clients and workers can read each other's payloads
  // (the retention schedule, for one, is shared by the whole namespace).
  project.provide('codecKeys', process.env.FERRY_CODEC_KEYS || `test-1:${randomBytes(32).toString('base64')}`);

  return async () => {
    await stop(server);
    rmSync(dir, { recursive: true, force: true });
    await dropTestDatabases();
  };
}

async function createTemplateDatabase() {
  await withClient(ADMIN_URL, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${TEMPLATE_DB}`;
  await migrateDatabase(url.toString());
}

async function dropTestDatabases() {
  await withClient(ADMIN_URL, async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`, [`ferry\\_run\\_${RUN}\\_%`, TEMPLATE_DB]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
  });
}


function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}

const quietLogger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
