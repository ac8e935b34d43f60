import { importedOutcomes } from '../db/queries/verification';
import type { ImportDeps } from './deps';
import type { BatchRange } from './batch-range';
import type { Mismatch } from '../sources/importer';
import { loadImport } from './load-import';
import { readBackOutcomes } from './read-back';
import { validationContext } from './validation-context';

/** Every record of the test batch, read back from where it should be and compared with the source. */
export async function checkTestBatch(
  deps: ImportDeps,
  importId: number,
  range: BatchRange,
): Promise<{ checked: number; mismatches: Mismatch[] }> {
  const { imp, source } = await loadImport(deps.pool, importId);
  const outcomes = await importedOutcomes(deps.pool, importId, range.firstRow, range.lastRow);
  const mismatches = await readBackOutcomes(deps.pool, importId, source, validationContext(deps, imp), outcomes);
  return { checked: outcomes.length, mismatches };
}
