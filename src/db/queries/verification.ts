import type { Queryable } from '../queryable';
import type { Outcome } from './ledger';
import { LAST_POSSIBLE_ROW, type RowRange } from '../../domain/row-ranges';

/**
 * Staged records with no outcome, and outcomes with no staged record, in a row range (all rows by
 * default): both must be zero. One full join of the two row-number lists, which PostgreSQL can only
 * run as a hash or merge join: two anti-joins get planned as an index probe per record.
 */
export async function ledgerGaps(
  db: Queryable,
  importId: number,
  range: RowRange = { firstRow: 1, lastRow: LAST_POSSIBLE_ROW },
): Promise<{ withoutOutcome: number; withoutRow: number }> {
  const { rows } = await db.query<{ withoutOutcome: number; withoutRow: number }>(
    `SELECT count(*) FILTER (WHERE o.row_number IS NULL)::int AS "withoutOutcome", count(*) FILTER (WHERE r.row_number IS NULL)::int AS "withoutRow"
     FROM (SELECT row_number FROM import_rows WHERE import_id = $1 AND row_number BETWEEN $2 AND $3) r
     FULL JOIN (SELECT row_number FROM import_outcomes WHERE import_id = $1 AND row_number BETWEEN $2 AND $3) o
       ON o.row_number = r.row_number`,
    [importId, range.firstRow, range.lastRow],
  );
  return rows[0];
}

export async function countCustomersCreatedBy(db: Queryable, importId: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM customers WHERE import_id = $1`, [
    importId,
  ]);
  return rows[0].n;
}

/**
 * Legacy ids of imported records in a row range (comma-separated in the staged record) that do not
 * point at the record's customer, unless a later record of the same import moved them on. One index
 * probe per id, CPU-bound on the server: callers split a large import into ranges run side by side.
 */
export async function countMissingLinks(
  db: Queryable,
  importId: number,
  source: string,
  idColumn: string,
  range: { firstRow: number; lastRow: number },
): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n
     FROM import_outcomes o
     JOIN import_rows r ON r.import_id = o.import_id AND r.row_number = o.row_number
     CROSS JOIN LATERAL (SELECT DISTINCT trim(x) AS original_id FROM unnest(string_to_array(r.record->>$3, ',')) AS x) ids
     LEFT JOIN customer_relations cr ON cr.source = $2 AND cr.active AND cr.original_id = ids.original_id
     WHERE o.import_id = $1 AND o.phase = 'import' AND o.outcome IN ('created', 'linked', 'updated', 'skipped') AND ids.original_id <> ''
       AND cr.customer_id IS DISTINCT FROM o.customer_id
       -- coalesce: with no relation at all (cr all null) the id is missing, not moved on.
       AND NOT coalesce(cr.import_id = o.import_id AND cr.row_number > o.row_number, false)
       AND o.row_number BETWEEN $4 AND $5`,
    [importId, source, idColumn, range.firstRow, range.lastRow],
  );
  return rows[0].n;
}

export interface OutcomeRow {
  rowNumber: number;
  outcome: Outcome;
  customerId: number;
}

/** Imported (not rejected) outcomes in a row range. */
export async function importedOutcomes(
  db: Queryable,
  importId: number,
  firstRow: number,
  lastRow: number,
): Promise<OutcomeRow[]> {
  const { rows } = await db.query<OutcomeRow>(
    `SELECT row_number AS "rowNumber", outcome, customer_id::float8 AS "customerId" FROM import_outcomes
     WHERE import_id = $1 AND phase = 'import' AND outcome <> 'rejected' AND row_number BETWEEN $2 AND $3 ORDER BY row_number`,
    [importId, firstRow, lastRow],
  );
  return rows;
}

/** A uniform random sample of imported outcomes. */
export async function sampleImportedOutcomes(db: Queryable, importId: number, size: number): Promise<OutcomeRow[]> {
  const { rows } = await db.query<OutcomeRow>(
    `SELECT row_number AS "rowNumber", outcome, customer_id::float8 AS "customerId" FROM import_outcomes
     WHERE import_id = $1 AND phase = 'import' AND outcome <> 'rejected' ORDER BY random() LIMIT $2`,
    [importId, size],
  );
  return rows;
}
