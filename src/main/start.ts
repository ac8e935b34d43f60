import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { givenDatabaseUrl, loadConfig } from '../config';
import { chooseDatabase, type ChosenDatabase } from '../db/choose-database';
import { ensureDatabase, migrateDatabase } from '../db/migrate';
import { ensureTemporalCli, startDevServer, TemporalCliUnavailableError } from '../temporal/dev-server';
import { shownPath } from '../shown-path';
import { startBanner } from './start-banner';
import { buildEntryPoints } from './build-entry-points';
import type { EntryPoint } from './process-args';
import { spawnEntryPoint } from './spawn-entry-point';

/**
 * `npm start`: the whole system on one machine. Finds or starts PostgreSQL, creates and migrates
 * the database, starts a Temporal dev server unless TEMPORAL_ADDRESS is set, then the worker and the api.
 */
const config = loadConfig();
const dataDir = path.resolve(config.FERRY_DATA_DIR);
mkdirSync(dataDir, { recursive: true });
const children: ChildProcess[] = [];
let database: Promise<ChosenDatabase> | undefined;
let stopping = false;
const say = (line: string) => console.log(`ferry: ${line}`);

/** The api and the worker first (they drain), then Temporal, and the database they all used last. */
async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of [...children].reverse()) child.kill('SIGTERM');
  const exited = Promise.all(
    children.map(
      (c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('exit', r))),
    ),
  );
  await Promise.race([exited, new Promise((r) => setTimeout(r, 35_000))]);
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  // Ctrl-C may come while the embedded server is still starting: it is stopped once it has.
  await (await database?.catch(() => undefined))?.stop();
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  await start();
} catch (err) {
  if (!(err instanceof TemporalCliUnavailableError)) console.error(`ferry: could not start: ${(err as Error).message}`);
  await stopAll(1);
}

async function start() {
  database = chooseDatabase({
    given: givenDatabaseUrl(),
    systemUrl: config.FERRY_SYSTEM_DATABASE_URL,
    forceEmbedded: config.FERRY_DB === 'embedded',
    dataDir,
    osUser: config.FERRY_DB_OS_USER,
    say,
  });
  const db = await database;
  if (stopping) return;
  say(`preparing the database (${db.kind})`);
  await ensureDatabase(db.url);
  await migrateDatabase(db.url);
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url };

  const api = `http://127.0.0.1:${config.PORT}`;
  // The api answers CORS for the UI's origin (http://127.0.0.1:<TEMPORAL_UI_PORT>) and, once an operator
  // has signed in on the admin page at the same host, accepts its codec session cookie from there.
  const codecEndpoint = config.FERRY_CODEC_KEYS.length > 0 ? `${api}/codec` : undefined;
  let temporal = `given by TEMPORAL_ADDRESS (${config.TEMPORAL_ADDRESS})`;
  if (!config.TEMPORAL_ADDRESS) {
    const cli = await ensureTemporalCli();
    if (stopping) return;
    say('starting the Temporal dev server');
    const server = await startDevServer(cli, {
      port: config.TEMPORAL_DEV_PORT,
      uiPort: config.TEMPORAL_UI_PORT,
      dbFile: path.join(dataDir, 'temporal.sqlite'),
      namespace: config.TEMPORAL_NAMESPACE,
      uiCodecEndpoint: codecEndpoint,
    });
    children.push(server);
    server.once(
      'exit',
      (code) => !stopping && (console.error(`ferry: Temporal dev server exited (${code})`), void stopAll(1)),
    );
    env.TEMPORAL_ADDRESS = `127.0.0.1:${config.TEMPORAL_DEV_PORT}`;
    temporal = `dev server, ${env.TEMPORAL_ADDRESS}, CLI ${cli}, state in ${shownPath(path.join(dataDir, 'temporal.sqlite'))}`;
  }

  let adminToken: string | null = null;
  if (config.AUTH_TOKENS.length === 0) {
    // Kept in the data dir so a restart keeps the same token.
    const tokenFile = path.join(dataDir, 'admin-token');
    if (!existsSync(tokenFile)) writeFileSync(tokenFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
    adminToken = readFileSync(tokenFile, 'utf8').trim();
    env.AUTH_TOKENS = `admin:admin:${adminToken}`;
  }

  await buildEntryPoints();
  if (stopping) return;
  for (const name of ['worker', 'api'] satisfies EntryPoint[]) {
    const child = spawnEntryPoint(name, { env, stdio: 'inherit' });
    children.push(child);
    child.once('exit', (code) => !stopping && (console.error(`ferry: the ${name} exited (${code})`), void stopAll(1)));
  }

  await waitForHealth(`${api}/healthz`);
  console.log(
    startBanner({
      api,
      database: db.description,
      temporal,
      temporalUi: config.TEMPORAL_ADDRESS ? undefined : `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`,
      adminToken,
      codecEndpoint,
    }),
  );
}

async function waitForHealth(url: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the api did not answer at ${url}`);
}
