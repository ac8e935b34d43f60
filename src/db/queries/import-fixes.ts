import type { Queryable } from '../queryable';

/** Columns a follow-up file may carry besides the source's: the error report's own. */
export const FOLLOW_UP_COLUMNS = ['row_number', 'line_number', 'errors'] as const;

/** A follow-up's record that names no rejected record of the parent, or names one twice. */
export interface UnfixableRecord {
  rowNumber: number;
  parentRow: string;
  problem: 'not_rejected' | 'given_twice';
}

/**
 * A fix counts once its follow-up completed with the record not rejected again; a follow-up still
 * on its way holds its records too. A rolled-back, failed or dry-run follow-up holds nothing.
 */
const HOLDING = `i.status NOT IN ('rolled_back', 'failed', 'expired', 'validated') AND fo.outcome IS DISTINCT FROM 'rejected'`;

/** Serialises follow-ups of one parent, so two submits of the same corrections cannot both pass the check. */
export async function lockParent(db: Queryable, parentId: number): Promise<{ status: string; source: string } | null> {
  const { rows } = await db.query<{ status: string; source: string }>(
    `SELECT status, source FROM imports WHERE id = $1 FOR UPDATE`,
    [parentId],
  );
  return rows[0] ?? null;
}

/** The staged records of a follow-up whose row_number is not a rejected record of the parent, or repeats one. */
export async function unfixableRecords(
  db: Queryable,
  importId: number,
  parentId: number,
  limit: number,
): Promise<UnfixableRecord[]> {
  const { rows } = await db.query<UnfixableRecord>(
    `WITH staged AS (
       SELECT r.row_number, trim(coalesce(r.record->>'row_number', '')) AS parent_row FROM import_rows r WHERE r.import_id = $1
     ), numbered AS (
       SELECT row_number, parent_row, CASE WHEN parent_row ~ '^[0-9]{1,9}$' THEN parent_row::int END AS parent_number,
              count(*) OVER (PARTITION BY parent_row) AS times, row_number() OVER (PARTITION BY parent_row ORDER BY row_number) AS nth
         FROM staged
     )
     SELECT row_number AS "rowNumber", parent_row AS "parentRow",
            CASE WHEN times > 1 AND nth > 1 AND parent_number IS NOT NULL AND EXISTS (SELECT 1 FROM import_errors e WHERE e.import_id = $2 AND e.row_number = parent_number)
                 THEN 'given_twice' ELSE 'not_rejected' END AS problem
       FROM numbered n
      WHERE parent_number IS NULL OR nth > 1
         OR NOT EXISTS (SELECT 1 FROM import_errors e WHERE e.import_id = $2 AND e.row_number = n.parent_number)
      ORDER BY row_number LIMIT $3`,
    [importId, parentId, limit],
  );
  return rows;
}

/** Parent rows this follow-up would correct that another follow-up already corrected or is correcting. */
export async function alreadyFixed(
  db: Queryable,
  importId: number,
  parentId: number,
  limit: number,
): Promise<{ rowNumber: number; parentRowNumber: number; byImportId: number }[]> {
  const { rows } = await db.query<{ rowNumber: number; parentRowNumber: number; byImportId: number }>(
    `SELECT r.row_number AS "rowNumber", f.parent_row_number AS "parentRowNumber", f.import_id::int AS "byImportId"
       FROM import_rows r
       JOIN import_fixes f ON f.parent_import_id = $2 AND f.parent_row_number = (r.record->>'row_number')::int AND f.import_id <> $1
       JOIN imports i ON i.id = f.import_id
       LEFT JOIN import_outcomes fo ON fo.import_id = f.import_id AND fo.row_number = f.row_number
      WHERE r.import_id = $1 AND ${HOLDING}
      ORDER BY r.row_number LIMIT $3`,
    [importId, parentId, limit],
  );
  return rows;
}

/** Links each staged record to the parent's record it corrects, then drops the report's columns from it. */
export async function linkFixes(db: Queryable, importId: number, parentId: number): Promise<void> {
  await db.query(
    `INSERT INTO import_fixes (import_id, row_number, parent_import_id, parent_row_number)
     SELECT import_id, row_number, $2, trim(record->>'row_number')::int FROM import_rows WHERE import_id = $1`,
    [importId, parentId],
  );
  await db.query(`UPDATE import_rows SET record = record - $2::text[] WHERE import_id = $1`, [
    importId,
    FOLLOW_UP_COLUMNS,
  ]);
}

export interface FixSummary {
  /** Rejected records of this import that a completed follow-up turned into another outcome. */
  fixed: number;
  followUps: { id: number; status: string; records: number; fixed: number }[];
}

/** How many of an import's rejected records were fixed later, and by which imports. */
export async function fixSummary(db: Queryable, parentId: number): Promise<FixSummary> {
  const { rows } = await db.query<{ id: number; status: string; records: number; fixed: number }>(
    `SELECT f.import_id::int AS id, i.status, count(*)::int AS records,
            count(*) FILTER (WHERE i.status = 'completed' AND fo.outcome IS NOT NULL AND fo.outcome <> 'rejected')::int AS fixed
       FROM import_fixes f JOIN imports i ON i.id = f.import_id
       LEFT JOIN import_outcomes fo ON fo.import_id = f.import_id AND fo.row_number = f.row_number
      WHERE f.parent_import_id = $1
      GROUP BY f.import_id, i.status ORDER BY f.import_id`,
    [parentId],
  );
  return { fixed: rows.reduce((n, r) => n + r.fixed, 0), followUps: rows };
}
