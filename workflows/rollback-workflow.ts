import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RollbackWorkflowInput } from './definitions';
import { ferryStatusKey } from './search-attributes';

const { rollbackImport, recordImportEvent } = proxyActivities<Activities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
const { notifyImportEnded } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/** Undoes an import after the fact, or one whose workflow was terminated; safe to run more than once. */
export async function rollbackWorkflow({ importId, recordedAt, force, requestedBy }: RollbackWorkflowInput) {
  const ref = { importId, recordedAt };
  upsertSearchAttributes([{ key: ferryStatusKey, value: 'rolling_back' }]);
  await recordImportEvent({
    ...ref,
    action: 'rollback_requested',
    actor: requestedBy ?? 'operator',
    details: { force: force ?? false },
  });
  const result = await rollbackImport({ ...ref, force, actor: requestedBy });
  upsertSearchAttributes([{ key: ferryStatusKey, value: 'rolled_back' }]);
  // The uploader hears of the undo too; a notification that cannot go out never fails the rollback.
  await notifyImportEnded(ref).catch(() => undefined);
  return result;
}
