import type { RowError } from '../../domain/row-error';
import type pg from 'pg';
import { pgArray } from '../array-literal';
import { copyRows } from '../copy-rows';
import type { Queryable } from '../queryable';

export type Outcome = 'created' | 'linked' | 'updated' | 'skipped' | 'rejected';
export type LedgerPhase = 'validate' | 'import';

/** A points or purchase line's identity (see import_outcomes.content_hash), and what a skipped one matched. */
export interface LineIdentity {
  contentHash: string;
  occurrence: number;
  matchedImportId?: number | null;
  matchedRowNumber?: number | null;
}

export interface RejectedRow {
  rowNumber: number;
  lineNumber: number;
  record: Record<string, string>;
  errors: RowError[];
  identity?: LineIdentity;
}

export interface OutcomeWrite {
  rowNumber: number;
  outcome: Outcome;
  customerId: number | null;
  identity?: LineIdentity;
}

/**
 * How a write reaches the ledger. A validation chunk may run again (it keeps no marker), so its
 * rows may be there already: it `upsert`s, with ON CONFLICT DO NOTHING. A batch's rows never are:
 * its marker commits with them and is looked up first under the write lock, and rollback deletes
 * the rows before the markers. A batch `append`s them by COPY (10,000 outcomes: 0.67x the time of
 * the upsert as a plain insert, and COPY less again), and a conflict, a bug, fails the batch.
 */
export type LedgerWrite = 'append' | 'upsert';

/** The import phase's rows come only from batches; validation's from its chunks, or from a batch past the checked prefix. */
const writeOf = (phase: LedgerPhase): LedgerWrite => (phase === 'import' ? 'append' : 'upsert');

export async function insertRejections(
  client: pg.PoolClient,
  importId: number,
  phase: LedgerPhase,
  rows: RejectedRow[],
  write: LedgerWrite = writeOf(phase),
): Promise<void> {
  if (rows.length === 0) return;
  if (write === 'append') {
    await copyRows(client, 'import_errors (import_id, row_number, line_number, record, errors, phase)', rows, [
      () => importId,
      (r) => r.rowNumber,
      (r) => r.lineNumber,
      (r) => JSON.stringify(r.record),
      (r) => JSON.stringify(r.errors),
      () => phase,
    ]);
  } else {
    await client.query(
      `INSERT INTO import_errors (import_id, row_number, line_number, record, errors, phase)
       SELECT $1, r, l, rec, errs, $2 FROM unnest($3::int[], $4::int[], $5::jsonb[], $6::jsonb[]) AS u(r, l, rec, errs)
       ON CONFLICT DO NOTHING`,
      [
        importId,
        phase,
        pgArray(rows, (r) => r.rowNumber),
        pgArray(rows, (r) => r.lineNumber),
        pgArray(rows, (r) => JSON.stringify(r.record)),
        pgArray(rows, (r) => JSON.stringify(r.errors)),
      ],
    );
  }
  await insertOutcomes(
    client,
    importId,
    phase,
    rows.map((r) => ({ rowNumber: r.rowNumber, outcome: 'rejected' as const, customerId: null, identity: r.identity })),
    write,
  );
}

/** The outcome of each row (see insertRejections for the two phases' inserts). */
export async function insertOutcomes(
  client: pg.PoolClient,
  importId: number,
  phase: LedgerPhase,
  rows: OutcomeWrite[],
  write: LedgerWrite = writeOf(phase),
): Promise<void> {
  if (rows.length === 0) return;
  if (write === 'append' && rows.some((r) => r.identity)) {
    // Only ledger lines carry an identity, and only their batches write them.
    await copyRows(
      client,
      'import_outcomes (import_id, row_number, outcome, customer_id, phase, content_hash, occurrence, matched_import_id, matched_row_number)',
      rows,
      [
        () => importId,
        (r) => r.rowNumber,
        (r) => r.outcome,
        (r) => r.customerId,
        () => phase,
        (r) => r.identity?.contentHash ?? null,
        (r) => r.identity?.occurrence ?? null,
        (r) => r.identity?.matchedImportId ?? null,
        (r) => r.identity?.matchedRowNumber ?? null,
      ],
    );
    return;
  }
  if (write === 'append') {
    await copyRows(client, 'import_outcomes (import_id, row_number, outcome, customer_id, phase)', rows, [
      () => importId,
      (r) => r.rowNumber,
      (r) => r.outcome,
      (r) => r.customerId,
      () => phase,
    ]);
    return;
  }
  await client.query(
    `INSERT INTO import_outcomes (import_id, row_number, outcome, customer_id, phase)
     SELECT $1, r, o, c, $2 FROM unnest($3::int[], $4::text[], $5::bigint[]) AS u(r, o, c)
     ON CONFLICT DO NOTHING`,
    [
      importId,
      phase,
      pgArray(rows, (r) => r.rowNumber),
      pgArray(rows, (r) => r.outcome),
      pgArray(rows, (r) => r.customerId),
    ],
  );
}

/** Row numbers in the range that validation already rejected. */
export async function rejectedAtValidation(
  db: Queryable,
  importId: number,
  firstRow: number,
  lastRow: number,
): Promise<Set<number>> {
  const { rows } = await db.query<{ r: number }>(
    `SELECT row_number AS r FROM import_outcomes WHERE import_id = $1 AND phase = 'validate' AND row_number BETWEEN $2 AND $3`,
    [importId, firstRow, lastRow],
  );
  return new Set(rows.map((x) => x.r));
}

export async function findBatch(
  db: Queryable,
  importId: number,
  firstRow: number,
): Promise<{ lastRow: number; counts: Record<string, number> } | null> {
  const { rows } = await db.query<{ lastRow: number; counts: Record<string, number> }>(
    `SELECT last_row AS "lastRow", counts FROM import_batches WHERE import_id = $1 AND first_row = $2`,
    [importId, firstRow],
  );
  return rows[0] ?? null;
}

export async function insertBatch(
  db: Queryable,
  importId: number,
  firstRow: number,
  lastRow: number,
  counts: Record<string, number>,
): Promise<void> {
  await db.query(`INSERT INTO import_batches (import_id, first_row, last_row, counts) VALUES ($1, $2, $3, $4)`, [
    importId,
    firstRow,
    lastRow,
    JSON.stringify(counts),
  ]);
}

export async function countOutcomes(
  db: Queryable,
  importId: number,
): Promise<{ outcome: Outcome; phase: LedgerPhase; n: number }[]> {
  const { rows } = await db.query<{ outcome: Outcome; phase: LedgerPhase; n: number }>(
    `SELECT outcome, phase, count(*)::int AS n FROM import_outcomes WHERE import_id = $1 GROUP BY outcome, phase`,
    [importId],
  );
  return rows;
}

export interface ErrorPage {
  rowNumber: number;
  lineNumber: number;
  record: Record<string, string>;
  errors: RowError[];
}

export async function listErrors(
  db: Queryable,
  importId: number,
  page: number,
  pageSize: number,
): Promise<{ items: ErrorPage[]; total: number }> {
  const [items, count] = await Promise.all([
    db.query<ErrorPage>(
      `SELECT row_number AS "rowNumber", line_number AS "lineNumber", record, errors FROM import_errors
       WHERE import_id = $1 ORDER BY row_number LIMIT $2 OFFSET $3`,
      [importId, pageSize, (page - 1) * pageSize],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM import_errors WHERE import_id = $1`, [importId]),
  ]);
  return { items: items.rows, total: count.rows[0].n };
}

/** Error rows after a row number, for streaming the CSV report in keyset pages. */
export async function errorsAfter(
  db: Queryable,
  importId: number,
  afterRow: number,
  limit: number,
): Promise<ErrorPage[]> {
  const { rows } = await db.query<ErrorPage>(
    `SELECT row_number AS "rowNumber", line_number AS "lineNumber", record, errors FROM import_errors
     WHERE import_id = $1 AND row_number > $2 ORDER BY row_number LIMIT $3`,
    [importId, afterRow, limit],
  );
  return rows;
}
