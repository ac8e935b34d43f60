import { inTransaction } from '../db/queryable';
import { recordEvent } from '../db/queries/import-events';
import { lockExpiredImports, purgeImportRecords } from '../db/queries/retention';
import type { ImportDeps } from './deps';

export interface PurgeSummary {
  cutoff: string;
  imports: number;
  stagedRows: number;
  errorRecords: number;
}

/** Imports purged per transaction: bounds how long one transaction holds its locks. */
const IMPORTS_PER_TRANSACTION = 20;

/**
 * Retention: for imports that finished more than `retentionDays` ago, deletes the staged file and the
 * rejected records' values. Counts, outcomes, error reasons and the audit trail stay, so what an
 * import did can still be told; rollback is refused afterwards (it could no longer be checked).
 * Idempotent: a purged import is never selected again.
 */
export async function purgeExpiredImports(
  deps: ImportDeps,
  retentionDays: number,
  onProgress: (done: number) => void = () => {},
): Promise<PurgeSummary> {
  const cutoff = new Date(deps.clock.now().getTime() - retentionDays * 86_400_000);
  const summary: PurgeSummary = { cutoff: cutoff.toISOString(), imports: 0, stagedRows: 0, errorRecords: 0 };
  for (;;) {
    const purged = await inTransaction(deps.pool, async (client) => {
      const ids = await lockExpiredImports(client, cutoff, IMPORTS_PER_TRANSACTION);
      if (ids.length === 0) return null;
      const counts = await purgeImportRecords(client, ids);
      for (const id of ids) await recordEvent(client, id, 'purged', 'retention', { retentionDays });
      return { imports: ids.length, ...counts };
    });
    if (!purged) return summary;
    summary.imports += purged.imports;
    summary.stagedRows += purged.stagedRows;
    summary.errorRecords += purged.errorRecords;
    onProgress(summary.imports);
  }
}
