import type { Queryable } from '../queryable';
import { TERMINAL_STATUSES } from '../../vocabulary';

/**
 * Finished imports past the cutoff that still hold records, locked for this transaction; a second
 * purge running at the same time skips them instead of waiting.
 */
export async function lockExpiredImports(db: Queryable, finishedBefore: Date, limit: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT id::int FROM imports
     WHERE status = ANY($1::text[]) AND finished_at < $2 AND purged_at IS NULL
     ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED`,
    [TERMINAL_STATUSES, finishedBefore, limit],
  );
  return rows.map((r) => r.id);
}

/** Removes the staged file and the rejected records' values; row numbers and reasons stay. */
export async function purgeImportRecords(
  db: Queryable,
  importIds: number[],
): Promise<{ stagedRows: number; errorRecords: number }> {
  const staged = await db.query(`DELETE FROM import_rows WHERE import_id = ANY($1::bigint[])`, [importIds]);
  const errors = await db.query(
    `UPDATE import_errors SET record = '{}'::jsonb WHERE import_id = ANY($1::bigint[]) AND record <> '{}'::jsonb`,
    [importIds],
  );
  await db.query(`UPDATE imports SET purged_at = now(), updated_at = now() WHERE id = ANY($1::bigint[])`, [importIds]);
  return { stagedRows: staged.rowCount ?? 0, errorRecords: errors.rowCount ?? 0 };
}
