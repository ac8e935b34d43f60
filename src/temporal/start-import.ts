import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { importWorkflowId, rollbackWorkflowId } from '../domain/workflow-ids';
import type { StartWorkflow } from '../imports/stage-upload';
import type { ImportWorkflowInput } from '../../workflows/definitions';
import type { importWorkflow } from '../../workflows/import-workflow';
import type { rollbackWorkflow } from '../../workflows/rollback-workflow';
import { ferrySourceKey, ferryStatusKey } from '../../workflows/search-attributes';


/**
 * Starts `import-<id>`. The id is the import's, so a repeated start (a retried request) finds the
 * running workflow instead of starting a second one. The memo holds no personal data.
 */
export function workflowStarter(client: Client, taskQueue: string, defaults: Partial<ImportWorkflowInput> = {}): StartWorkflow {
  return async (imp) => {
    const workflowId = importWorkflowId(imp.id);
    await client.workflow.start<typeof importWorkflow>('importWorkflow', {
      workflowId,
      taskQueue,
      args: [{ ...defaults, importId: imp.id, dryRun: imp.options.dryRun, testBatchSize: imp.options.testBatchSize, batchSize: imp.options.batchSize }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      // A closed import-<id> can only be another database's (a reset dev database): not a reason to refuse.
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      memo: { fileName: imp.fileName, source: imp.source, createdBy: imp.createdBy },
      typedSearchAttributes: [
        { key: ferrySourceKey, value: imp.source },
        { key: ferryStatusKey, value: 'queued' },
      ],
    });
    return workflowId;
  };
}

export async function startRollback(client: Client, taskQueue: string, importId: number): Promise<string> {
  const workflowId = rollbackWorkflowId(importId);
  await client.workflow.start<typeof rollbackWorkflow>('rollbackWorkflow', {
    workflowId,
    taskQueue,
    args: [{ importId }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    typedSearchAttributes: [{ key: ferryStatusKey, value: 'rolling_back' }],
  });
  return workflowId;
}
