import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from './free-port';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../src/config';
import { chooseDatabase } from '../../src/db/choose-database';
import { migrateDatabase } from '../../src/db/migrate';
import { withClient } from '../../src/db/with-client';
import { buildEntryPoints } from '../../src/main/build-entry-points';
import { ensureTemporalCli, startDevServer } from '../../src/temporal/dev-server';
import { encodingFailureConverterPath } from '../../src/temporal/codec';
import { workflowsPath } from '../../src/temporal/worker';

/** The run's PostgreSQL (its `postgres` database as a superuser), chosen by findTestServer. */
let ADMIN_URL = '';
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
  // An embedded server run as another user (the run is root's) must reach its data folder inside.
  chmodSync(dir, 0o711);
  const database = await findTestServer(path.join(dir, 'data'));
  ADMIN_URL = database.url;
  // Test files (forked after this) and the Ferry processes they start read it from here.
  process.env.TEST_DATABASE_ADMIN_URL = ADMIN_URL;
  try {
    return await startTemporalAndTemplate(project, dir, database);
  } catch (err) {
    await database.stop();
    throw err;
  }
}

/** The rest of the run's set-up, on the chosen database. */
async function startTemporalAndTemplate(project: TestProject, dir: string, database: { stop(): Promise<void> }) {
  const port = await freePort();
  const cli = await ensureTemporalCli();
  const [server] = await Promise.all([
    startDevServer(cli, { port, uiPort: await freePort(), dbFile: path.join(dir, 'temporal.sqlite'), headless: true }),
    createTemplateDatabase(),
    // The api and worker bundles that the tests starting Ferry processes run (dist/).
    buildEntryPoints(),
  ]);
  const bundle = await bundleWorkflowCode({
    workflowsPath,
    failureConverterPath: encodingFailureConverterPath,
    logger: quietLogger,
  });
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
    await dropTestDatabases();
    await database.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

/**
 * The server `npm start` would find: TEST_DATABASE_ADMIN_URL when set, else the system's
 * (FERRY_SYSTEM_DATABASE_URL), else an embedded one for this run alone (FERRY_DB=embedded forces it),
 * tuned for speed over durability since the run throws it away.
 */
async function findTestServer(dataDir: string) {
  const config = loadConfig();
  const systemUrl = new URL(config.FERRY_SYSTEM_DATABASE_URL);
  systemUrl.pathname = '/postgres';
  const database = await chooseDatabase({
    given: process.env.TEST_DATABASE_ADMIN_URL,
    systemUrl: systemUrl.toString(),
    forceEmbedded: config.FERRY_DB === 'embedded',
    dataDir,
    osUser: config.FERRY_DB_OS_USER,
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '300' },
    say: (line) => console.log(`ferry tests: ${line}`),
  });
  console.log(
    `ferry tests: PostgreSQL ${database.kind === 'given' ? 'given by TEST_DATABASE_ADMIN_URL' : database.description}`,
  );
  return database;
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
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
      [`ferry\\_run\\_${RUN}\\_%`, TEMPLATE_DB],
    );
    for (const { datname } of rows)
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
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
