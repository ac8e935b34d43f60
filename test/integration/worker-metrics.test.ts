import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETENTION_SCHEDULE_ID } from '../../src/temporal/retention-schedule';
import { importFile, nanaCsv } from '../support/http';
import { startStack, type Stack } from '../support/stack';
import { spawnEntryPoint } from '../../src/main/spawn-entry-point';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function scrape(url: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return await res.text();
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} never answered`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

let stack: Stack;
let worker: ChildProcess;
let ports: { ferry: number; temporal: number };
beforeAll(async () => {
  stack = await startStack({ worker: false });
  ports = { ferry: await freePort(), temporal: await freePort() };
  worker = spawnEntryPoint('worker', {
    env: {
      ...process.env,
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      LOG_LEVEL: 'warn',
      WORKER_METRICS_PORT: String(ports.ferry),
      TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${ports.temporal}`,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
});
afterAll(async () => {
  worker?.kill('SIGTERM');
  await stack?.close();
});

describe('the worker process', () => {
  it('serves its batch and statement metrics and the Temporal SDK metrics on their own ports, and creates the retention schedule', async () => {
    await scrape(`http://127.0.0.1:${ports.ferry}/metrics`);
    const done = await importFile(
      stack,
      nanaCsv([{ nana_cus_id: 'WM-1', firstname: 'Worker', lastname: 'Metrics', phone: '0810000501' }]),
    );
    expect(done.status).toBe('completed');

    const ferry = await scrape(`http://127.0.0.1:${ports.ferry}/metrics`);
    expect(ferry).toMatch(/^ferry_batch_duration_seconds_count\{result="ok"\} [1-9]/m);
    expect(ferry).toContain('ferry_worker_process_cpu_seconds_total');
    // The batch's statements by command and table: the new customer went in by COPY, its phone was looked up.
    expect(ferry).toMatch(/^ferry_db_statement_duration_seconds_count\{statement="COPY customers"\} [1-9]/m);
    expect(ferry).toMatch(/^ferry_db_statement_duration_seconds_count\{statement="SELECT customer_phones"\} [1-9]/m);
    expect(ferry, 'labels carry no value of the file').not.toMatch(/WM-1|Worker|0810000501|\+66810000501/);
    const temporal = await scrape(`http://127.0.0.1:${ports.temporal}/metrics`);
    expect(temporal).toMatch(/temporal_/);

    const schedule = await stack.client.schedule.getHandle(RETENTION_SCHEDULE_ID).describe();
    expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'retentionWorkflow' });
  });
});
