import { importInProgress, markWaiting } from '../db/queries/source-order';
import type { ImportDeps } from './deps';
import { loadImport } from './load-import';

/**
 * The Care Shop document: Care Shop "must not be imported until Nana's profiles are completely
 * imported". True (and the import shown as waiting) while this is a careshop import and a nana
 * import is still in progress; false for every other source.
 */
export async function nanaImportInProgress(deps: ImportDeps, importId: number): Promise<boolean> {
  const { imp } = await loadImport(deps.pool, importId);
  if (imp.source !== 'careshop') return false;
  const busy = await importInProgress(deps.pool, 'nana', importId);
  if (busy) await markWaiting(deps.pool, importId, 'waiting_for_nana');
  return busy;
}
