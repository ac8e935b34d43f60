import { inTransaction } from '../db/queryable';
import { refreshCounts, setValidCount } from '../db/queries/imports';
import { countOutcomes, insertRejections, type RejectedRow } from '../db/queries/ledger';
import { readStagedRows } from '../db/queries/staged-rows';
import { checkStagedRow } from '../domain/check-staged-row';
import type { ImportDeps } from './deps';
import { loadImport } from './load-import';
import { validationContext } from './validation-context';

export const VALIDATION_CHUNK = 10_000;

export interface ValidationSummary {
  total: number;
  valid: number;
  rejected: number;
}

/**
 * Checks every staged record against its source's rules and records each invalid one with every
 * reason. Chunks commit on their own and are idempotent, so a retry may resume from any chunk.
 */
export async function validateImport(deps: ImportDeps, importId: number, fromRow: number, onChunk: (nextRow: number) => void): Promise<ValidationSummary> {
  const { imp, source } = await loadImport(deps.pool, importId);
  // Only pass or fail matters here: no content digests (the batches compute them).
  const ctx = { ...validationContext(deps), digests: false };
  const read = (first: number) => (first <= imp.total ? readStagedRows(deps.pool, importId, first, first + VALIDATION_CHUNK - 1) : null);
  let next = read(fromRow);
  for (let first = fromRow; first <= imp.total; first += VALIDATION_CHUNK) {
    const rows = await next!;
    // PostgreSQL reads the next chunk while this one is checked.
    next = read(first + VALIDATION_CHUNK);
    next?.catch(() => undefined);
    const rejected: RejectedRow[] = [];
    for (const row of rows) {
      const result = checkStagedRow(source, row.record, row.problems, ctx);
      if (!result.ok) rejected.push({ rowNumber: row.rowNumber, lineNumber: row.lineNumber, record: row.record, errors: result.errors });
    }
    await inTransaction(deps.pool, (client) => insertRejections(client, importId, 'validate', rejected));
    onChunk(first + VALIDATION_CHUNK);
  }
  const rejected = (await countOutcomes(deps.pool, importId)).filter((c) => c.phase === 'validate').reduce((n, c) => n + c.n, 0);
  await setValidCount(deps.pool, importId, imp.total - rejected);
  await refreshCounts(deps.pool, importId);
  return { total: imp.total, valid: imp.total - rejected, rejected };
}
