import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../src/project-root';
import { freePort } from '../../support/free-port';
import { startStack, type Stack } from '../../support/stack';
import { until } from './support';

// Docker (compose's `init: true`) sends SIGTERM to `npm run api|worker` alone, and waits
// stop_grace_period before SIGKILL. The graceful stops (the api lets uploads finish, the worker lets
// a batch commit) happen only if node itself gets that signal: each script execs node, so the shell
// that ran `npm run build` first is gone and npm's signal goes to node. Without exec the shell died
// and node ran on, orphaned, until the container's end killed it mid-batch.
let stack: Stack;
const groups: number[] = [];
beforeAll(async () => {
  stack = await startStack({ worker: false });
});
afterAll(async () => {
  for (const pgid of groups) spawnSync('pkill', ['-KILL', '-g', String(pgid)]);
  await stack?.close();
});

/** `npm run <script>` in a process group of its own, its JSON log messages collected. */
function npmRun(script: 'api' | 'worker', env: Record<string, string>): { npm: ChildProcess; messages: string[] } {
  const npm = spawn('npm', ['run', '--silent', script], {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      LOG_LEVEL: 'info',
      FERRY_FAULT_POINTS: '',
      ...env,
    },
  });
  groups.push(npm.pid!);
  const messages: string[] = [];
  createInterface({ input: npm.stdout! }).on('line', (line) => {
    try {
      messages.push(JSON.parse(line).msg);
    } catch {
      // npm's own lines
    }
  });
  return { npm, messages };
}

const groupAlive = (pgid: number) => spawnSync('pgrep', ['-g', String(pgid)]).status === 0;

describe('npm run api and npm run worker, as Docker runs them', () => {
  it('pass the SIGTERM sent to npm alone on to node: each stops gracefully and nothing of the group is left', async () => {
    const port = await freePort();
    const api = npmRun('api', {
      PORT: String(port),
      AUTH_TOKENS: `ops:admin:${randomBytes(32).toString('base64url')}`,
    });
    const worker = npmRun('worker', {});
    await until(
      'both to be up',
      async () => api.messages.includes('api listening') && worker.messages.includes('worker running'),
      90_000,
      100,
    );

    for (const p of [api, worker]) process.kill(p.npm.pid!, 'SIGTERM');
    await until(
      'every process of both groups to exit',
      async () => !groupAlive(api.npm.pid!) && !groupAlive(worker.npm.pid!),
      45_000,
      100,
    );
    expect(api.messages, 'the api ran its shutdown').toContain('api stopped');
    expect(worker.messages, 'the worker ran its shutdown').toContain('worker stopped');
  });
});
