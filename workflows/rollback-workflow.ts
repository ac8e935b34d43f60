import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RollbackWorkflowInput } from './definitions';
import { ferryStatusKey } from './search-attributes';

const { rollbackImport, setImportPhase } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Undoes an import after the fact, or one whose workflow was terminated; safe to run more than once. */
export async function rollbackWorkflow({ importId }: RollbackWorkflowInput): Promise<{ customersRemoved: number; relationsRestored: number }> {
  await setImportPhase({ importId, status: 'rolling_back', phase: 'rolling_back', force: true });
  const result = await rollbackImport({ importId });
  upsertSearchAttributes([{ key: ferryStatusKey, value: 'rolled_back' }]);
  return result;
}
