import { fixSummary, type FixSummary } from '../db/queries/import-fixes';
import { listRecordOutcomes, type RecordOutcome, type RecordQuery } from '../db/queries/record-outcomes';
import type { ImportDeps } from './deps';
import { loadImport } from './load-import';

/** One page of what became of each record of an import. */
export async function recordOutcomes(
  deps: ImportDeps,
  importId: number,
  query: RecordQuery,
): Promise<{ items: RecordOutcome[]; total: number }> {
  await loadImport(deps.pool, importId);
  return listRecordOutcomes(deps.pool, importId, query);
}

/** What links an import to its corrections: the parent it fixes, and the follow-ups that fixed it. */
export async function followUpsOf(
  deps: ImportDeps,
  imp: { id: number; options: Record<string, unknown> },
): Promise<{ parentImportId: number | null; fixes: FixSummary }> {
  const parent = imp.options.parentImportId;
  return { parentImportId: typeof parent === 'number' ? parent : null, fixes: await fixSummary(deps.pool, imp.id) };
}
