import type { RowRange } from '../../domain/row-ranges';
import type { Queryable } from '../queryable';

/** Records what the checks of a committed range found; a retried check replaces its first answer. */
export async function recordRangeCheck(
  db: Queryable,
  importId: number,
  range: RowRange,
  found: Record<string, number>,
): Promise<void> {
  await db.query(
    `INSERT INTO import_range_checks (import_id, first_row, last_row, found) VALUES ($1, $2, $3, $4)
     ON CONFLICT (import_id, first_row) DO UPDATE SET last_row = excluded.last_row, found = excluded.found, checked_at = now()`,
    [importId, range.firstRow, range.lastRow, JSON.stringify(found)],
  );
}

/** The ranges whose every check found nothing. */
export async function cleanRanges(db: Queryable, importId: number): Promise<RowRange[]> {
  const { rows } = await db.query<RowRange>(
    `SELECT first_row AS "firstRow", last_row AS "lastRow" FROM import_range_checks c
     WHERE import_id = $1 AND NOT EXISTS (SELECT 1 FROM jsonb_each_text(c.found) f WHERE f.value::numeric <> 0)
     ORDER BY first_row`,
    [importId],
  );
  return rows;
}
