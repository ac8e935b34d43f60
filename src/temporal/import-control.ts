import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowStartOptions,
} from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import { ConflictError } from '../errors';
import { importWorkflowId, rollbackWorkflowId } from '../vocabulary';
import type { RunState, WorkflowControl, WorkflowState } from '../imports/import-workflows';
import { approveUpdate, rejectUpdate, type ImportWorkflowInput } from '../../workflows/definitions';
import type { importWorkflow } from '../../workflows/import-workflow';
import type { rollbackWorkflow } from '../../workflows/rollback-workflow';
import { ferrySourceKey, ferryStatusKey } from '../../workflows/search-attributes';

/**
 * Starts one of an import's workflows, the import's `recordedAt` in its memo. A repeated start while
 * it runs finds the running workflow instead of starting a second one; a closed one (a dry run being
 * approved, a finished rollback, another database's) may run again. A running one recorded for
 * another import of the same id (another database on this namespace, or this one restored from a
 * backup) is refused: joining it would leave this import waiting for ever on a run that is not its own.
 */
async function startForImport<T extends Workflow>(
  client: Client,
  workflowType: string,
  recordedAt: Date,
  options: WorkflowStartOptions<T>,
): Promise<void> {
  const ours = recordedAt.toISOString();
  try {
    await client.workflow.start<T>(workflowType, {
      ...options,
      memo: { ...options.memo, recordedAt: ours },
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const { memo, startTime } = await client.workflow.getHandle(options.workflowId).describe();
    // A run started before recordedAt was in the memo cannot be told apart: taken as this import's.
    const theirs = memo?.recordedAt;
    if (theirs !== undefined && theirs !== ours) {
      throw new ConflictError(
        'WORKFLOW_ID_IN_USE',
        `workflow ${options.workflowId} is already running for another import with this id (recorded ${String(theirs)}, started ${startTime.toISOString()}; this one was recorded ${ours}): another database shares this Temporal namespace, or this database was restored from a backup`,
      );
    }
  }
}

/** Ferry's workflows over one Temporal client (one connection per process). */
export function temporalControl(
  client: Client,
  taskQueue: string,
  defaults: Partial<ImportWorkflowInput> = {},
): WorkflowControl {
  return {
    /**
     * Starts `import-<id>` (see startForImport: a repeated start finds the running workflow, another
     * database's running one is refused). The memo holds no personal data.
     */
    async start(imp) {
      const workflowId = importWorkflowId(imp.id);
      const { dryRun, requireApproval, approvalTimeoutSeconds, testBatchSize, batchSize } = imp.options;
      await startForImport<typeof importWorkflow>(client, 'importWorkflow', imp.recordedAt, {
        workflowId,
        taskQueue,
        args: [
          {
            ...defaults,
            importId: imp.id,
            recordedAt: imp.recordedAt.toISOString(),
            dryRun,
            requireApproval,
            approvalTimeoutSeconds,
            testBatchSize,
            batchSize,
          },
        ],
        // dryRun tells the reconciler an approved dry run's run from its real run's (reconcile-import.ts).
        memo: { fileName: imp.fileName, source: imp.source, createdBy: imp.createdBy, dryRun: dryRun === true },
        typedSearchAttributes: [
          { key: ferrySourceKey, value: imp.source },
          { key: ferryStatusKey, value: 'queued' },
        ],
      });
      return workflowId;
    },
    async cancel(workflowId) {
      await client.workflow.getHandle(workflowId).cancel();
    },
    async approve(workflowId, by) {
      await decide(
        () => client.workflow.getHandle(workflowId).executeUpdate(approveUpdate, { args: [{ by }] }),
        workflowId,
      );
    },
    async reject(workflowId, by) {
      await decide(
        () => client.workflow.getHandle(workflowId).executeUpdate(rejectUpdate, { args: [{ by }] }),
        workflowId,
      );
    },
    async rollback(importId, { force, by, recordedAt }) {
      const workflowId = rollbackWorkflowId(importId);
      await startForImport<typeof rollbackWorkflow>(client, 'rollbackWorkflow', recordedAt, {
        workflowId,
        taskQueue,
        args: [{ importId, recordedAt: recordedAt.toISOString(), force, requestedBy: by }],
        memo: { requestedBy: by },
        typedSearchAttributes: [{ key: ferryStatusKey, value: 'rolling_back' }],
      });
      return workflowId;
    },
    async awaitClosed(workflowId, timeoutMs) {
      const closed = client.workflow
        .getHandle(workflowId)
        .result()
        .then(
          () => true,
          () => true,
        );
      return Promise.race([closed, new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref())]);
    },
    async state(workflowId): Promise<RunState> {
      try {
        const { status, closeTime, memo } = await client.workflow.getHandle(workflowId).describe();
        const dryRun = typeof memo?.dryRun === 'boolean' ? memo.dryRun : null;
        return { state: (status.name as WorkflowState) ?? 'UNKNOWN', closedAt: closeTime ?? null, dryRun };
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return { state: 'NOT_FOUND', closedAt: null, dryRun: null };
        throw err;
      }
    },
  };
}

async function decide(send: () => Promise<unknown>, workflowId: string): Promise<void> {
  try {
    await send();
  } catch (err) {
    // The workflow's validator refused: the decision came too late, or twice.
    if (err instanceof WorkflowUpdateFailedError)
      throw new ConflictError('NOT_AWAITING_APPROVAL', `${workflowId} is no longer waiting for approval`);
    throw err;
  }
}
