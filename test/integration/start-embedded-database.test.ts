import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withClient } from '../../src/db/with-client';
import { PROJECT_ROOT, projectPath } from '../../src/project-root';
import { until } from './faults/support';
import { freePort } from '../support/free-port';
import { processAlive } from '../../src/process-alive';

// `npm start` on a machine where no PostgreSQL runs (or where one is asked not to be used): it starts
// the embedded server under its data folder, and Ctrl-C stops it with everything else.

const SAMPLE = readFileSync(projectPath('samples/nana-customers.csv'));
const dirs: string[] = [];
const groups: number[] = [];
afterAll(() => {
  for (const pgid of groups) spawnSync('pkill', ['-KILL', '-g', String(pgid)]);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataFolder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-start-'));
  // The embedded server runs as another user when the tests run as root: it must reach its folder.
  chmodSync(dir, 0o711);
  dirs.push(dir);
  return path.join(dir, 'data');
}

interface Started {
  npm: ChildProcess;
  output: string[];
  api: string;
  token: string;
  /** The embedded server's port, from the banner. */
  databasePort: number;
}

/** `npm start` in a process group of its own, as a terminal runs it, until its banner is out. */
async function npmStart(dataDir: string, env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const {
    DATABASE_URL,
    TEST_DATABASE_ADMIN_URL,
    TEMPORAL_ADDRESS,
    AUTH_TOKENS,
    FERRY_DB,
    FERRY_SYSTEM_DATABASE_URL,
    ...inherited
  } = process.env;
  const npm = spawn('npm', ['start', '--silent'], {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...inherited,
      FERRY_DATA_DIR: dataDir,
      PORT: String(port),
      TEMPORAL_UI_PORT: String(await freePort()),
      FERRY_FAULT_POINTS: '',
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  groups.push(npm.pid!);
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n'));
  npm.stdout!.on('data', collect);
  npm.stderr!.on('data', collect);
  await until(
    'the banner of npm start',
    async () => {
      if (npm.exitCode !== null) throw new Error(`npm start exited (${npm.exitCode}):\n${output.join('\n')}`);
      return output.includes('ferry is up');
    },
    150_000,
    200,
  );
  const databaseLine = output.find((line) => line.startsWith('  PostgreSQL   ')) ?? '';
  return {
    npm,
    output,
    api: `http://127.0.0.1:${port}`,
    token: readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim(),
    databasePort: Number(/127\.0\.0\.1:(\d+)\/ferry/.exec(databaseLine)?.[1]),
  };
}

/** Ctrl-C in the terminal: SIGINT to the whole group. Resolves once npm start has exited. */
async function pressCtrlC(started: Started, dataDir: string): Promise<void> {
  const postmaster = Number(readFileSync(path.join(dataDir, 'postgres/postmaster.pid'), 'utf8').split('\n')[0]);
  const members = spawnSync('pgrep', ['-g', String(started.npm.pid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean)
    .map(Number);
  expect(members.length, 'npm, start.ts, Temporal or not, the worker and the api').toBeGreaterThanOrEqual(4);
  process.kill(-started.npm.pid!, 'SIGINT');
  await until(
    'npm start to exit',
    async () => started.npm.exitCode !== null || started.npm.signalCode !== null,
    60_000,
    100,
  );
  // A loaded machine may take a while over the servers' shutdown; what is left is named if they never end.
  const stillToEnd = [postmaster, ...members];
  await until('every process it started to end', async () => !stillToEnd.some(processAlive), 60_000, 100).catch(
    (err: Error) => {
      const left = stillToEnd.filter(processAlive).map((pid) => {
        const cmd = spawnSync('ps', ['-o', 'stat=,args=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
        return `${pid} ${cmd}`;
      });
      throw new Error(`${err.message}; still running: ${left.join('; ')}`, { cause: err });
    },
  );
  const naming = spawnSync('pgrep', ['-f', dataDir], { encoding: 'utf8' }).stdout.trim();
  expect(naming, 'no process names the data folder (the embedded server, the Temporal dev server)').toBe('');
  expect(existsSync(path.join(dataDir, 'postgres/postmaster.pid')), 'the embedded server shut down cleanly').toBe(
    false,
  );
}

async function api(started: Started, route: string, init: RequestInit = {}): Promise<any> {
  const res = await fetch(`${started.api}${route}`, { ...init, headers: { authorization: `Bearer ${started.token}` } });
  const body = await res.json();
  if (!res.ok) throw new Error(`${route} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/** The README's sample import, through the api: uploaded, then read back when it has ended. */
async function importSample(started: Started): Promise<number> {
  const form = new FormData();
  form.set('source', 'nana');
  form.set('file', new Blob([new Uint8Array(SAMPLE)]), 'nana-customers.csv');
  const { id } = await api(started, '/api/imports', { method: 'POST', body: form });
  await until(
    'the sample import to end',
    async () => ['completed', 'failed', 'rolled_back'].includes((await api(started, `/api/imports/${id}`)).status),
    90_000,
    200,
  );
  return id;
}

/** What the README says the sample gives, read back through the api and from the embedded server itself. */
async function expectSampleImported(started: Started, dataDir: string, id: number) {
  const detail = await api(started, `/api/imports/${id}`);
  expect(detail.status).toBe('completed');
  expect(detail.counts).toEqual({ total: 9, valid: 6, created: 4, linked: 0, updated: 0, skipped: 1, rejected: 4 });
  expect(detail.verification.ok).toBe(true);
  const errors = await api(started, `/api/imports/${id}/errors`);
  expect(errors.items.map((e: { rowNumber: number }) => e.rowNumber)).toHaveLength(4);

  const password = readFileSync(path.join(dataDir, 'postgres-password'), 'utf8').trim();
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${started.databasePort}/ferry`;
  await withClient(url, async (db) => {
    const { rows } = await db.query<{ phone: string }>(
      `SELECT p.phone FROM customer_phones p JOIN customers c ON c.id = p.customer_id ORDER BY p.phone`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(
      rows.every((r) => /^\+66\d{8,9}$/.test(r.phone)),
      'phones stored in E.164',
    ).toBe(true);
  });
}

describe('npm start without a PostgreSQL to use', () => {
  it('FERRY_DB=embedded: starts the embedded server, imports the sample, keeps it across a restart, and Ctrl-C leaves nothing running', async () => {
    const dataDir = dataFolder();
    const env = { FERRY_DB: 'embedded', TEMPORAL_DEV_PORT: String(await freePort()) };
    const first = await npmStart(dataDir, env);
    expect(first.output).toContain(
      `ferry: creating the embedded PostgreSQL's cluster in ${path.join(dataDir, 'postgres')} (first run only)`,
    );
    expect(first.output.find((l) => l.startsWith('  PostgreSQL   '))).toMatch(
      /^ {2}PostgreSQL {3}embedded PostgreSQL 18, 127\.0\.0\.1:\d+\/ferry, user postgres, password in .*postgres-password, data in .*data\/postgres/,
    );
    expect(first.output.find((l) => l.startsWith('  Temporal     '))).toMatch(
      /^ {2}Temporal {5}dev server, 127\.0\.0\.1:\d+, CLI \S+temporal, state in /,
    );
    const id = await importSample(first);
    await expectSampleImported(first, dataDir, id);

    // What another engineer's duplicate finder needs from the server.
    const password = readFileSync(path.join(dataDir, 'postgres-password'), 'utf8').trim();
    await withClient(
      `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${first.databasePort}/ferry`,
      async (db) => {
        await db.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
        await db.query('CREATE EXTENSION IF NOT EXISTS fuzzystrmatch');
        const { rows } = await db.query(
          `SELECT levenshtein('Somsri', 'Somsi') AS distance, similarity('Jaidee', 'Jaidii') > 0.3 AS similar`,
        );
        expect(rows[0]).toEqual({ distance: 1, similar: true });
      },
    );
    await pressCtrlC(first, dataDir);

    const second = await npmStart(dataDir, env);
    expect(second.output.some((l) => l.includes('creating the embedded'))).toBe(false);
    await expectSampleImported(second, dataDir, id);
    await pressCtrlC(second, dataDir);
  }, 300_000);

  it('with nothing listening where the system server would be, says so and starts the embedded one', async () => {
    const dataDir = dataFolder();
    const closed = await freePort();
    const started = await npmStart(dataDir, {
      FERRY_SYSTEM_DATABASE_URL: `postgres://postgres@127.0.0.1:${closed}/ferry`,
      // Its own dev server: a worker started here would otherwise create the namespace-wide retention schedule on its task queue.
      TEMPORAL_DEV_PORT: String(await freePort()),
    });
    expect(started.output).toContain(
      `ferry: no PostgreSQL to use at 127.0.0.1:${closed} (nothing listens there): starting an embedded one`,
    );
    expect(started.output.find((l) => l.startsWith('  PostgreSQL   '))).toMatch(
      /^ {2}PostgreSQL {3}embedded PostgreSQL 18, /,
    );
    await expectSampleImported(started, dataDir, await importSample(started));
    await pressCtrlC(started, dataDir);
  }, 200_000);
});
