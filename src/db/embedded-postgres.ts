import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../net/free-port';
import { shownPath } from '../shown-path';
import { postgresBinaries } from './embedded-postgres-binaries';
import { reachableBy, serverOwner, unreachableError, type ServerOwner } from './embedded-postgres-owner';
import { withClient } from './with-client';
import { processAlive } from '../process-alive';

export interface EmbeddedPostgresOptions {
  /** Holds the cluster (`postgres/`), its generated password (`postgres-password`) and its log (`postgres.log`). */
  dataDir: string;
  /** Who runs the server when Ferry runs as root. */
  osUser: string;
  /** Server settings on top of the defaults (the tests turn fsync off). */
  settings?: Record<string, string>;
  say: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** Superuser connection to the `postgres` database. */
  url: string;
  port: number;
  clusterDir: string;
  passwordFile: string;
  owner?: ServerOwner;
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';

/**
 * Starts the PostgreSQL that the `embedded-postgres` packages ship (initialising its cluster the
 * first time), on 127.0.0.1 and a free port, with password authentication. It runs in a process
 * group of its own so that a terminal's Ctrl-C reaches it only through `stop()`, after the
 * processes that use it have ended.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const clusterDir = path.join(opts.dataDir, 'postgres');
  mkdirSync(opts.dataDir, { recursive: true });
  const owner = serverOwner(opts.osUser, opts.say);
  if (owner && !reachableBy(owner, opts.dataDir)) throw unreachableError(owner, opts.dataDir);
  const binaries = await postgresBinaries(owner);
  await stopLeftoverServer(clusterDir, opts.say);
  const passwordFile = path.join(opts.dataDir, 'postgres-password');
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();
  if (!existsSync(path.join(clusterDir, 'PG_VERSION')))
    await initCluster(binaries.initdb, clusterDir, password, owner, opts.say);

  const port = await freePort();
  const logFile = path.join(opts.dataDir, 'postgres.log');
  const log = openSync(logFile, 'a');
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...opts.settings };
  const args = [
    '-D',
    clusterDir,
    '-p',
    String(port),
    ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
  ];
  const child = spawn(binaries.postgres, args, {
    ...ids(owner),
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, LC_ALL: 'C' },
  });
  closeSync(log);
  const url = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  try {
    await waitUntilAccepting(url, child, logFile);
  } catch (err) {
    await stopServer(child);
    throw err;
  }
  return { url, port, clusterDir, passwordFile, owner, stop: () => stopServer(child) };
}

async function initCluster(
  initdb: string,
  clusterDir: string,
  password: string,
  owner: ServerOwner | undefined,
  say: (line: string) => void,
) {
  say(`creating the embedded PostgreSQL's cluster in ${shownPath(clusterDir)} (first run only)`);
  // A cluster directory without PG_VERSION is what an interrupted initdb leaves: nothing to keep.
  rmSync(clusterDir, { recursive: true, force: true });
  mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  // initdb reads the password from a file that its user (maybe not ours) must be able to read.
  const secretDir = mkdtempSync(path.join(os.tmpdir(), 'ferry-pg-'));
  const pwfile = path.join(secretDir, 'password');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner) {
    for (const p of [clusterDir, secretDir, pwfile]) chownSync(p, owner.uid, owner.gid);
  }
  try {
    const args = [
      `--pgdata=${clusterDir}`,
      `--username=${SUPERUSER}`,
      `--pwfile=${pwfile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
    ];
    const { code, output } = await run(initdb, args, owner);
    if (code !== 0) throw new Error(`initdb failed (exit ${code}): ${output.trim().split('\n').slice(-5).join(' | ')}`);
  } finally {
    rmSync(secretDir, { recursive: true, force: true });
  }
}

function run(
  file: string,
  args: string[],
  owner: ServerOwner | undefined,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      ...ids(owner),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

const ids = (owner: ServerOwner | undefined) => (owner ? { uid: owner.uid, gid: owner.gid } : {});

/** A server that an earlier start could not stop (it was killed) still holds the cluster: stop it first. */
async function stopLeftoverServer(clusterDir: string, say: (line: string) => void) {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return;
  say(`stopping the embedded PostgreSQL an earlier run left behind (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 300 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (processAlive(pid))
    throw new Error(`the embedded PostgreSQL left running (pid ${pid}) did not stop; stop it, then start again`);
}

async function waitUntilAccepting(url: string, child: ChildProcess, logFile: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join(' | ');
      throw new Error(
        `the embedded PostgreSQL exited (${child.exitCode ?? child.signalCode}): ${tail} (log: ${logFile})`,
      );
    }
    try {
      await withClient(url, (client) => client.query('SELECT 1'));
      return;
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(
          `the embedded PostgreSQL did not accept connections within ${timeoutMs / 1000} s (log: ${logFile})`,
          { cause: err },
        );
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Fast shutdown (SIGINT: sessions end, the cluster stays consistent), then SIGKILL if it hangs. */
function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGINT');
  });
}
