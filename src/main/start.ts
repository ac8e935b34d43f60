import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { ensureDatabase, migrateDatabase } from '../db/migrate';
import { ensureTemporalCli, startDevServer } from '../temporal/dev-server';
import { buildEntryPoints } from './build-entry-points';
import type { EntryPoint } from './process-args';
import { spawnEntryPoint } from './spawn-entry-point';

/**
 * `npm start`: the whole system on one machine. Creates and migrates the database, starts a
 * Temporal dev server unless TEMPORAL_ADDRESS is set, then the worker and the api.
 */
const config = loadConfig();
const dataDir = path.resolve(config.FERRY_DATA_DIR);
mkdirSync(dataDir, { recursive: true });
const children: ChildProcess[] = [];
let stopping = false;

function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of [...children].reverse()) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 35_000).unref();
  void Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r))))).then(() => process.exit(code));
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

console.log('ferry: preparing the database');
await ensureDatabase(config.DATABASE_URL);
await migrateDatabase(config.DATABASE_URL);

const api = `http://127.0.0.1:${config.PORT}`;
// The api answers CORS for the UI's origin (http://127.0.0.1:<TEMPORAL_UI_PORT>) and, once an operator
// has signed in on the admin page at the same host, accepts its codec session cookie from there.
const codecEndpoint = config.FERRY_CODEC_KEYS.length > 0 ? `${api}/codec` : undefined;
const env: NodeJS.ProcessEnv = { ...process.env };
if (!config.TEMPORAL_ADDRESS) {
  const cli = await ensureTemporalCli();
  console.log('ferry: starting the Temporal dev server');
  const server = await startDevServer(cli, { port: 7233, uiPort: config.TEMPORAL_UI_PORT, dbFile: path.join(dataDir, 'temporal.sqlite'), namespace: config.TEMPORAL_NAMESPACE, uiCodecEndpoint: codecEndpoint });
  children.push(server);
  server.once('exit', (code) => !stopping && (console.error(`ferry: Temporal dev server exited (${code})`), stopAll(1)));
  env.TEMPORAL_ADDRESS = '127.0.0.1:7233';
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
for (const name of ['worker', 'api'] satisfies EntryPoint[]) {
  const child = spawnEntryPoint(name, { env, stdio: 'inherit' });
  children.push(child);
  child.once('exit', (code) => !stopping && (console.error(`ferry: the ${name} exited (${code})`), stopAll(1)));
}

await waitForHealth(`${api}/healthz`);
console.log(`
ferry is up
  api          ${api}  (health: ${api}/healthz)
  Temporal UI  ${config.TEMPORAL_ADDRESS ? '(your Temporal cluster\'s UI)' : `http://127.0.0.1:${config.TEMPORAL_UI_PORT}`}
  ${adminToken ? `admin token  ${adminToken}\n  try: curl -H "Authorization: Bearer ${adminToken}" ${api}/api/imports` : 'tokens       from AUTH_TOKENS'}${codecEndpoint && !config.TEMPORAL_ADDRESS ? `
  payloads     encrypted; to read them in the Temporal UI, sign in at ${api}/ and, once per browser, open the
               UI's Codec Server settings: "Use my browser setting", endpoint ${codecEndpoint},
               "Include cross-origin credentials" on, Apply` : ''}
Ctrl-C stops everything.`);

async function waitForHealth(url: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  console.error(`ferry: the api did not answer at ${url}`);
  stopAll(1);
}
