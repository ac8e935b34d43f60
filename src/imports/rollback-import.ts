import { inTransaction } from '../db/queryable';
import { recordEvent } from '../db/queries/import-events';
import { forcePhase, markRolledBack, refreshCounts } from '../db/queries/imports';
import { mergesOfImportCustomers } from '../db/queries/merges';
import { previewImportMergeUndos, undoImportMerges } from '../dedupe/undo-import-merges';
import { FerryError } from '../errors';
import {
  previewRollback,
  recordKeptCustomers,
  refreshRollbackStatistics,
  rollbackSteps,
  saveRollbackReport,
  type RollbackPreview,
} from '../db/queries/rollback';
import { CUSTOMER_WRITE_LOCK, type ImportDeps } from './deps';
import { loadImport } from './load-import';

export const ROLLBACK_CHUNK = 20_000;

export interface RollbackRequest {
  /** Also remove what later work built on this import's customers. */
  force?: boolean;
  /** The status the import ends in: `rolled_back`, or `expired` when an approval never came. */
  finalStatus?: 'rolled_back' | 'expired';
  actor?: string;
}

/** What a rollback would do now, stored with the import so the admin sees what they approved. */
export async function rollbackPreview(deps: ImportDeps, importId: number, force = false): Promise<RollbackPreview> {
  await loadImport(deps.pool, importId);
  await refreshRollbackStatistics(deps.pool);
  const merges = (await previewImportMergeUndos(deps.pool, importId)).map((u) => ({
    mergeId: u.mergeId,
    keepsLaterWork: u.keepsLaterWork,
  }));
  const preview = { ...(await previewRollback(deps.pool, importId, force)), ...(merges.length > 0 ? { merges } : {}) };
  const { imp } = await loadImport(deps.pool, importId);
  await saveRollbackReport(deps.pool, importId, {
    ...(imp.rollbackReport ?? {}),
    preview,
    previewedAt: deps.clock.now().toISOString(),
  });
  return preview;
}

/**
 * Undoes an import in chunks, each its own transaction under the write lock, so a million-record
 * import rolls back with bounded transactions and a crash resumes where it stopped. Customers that
 * later work uses are kept (and reported) unless `force` is given.
 */
export async function rollbackImport(
  deps: ImportDeps,
  importId: number,
  req: RollbackRequest,
  onChunk: (step: string) => void = () => {},
  chunkRows = ROLLBACK_CHUNK,
): Promise<RollbackPreview> {
  const { imp } = await loadImport(deps.pool, importId);
  await refreshRollbackStatistics(deps.pool);
  const force = req.force ?? false;
  // A rollback cut off half-way resumes with the plan it started with; a finished one plans afresh.
  const resuming =
    imp.rollbackReport?.started && !imp.rollbackReport?.finishedAt
      ? (imp.rollbackReport.started as RollbackPreview)
      : null;
  // Merges of the import's customers are undone first, so that nothing is removed under them.
  const undoneMerges = resuming ? [] : await undoImportMerges(deps.pool, importId);
  // The plan counts the kept set it records, under the same lock, so the two cannot disagree.
  const preview =
    resuming ??
    (await inTransaction(deps.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [CUSTOMER_WRITE_LOCK]);
      // A merge that completed between the undos and this lock: the activity's retry undoes it too.
      if ((await mergesOfImportCustomers(client, importId)).length > 0)
        throw new FerryError(
          'MERGED_SINCE',
          `import ${importId}: a customer it created was merged meanwhile; try again`,
          503,
        );
      await recordKeptCustomers(client, importId, force);
      const plan = {
        ...(await previewRollback(client, importId, force, 'recorded')),
        ...(undoneMerges.length > 0
          ? { merges: undoneMerges.map((u) => ({ mergeId: u.mergeId, keepsLaterWork: u.keepsLaterWork })) }
          : {}),
      };
      await saveRollbackReport(client, importId, {
        preview: imp.rollbackReport?.preview,
        started: plan,
        startedAt: deps.clock.now().toISOString(),
      });
      await forcePhase(client, importId, 'rolling_back', 'rolling_back');
      return plan;
    }));
  for (const step of rollbackSteps(preview.force)) {
    for (let n = Infinity; n > 0; onChunk(step.name)) {
      n = await inTransaction(deps.pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [CUSTOMER_WRITE_LOCK]);
        return step.run(client, importId, chunkRows);
      });
    }
  }
  await inTransaction(deps.pool, async (client) => {
    await refreshCounts(client, importId);
    const { imp: latest } = await loadImport(client, importId);
    await saveRollbackReport(client, importId, {
      ...(latest.rollbackReport ?? {}),
      result: preview,
      finishedAt: deps.clock.now().toISOString(),
    });
    await markRolledBack(client, importId, req.finalStatus ?? 'rolled_back');
    await recordEvent(
      client,
      importId,
      req.finalStatus === 'expired' ? 'expired' : 'rolled_back',
      req.actor ?? 'ferry',
      { kept: preview.keep.customers, force: preview.force },
    );
  });
  return preview;
}
