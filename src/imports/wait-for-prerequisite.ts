import { importInProgress, markWaiting } from '../db/queries/source-order';
import { sourceModule } from '../sources';
import type { WaitingPhase } from '../vocabulary';
import type { ImportDeps } from './deps';
import { loadImport } from './load-import';

/**
 * The phase to wait in while an import of a source this import's source must follow is in progress
 * (the import is then shown as waiting with it); null once none is, and always for a source with no
 * prerequisites.
 */
export async function waitingForPrerequisite(deps: ImportDeps, importId: number): Promise<WaitingPhase | null> {
  const { imp } = await loadImport(deps.pool, importId);
  for (const { source, waitingPhase } of sourceModule(imp.source).prerequisites) {
    if (!(await importInProgress(deps.pool, source, importId))) continue;
    await markWaiting(deps.pool, importId, waitingPhase);
    return waitingPhase;
  }
  return null;
}
