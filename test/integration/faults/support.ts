import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'vitest';
import type pg from 'pg';
import type { Stack } from '../../support/stack';

/** A worker in its own process (`npm run worker`), its database sessions named `appName`. */
export function startWorkerProcess(stack: Stack, appName = 'ferry-fault-worker', temporalAddress = stack.temporalAddress): ChildProcess {
  const url = new URL(stack.databaseUrl);
  url.searchParams.set('application_name', appName);
  return spawn(process.execPath, ['--import', 'tsx', 'src/main/worker.ts'], {
    env: { ...process.env, DATABASE_URL: url.toString(), TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_TASK_QUEUE: stack.taskQueue, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
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
export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000, everyMs = 50): Promise<T> {
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
  const { rows: [imp] } = await pool.query(`SELECT * FROM imports WHERE id = $1`, [importId]);
  const counts = Object.fromEntries(OUTCOMES.map((k) => [k, Number(imp[k])]));
  const total = Number(imp.total);

  // I-1
  const { rows: [ledger] } = await pool.query(
    `SELECT count(*)::int AS n, count(DISTINCT row_number)::int AS distinct_rows, min(row_number) AS lo, max(row_number) AS hi FROM import_outcomes WHERE import_id = $1`,
    [importId],
  );
  expect(OUTCOMES.reduce((s, k) => s + counts[k], 0), 'I-1 counts add up to the records').toBe(total);
  expect(ledger, 'I-1 one outcome per record').toEqual({ n: total, distinct_rows: total, lo: total ? 1 : null, hi: total || null });
  const { rows: byOutcome } = await pool.query(`SELECT outcome, count(*)::int AS n FROM import_outcomes WHERE import_id = $1 GROUP BY outcome`, [importId]);
  expect(Object.fromEntries(OUTCOMES.map((k) => [k, byOutcome.find((r) => r.outcome === k)?.n ?? 0])), 'I-1 counters equal the ledger').toEqual(counts);
  const { rows: [staged] } = await pool.query(`SELECT count(*)::int AS n FROM import_rows WHERE import_id = $1`, [importId]);
  expect(staged.n, 'I-1 the staged file has as many records as the total').toBe(total);

  // I-2
  const { rows: [created] } = await pool.query(
    `SELECT (SELECT count(*)::int FROM customers WHERE import_id = $1) AS customers,
            (SELECT count(DISTINCT customer_id)::int FROM import_outcomes WHERE import_id = $1 AND outcome = 'created') AS outcome_customers,
            (SELECT count(*)::int FROM import_outcomes o JOIN customers c ON c.id = o.customer_id AND c.import_id = o.import_id WHERE o.import_id = $1 AND o.outcome = 'created') AS linked_back`,
    [importId],
  );
  expect(created, 'I-2 customers created by the import = created outcomes').toEqual({ customers: counts.created, outcome_customers: counts.created, linked_back: counts.created });
  expect(await sharedPhones(pool), 'I-2 no phone shared by two customers unless forced').toEqual([]);
  const { rows: relDupes } = await pool.query(`SELECT source, original_id FROM customer_relations WHERE active GROUP BY 1, 2 HAVING count(*) > 1`);
  expect(relDupes, 'I-2 one active customer per legacy id').toEqual([]);

  // I-3
  const { rows: batches } = await pool.query(
    `SELECT b.first_row, b.last_row, b.counts, count(o.row_number)::int AS outcomes
       FROM import_batches b LEFT JOIN import_outcomes o ON o.import_id = b.import_id AND o.row_number BETWEEN b.first_row AND b.last_row
      WHERE b.import_id = $1 GROUP BY b.first_row, b.last_row, b.counts ORDER BY b.first_row`,
    [importId],
  );
  for (const b of batches) expect(b.outcomes, `I-3 batch ${b.first_row}-${b.last_row} has all its outcomes`).toBe(b.last_row - b.first_row + 1);
  for (let i = 1; i < batches.length; i++) expect(batches[i].first_row, 'I-3 batches do not overlap').toBeGreaterThan(batches[i - 1].last_row);
  const { rows: [stray] } = await pool.query(
    `SELECT count(*)::int AS n, max(row_number) AS hi FROM import_outcomes o WHERE o.import_id = $1 AND o.phase = 'import'
        AND NOT EXISTS (SELECT 1 FROM import_batches b WHERE b.import_id = o.import_id AND o.row_number BETWEEN b.first_row AND b.last_row)`,
    [importId],
  );
  expect(stray.n, 'I-3 no imported outcome outside a committed batch').toBe(0);
  const { rows: importPhase } = await pool.query(`SELECT outcome, count(*)::int AS n FROM import_outcomes WHERE import_id = $1 AND phase = 'import' GROUP BY outcome`, [importId]);
  const fromBatches = Object.fromEntries(OUTCOMES.map((k) => [k, batches.reduce((s, b) => s + Number(b.counts?.[k] ?? 0), 0)]));
  expect(fromBatches, 'I-3 batch counts equal the ledger').toEqual(Object.fromEntries(OUTCOMES.map((k) => [k, importPhase.find((r) => r.outcome === k)?.n ?? 0])));
  if (batches.length > 0) {
    const { rows: [hi] } = await pool.query(`SELECT max(row_number) AS hi FROM import_outcomes WHERE import_id = $1 AND phase = 'import'`, [importId]);
    expect(batches[batches.length - 1].last_row, 'I-3 the last batch reaches the last imported row').toBeGreaterThanOrEqual(hi.hi ?? 0);
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
