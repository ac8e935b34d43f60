import { inTransaction } from '../db/queryable';
import { markRolledBack, refreshCounts } from '../db/queries/imports';
import { undoImportWrites } from '../db/queries/rollback';
import { CUSTOMER_WRITE_LOCK, type ImportDeps } from './deps';
import { loadImport } from './load-import';

/** Undoes an import in one transaction, under the write lock so no batch of it can interleave. */
export async function rollbackImport(deps: ImportDeps, importId: number): Promise<{ customersRemoved: number; relationsRestored: number }> {
  await loadImport(deps.pool, importId);
  return inTransaction(deps.pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [CUSTOMER_WRITE_LOCK]);
    const result = await undoImportWrites(client, importId);
    await refreshCounts(client, importId);
    await markRolledBack(client, importId);
    return result;
  });
}
