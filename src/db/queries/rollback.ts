import type { Queryable } from '../queryable';

/**
 * Removes everything an import wrote and restores what it changed. Every statement is keyed on
 * the import id, so running it twice is the same as once. Validation's findings are kept.
 */
export async function undoImportWrites(db: Queryable, importId: number): Promise<{ customersRemoved: number; relationsRestored: number }> {
  for (const table of ['customer_phones', 'customer_emails', 'customer_companies', 'customer_relations', 'sync_history']) {
    await db.query(`DELETE FROM ${table} WHERE import_id = $1`, [importId]);
  }
  const restored = await db.query(
    `UPDATE customer_relations SET active = true, deactivated_by_import_id = NULL, deactivated_at = NULL WHERE deactivated_by_import_id = $1`,
    [importId],
  );
  const removed = await db.query(`DELETE FROM customers WHERE import_id = $1`, [importId]);
  await db.query(`DELETE FROM import_outcomes WHERE import_id = $1 AND phase = 'import'`, [importId]);
  await db.query(`DELETE FROM import_errors WHERE import_id = $1 AND phase = 'import'`, [importId]);
  await db.query(`DELETE FROM import_batches WHERE import_id = $1`, [importId]);
  return { customersRemoved: removed.rowCount ?? 0, relationsRestored: restored.rowCount ?? 0 };
}
