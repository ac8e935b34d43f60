import type { RowError } from '../../domain/row-error';
import type { Queryable } from '../queryable';
import type { Outcome } from './ledger';

export interface RecordOutcome {
  rowNumber: number;
  outcome: Outcome;
  /** A rejected record's errors, or the earlier transaction a skipped points or purchase line matched. */
  reasons: RowError[];
  customerId: number | null;
  /** For a rejected record: the follow-up import and its record that corrected it. */
  fixedBy: { importId: number; rowNumber: number } | null;
}

export interface RecordQuery {
  outcome?: Outcome;
  /** A row number, or a value a record holds exactly (its legacy id, say). */
  q?: string;
  page: number;
  pageSize: number;
}

/**
 * The search reads the staged record, then the rejected one, so it finds a legacy id of any source
 * without naming the source's column; after retention only the rejected records keep their values.
 */
const FILTER = `
  o.import_id = $1 AND ($2::text IS NULL OR o.outcome = $2)
  AND ($3::text IS NULL
    OR o.row_number::text = $3
    OR EXISTS (SELECT 1 FROM import_rows r, jsonb_each_text(r.record) kv WHERE r.import_id = o.import_id AND r.row_number = o.row_number AND kv.value = $3)
    OR EXISTS (SELECT 1 FROM jsonb_each_text(e.record) kv WHERE kv.value = $3))`;

/** Names the earlier import (and its row, once occurrences were counted) by ids only, never by the line's values. */
const REASONS = `coalesce(e.errors, CASE WHEN o.matched_import_id IS NOT NULL THEN jsonb_build_array(jsonb_build_object(
    'field', 'record', 'code', 'SAME_TRANSACTION',
    'message', 'the same transaction as ' || coalesce('row ' || o.matched_row_number || ' of ', 'a row of ') || 'import ' || o.matched_import_id)) END, '[]'::jsonb)`;

/** One page of a import's records in row order, each with its outcome, reasons and customer. */
export async function listRecordOutcomes(
  db: Queryable,
  importId: number,
  query: RecordQuery,
): Promise<{ items: RecordOutcome[]; total: number }> {
  const params = [importId, query.outcome ?? null, query.q?.trim() || null];
  const from = `FROM import_outcomes o LEFT JOIN import_errors e ON e.import_id = o.import_id AND e.row_number = o.row_number WHERE ${FILTER}`;
  const [items, count] = await Promise.all([
    db.query<RecordOutcome>(
      `SELECT o.row_number AS "rowNumber", o.outcome, o.customer_id::float8 AS "customerId", ${REASONS} AS reasons,
         (SELECT jsonb_build_object('importId', f.import_id, 'rowNumber', f.row_number)
            FROM import_fixes f JOIN imports i ON i.id = f.import_id JOIN import_outcomes fo ON fo.import_id = f.import_id AND fo.row_number = f.row_number
           WHERE f.parent_import_id = o.import_id AND f.parent_row_number = o.row_number AND i.status = 'completed' AND fo.outcome <> 'rejected'
           LIMIT 1) AS "fixedBy"
       ${from} ORDER BY o.row_number LIMIT $4 OFFSET $5`,
      [...params, query.pageSize, (query.page - 1) * query.pageSize],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n ${from}`, params),
  ]);
  return { items: items.rows, total: count.rows[0].n };
}
