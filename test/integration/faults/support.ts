import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, expect } from 'vitest';
import type pg from 'pg';
import { freePort } from '../../support/free-port';
import { runHistories } from '../../support/sentinel-pii';
import { orphanRows } from '../../support/db-state';
import { startStack, testCodecKeys, type Stack, type StackOptions } from '../../support/stack';
import { AesGcmCodec } from '../../../src/temporal/codec';
import type { EntryPoint } from '../../../src/main/process-args';
import { spawnEntryPoint } from '../../../src/main/spawn-entry-point';

export interface ProcessOptions {
  /** FERRY_FAULT_POINTS for this process (src/faults.ts), e.g. `batch-committed:kill@3`. */
  faultPoints?: string;
  logLevel?: string;
  /** Every line the process writes to stdout and stderr, as it comes (default: stderr inherited, stdout dropped). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  env?: Record<string, string>;
}

/** A worker in its own process (`npm run worker`), its database sessions named `appName`. */
export function startWorkerProcess(
  stack: Stack,
  appName = 'ferry-fault-worker',
  temporalAddress = stack.temporalAddress,
  opts: ProcessOptions = {},
): ChildProcess {
  const url = new URL(stack.databaseUrl);
  url.searchParams.set('application_name', appName);
  return spawnFerry(
    'worker',
    {
      DATABASE_URL: url.toString(),
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      ...(opts.faultPoints ? { FERRY_FAULT_POINTS: opts.faultPoints } : {}),
      ...opts.env,
    },
    opts,
  );
}

/**
 * The api in its own process (`npm run api`) on a free port, against the stack's database, Temporal
 * and task queue; resolves once /healthz answers. `stack` with `baseUrl` and `adminToken` swapped
 * for the process's can be handed to the http helpers.
 */
export async function startApiProcess(
  stack: Stack,
  opts: ProcessOptions & { port?: number } = {},
): Promise<{ child: ChildProcess; asStack: Stack }> {
  const port = opts.port ?? (await freePort());
  const adminToken = `admin-${randomBytes(12).toString('hex')}`;
  const child = spawnFerry(
    'api',
    {
      DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      PORT: String(port),
      AUTH_TOKENS: `alice:admin:${adminToken}`,
      ...(opts.faultPoints ? { FERRY_FAULT_POINTS: opts.faultPoints } : {}),
      ...opts.env,
    },
    opts,
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  await until(
    'the api process to answer /healthz',
    async () => {
      if (child.exitCode !== null) throw new Error(`the api process exited (${child.exitCode})`);
      return fetch(`${baseUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
    },
    60_000,
    200,
  );
  return { child, asStack: { ...stack, baseUrl, adminToken } };
}

function spawnFerry(name: EntryPoint, env: Record<string, string>, opts: ProcessOptions): ChildProcess {
  const child = spawnEntryPoint(name, {
    env: { ...process.env, FERRY_FAULT_POINTS: '', LOG_LEVEL: opts.logLevel ?? 'error', ...env },
    stdio: ['ignore', opts.onLine ? 'pipe' : 'ignore', opts.onLine ? 'pipe' : 'inherit'],
  });
  if (opts.onLine) {
    const onLine = opts.onLine;
    createInterface({ input: child.stdout! }).on('line', (line) => onLine(line, 'stdout'));
    createInterface({ input: child.stderr! }).on('line', (line) => onLine(line, 'stderr'));
  }
  return child;
}

/** Starts collecting a process's lines; `reached(name)` resolves once it stands at that fault point (src/faults.ts). */
export function faultPointWatch(): {
  onLine: (line: string, stream: 'stdout' | 'stderr') => void;
  reached: (name: string, timeoutMs?: number) => Promise<void>;
} {
  const seen = new Set<string>();
  const waiting: { name: string; resolve: () => void }[] = [];
  return {
    onLine(line, stream) {
      const m = /^ferry fault point ([a-z-]+): /.exec(line);
      // Whatever else the process says on stderr still reaches the test output, as when inherited.
      if (!m) return void (stream === 'stderr' && process.stderr.write(`${line}\n`));
      seen.add(m[1]);
      for (const w of waiting.filter((w) => w.name === m[1])) w.resolve();
    },
    reached: (name, timeoutMs = 90_000) =>
      new Promise((resolve, reject) => {
        if (seen.has(name)) return resolve();
        const timer = setTimeout(
          () => reject(new Error(`fault point ${name} not reached in ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiting.push({ name, resolve: () => (clearTimeout(timer), resolve()) });
      }),
  };
}

/** Resolves when the process has exited, with how; fails after `timeoutMs`. */
export function exited(
  child: ChildProcess,
  timeoutMs = 60_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null)
      return resolve({ code: child.exitCode, signal: child.signalCode });
    const timer = setTimeout(
      () => reject(new Error(`process ${child.pid} still running after ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

export function stopProcess(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGCONT');
    child.kill(signal);
  });
}

/** Polls `probe` every `everyMs` until it returns a truthy value; fails after `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function rowsProcessed(pool: pg.Pool, id: number): Promise<number> {
  const { rows } = await pool.query(`SELECT rows_processed FROM imports WHERE id = $1`, [id]);
  return rows[0].rows_processed;
}

/** Committed batches of the import (a batch commits with its ledger row). */
/** How many runs the workflow id has had (each start, continue-as-new included). */
export async function runsOf(stack: Stack, workflowId: string): Promise<number> {
  let n = 0;
  for await (const _ of stack.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) n++;
  return n;
}

export async function committedBatches(pool: pg.Pool, id: number): Promise<number> {
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM import_batches WHERE import_id = $1`, [id]);
  return rows[0].n;
}

/** The sessions of one worker process that are inside a transaction right now. */
export async function sessionsInTransaction(pool: pg.Pool, appName: string): Promise<number[]> {
  const { rows } = await pool.query(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND xact_start IS NOT NULL AND pid <> pg_backend_pid()`,
    [appName],
  );
  return rows.map((r) => r.pid);
}

const OUTCOMES = ['created', 'linked', 'updated', 'skipped', 'rejected'] as const;

/**
 * The invariants of the reliability notes on the final state of one import:
 * I-1 every record has exactly one outcome and the counts add up; I-2 the customers the import
 * created are its `created` outcomes, once each, and no phone is shared unless a record forced it;
 * I-3 every committed batch has all its outcomes, no import-phase outcome lies outside a batch, and
 * the batches' recorded counts equal the ledger.
 */
export async function expectInvariants(pool: pg.Pool, importId: number): Promise<Record<string, number>> {
  const {
    rows: [imp],
  } = await pool.query(`SELECT * FROM imports WHERE id = $1`, [importId]);
  const counts = Object.fromEntries(OUTCOMES.map((k) => [k, Number(imp[k])]));
  const total = Number(imp.total);

  // I-1
  const {
    rows: [ledger],
  } = await pool.query(
    `SELECT count(*)::int AS n, count(DISTINCT row_number)::int AS distinct_rows, min(row_number) AS lo, max(row_number) AS hi FROM import_outcomes WHERE import_id = $1`,
    [importId],
  );
  expect(
    OUTCOMES.reduce((s, k) => s + counts[k], 0),
    'I-1 counts add up to the records',
  ).toBe(total);
  expect(ledger, 'I-1 one outcome per record').toEqual({
    n: total,
    distinct_rows: total,
    lo: total ? 1 : null,
    hi: total || null,
  });
  const { rows: byOutcome } = await pool.query(
    `SELECT outcome, count(*)::int AS n FROM import_outcomes WHERE import_id = $1 GROUP BY outcome`,
    [importId],
  );
  expect(
    Object.fromEntries(OUTCOMES.map((k) => [k, byOutcome.find((r) => r.outcome === k)?.n ?? 0])),
    'I-1 counters equal the ledger',
  ).toEqual(counts);
  const {
    rows: [staged],
  } = await pool.query(`SELECT count(*)::int AS n FROM import_rows WHERE import_id = $1`, [importId]);
  expect(staged.n, 'I-1 the staged file has as many records as the total').toBe(total);

  // I-2
  const {
    rows: [created],
  } = await pool.query(
    `SELECT (SELECT count(*)::int FROM customers WHERE import_id = $1) AS customers,
            (SELECT count(DISTINCT customer_id)::int FROM import_outcomes WHERE import_id = $1 AND outcome = 'created') AS outcome_customers,
            (SELECT count(*)::int FROM import_outcomes o JOIN customers c ON c.id = o.customer_id AND c.import_id = o.import_id WHERE o.import_id = $1 AND o.outcome = 'created') AS linked_back`,
    [importId],
  );
  expect(created, 'I-2 customers created by the import = created outcomes').toEqual({
    customers: counts.created,
    outcome_customers: counts.created,
    linked_back: counts.created,
  });
  expect(await sharedPhones(pool), 'I-2 no phone shared by two customers unless forced').toEqual([]);
  const { rows: relDupes } = await pool.query(
    `SELECT source, original_id FROM customer_relations WHERE active GROUP BY 1, 2 HAVING count(*) > 1`,
  );
  expect(relDupes, 'I-2 one active customer per legacy id').toEqual([]);
  expect(await orphanRows(pool), 'I-2 every row points at an existing customer').toEqual({});

  // I-3
  const { rows: batches } = await pool.query(
    `SELECT b.first_row, b.last_row, b.counts, count(o.row_number)::int AS outcomes
       FROM import_batches b LEFT JOIN import_outcomes o ON o.import_id = b.import_id AND o.row_number BETWEEN b.first_row AND b.last_row
      WHERE b.import_id = $1 GROUP BY b.first_row, b.last_row, b.counts ORDER BY b.first_row`,
    [importId],
  );
  for (const b of batches)
    expect(b.outcomes, `I-3 batch ${b.first_row}-${b.last_row} has all its outcomes`).toBe(
      b.last_row - b.first_row + 1,
    );
  for (let i = 1; i < batches.length; i++)
    expect(batches[i].first_row, 'I-3 batches do not overlap').toBeGreaterThan(batches[i - 1].last_row);
  const {
    rows: [stray],
  } = await pool.query(
    `SELECT count(*)::int AS n, max(row_number) AS hi FROM import_outcomes o WHERE o.import_id = $1 AND o.phase = 'import'
        AND NOT EXISTS (SELECT 1 FROM import_batches b WHERE b.import_id = o.import_id AND o.row_number BETWEEN b.first_row AND b.last_row)`,
    [importId],
  );
  expect(stray.n, 'I-3 no imported outcome outside a committed batch').toBe(0);
  const { rows: importPhase } = await pool.query(
    `SELECT outcome, count(*)::int AS n FROM import_outcomes WHERE import_id = $1 AND phase = 'import' GROUP BY outcome`,
    [importId],
  );
  const fromBatches = Object.fromEntries(
    OUTCOMES.map((k) => [k, batches.reduce((s, b) => s + Number(b.counts?.[k] ?? 0), 0)]),
  );
  expect(fromBatches, 'I-3 batch counts equal the ledger').toEqual(
    Object.fromEntries(OUTCOMES.map((k) => [k, importPhase.find((r) => r.outcome === k)?.n ?? 0])),
  );
  if (batches.length > 0) {
    const {
      rows: [hi],
    } = await pool.query(
      `SELECT max(row_number) AS hi FROM import_outcomes WHERE import_id = $1 AND phase = 'import'`,
      [importId],
    );
    expect(
      batches[batches.length - 1].last_row,
      'I-3 the last batch reaches the last imported row',
    ).toBeGreaterThanOrEqual(hi.hi ?? 0);
  }
  return counts;
}

/** Phones held by two or more customers of which more than one was not force-created. */
export async function sharedPhones(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query(
    `WITH owners AS (
       SELECT DISTINCT p.phone, c.id,
              coalesce(bool_or(upper(trim(r.record->>'force_create')) = 'Y'), false) AS forced
         FROM customer_phones p JOIN customers c ON c.id = p.customer_id
         LEFT JOIN import_outcomes o ON o.customer_id = c.id AND o.outcome = 'created' AND o.import_id = c.import_id
         LEFT JOIN import_rows r ON r.import_id = o.import_id AND r.row_number = o.row_number
        GROUP BY p.phone, c.id)
     SELECT phone FROM owners GROUP BY phone HAVING count(*) FILTER (WHERE NOT forced) > 1 ORDER BY phone`,
  );
  return rows.map((r) => r.phone);
}

/** The sessions of one worker process still connected (a killed worker's vanish once PostgreSQL notices). */
export async function sessionsOf(
  pool: pg.Pool,
  appName: string,
): Promise<{ pid: number; state: string; wrote: boolean }[]> {
  const { rows } = await pool.query(
    `SELECT pid, state, backend_xid IS NOT NULL AS wrote FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()`,
    [appName],
  );
  return rows;
}

export interface BatchRun {
  firstRow: number;
  lastRow: number;
  /** Attempts Temporal made (the started event of a retried activity carries its last attempt). */
  attempts: number;
  outcome: 'completed' | 'failed' | 'timed_out' | 'cancelled' | 'pending';
}

/** Every activity of one type (importBatch by default) of an import's workflow (all its runs), its row range decoded, in order. */
export async function batchRuns(stack: Stack, workflowId: string, activity = 'importBatch'): Promise<BatchRun[]> {
  const codec = new AesGcmCodec(testCodecKeys);
  const out: BatchRun[] = [];
  const runs = await runHistories(stack.client, workflowId);
  runs.sort((a, b) => a.info.startTime.getTime() - b.info.startTime.getTime());
  for (const { history } of runs) {
    const byScheduled = new Map<string, BatchRun>();
    for (const e of history.events ?? []) {
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled?.activityType?.name === activity) {
        const [payload] = await codec.decode(scheduled.input?.payloads ?? []);
        const { firstRow, lastRow } = defaultPayloadConverter.fromPayload<{ firstRow: number; lastRow: number }>(
          payload,
        );
        const run: BatchRun = { firstRow, lastRow, attempts: 0, outcome: 'pending' };
        byScheduled.set(String(e.eventId), run);
        out.push(run);
      }
      const started = e.activityTaskStartedEventAttributes;
      if (started) {
        const run = byScheduled.get(String(started.scheduledEventId));
        if (run) run.attempts = started.attempt ?? 1;
      }
      for (const [attrs, outcome] of [
        [e.activityTaskCompletedEventAttributes, 'completed'],
        [e.activityTaskFailedEventAttributes, 'failed'],
        [e.activityTaskTimedOutEventAttributes, 'timed_out'],
        [e.activityTaskCanceledEventAttributes, 'cancelled'],
      ] as const) {
        const run = attrs && byScheduled.get(String(attrs.scheduledEventId));
        if (run) run.outcome = outcome;
      }
    }
  }
  return out;
}

/** The batch markers of an import with the transaction that wrote each (xmin): a marker rewritten by a retry would change it. */
export async function batchMarkers(
  pool: pg.Pool,
  id: number,
): Promise<{ first_row: number; last_row: number; xmin: string }[]> {
  const { rows } = await pool.query(
    `SELECT first_row, last_row, xmin::text AS xmin FROM import_batches WHERE import_id = $1 ORDER BY first_row`,
    [id],
  );
  return rows;
}

/**
 * The two stacks of a worker-kill scenario, started before the file's tests and closed after them:
 * `stack` has no in-process worker (the test starts worker processes and pushes them on `workers`,
 * all stopped at the end), `reference` runs the same file uninterrupted for the comparison.
 */
export function workerProcessStacks(workflowDefaults?: StackOptions['workflowDefaults']): {
  stack: Stack;
  reference: Stack;
  workers: ChildProcess[];
} {
  const run = { workers: [] as ChildProcess[] } as { stack: Stack; reference: Stack; workers: ChildProcess[] };
  beforeAll(async () => {
    [run.stack, run.reference] = await Promise.all([
      startStack({ worker: false, workflowDefaults }),
      startStack({ workflowDefaults }),
    ]);
  });
  afterAll(async () => {
    for (const w of run.workers) await stopProcess(w);
    await Promise.all([run.stack?.close(), run.reference?.close()]);
  });
  return run;
}
