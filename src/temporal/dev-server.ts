import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_NAMES } from '../../workflows/search-attributes';
import { projectPath } from '../project-root';

const ensureScript = projectPath('scripts/ensure-temporal.sh');

/** No Temporal CLI and no way to build one: the script has already said what to do. */
export class TemporalCliUnavailableError extends Error {
  readonly code = 'TEMPORAL_CLI_UNAVAILABLE';
}

/**
 * The Temporal CLI's path, building it into the cache the first time. The script's messages (that
 * it builds, why, that it happens once, or what to do when it cannot) reach the terminal as they come.
 */
export function ensureTemporalCli(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [ensureScript], { stdio: ['ignore', 'pipe', 'inherit'], timeout: 20 * 60_000 });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) return resolve(stdout.trim().split('\n').pop()!);
      reject(
        new TemporalCliUnavailableError(`no Temporal CLI (scripts/ensure-temporal.sh ended with ${code ?? signal})`),
      );
    });
  });
}

export interface DevServerOptions {
  port: number;
  uiPort: number;
  /** SQLite file that keeps workflows across restarts. */
  dbFile: string;
  headless?: boolean;
  namespace?: string;
  /**
   * The Temporal UI decodes payloads through this codec server (Ferry's api at /codec). start-dev
   * (CLI v1.5.1, UI 2.42.1) sets only the endpoint: its UI neither passes an access token nor includes
   * credentials at this level, so a browser needs "include cross-origin credentials" in its own Codec
   * Server settings to send Ferry's session cookie (README: reading payloads in the Temporal UI).
   */
  uiCodecEndpoint?: string;
}

/** Starts `temporal server start-dev` with Ferry's search attributes and waits until it answers. */
export async function startDevServer(cli: string, opts: DevServerOptions): Promise<ChildProcess> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--ui-port',
    String(opts.uiPort),
    '--db-filename',
    opts.dbFile,
    '--log-level',
    'error',
  ];
  args.push('--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=OFF');
  if (opts.headless) args.push('--headless');
  if (opts.uiCodecEndpoint) args.push('--ui-codec-endpoint', opts.uiCodecEndpoint);
  if (opts.namespace && opts.namespace !== 'default') args.push('--namespace', opts.namespace);
  for (const name of SEARCH_ATTRIBUTE_NAMES) args.push('--search-attribute', `${name}=Keyword`);
  const child = spawn(cli, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitForServer(`127.0.0.1:${opts.port}`, child);
    // The UI starts on its own goroutine and may answer after the frontend does.
    if (!opts.headless) await waitForUi(`http://127.0.0.1:${opts.uiPort}`, child);
  } catch (err) {
    child.kill('SIGTERM');
    throw err;
  }
  return child;
}

async function waitForUi(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Temporal dev server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/v1/settings`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the Temporal UI at ${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function waitForServer(address: string, child?: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`Temporal dev server exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`Temporal at ${address} did not answer within ${timeoutMs / 1000} s`, { cause: err });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
