import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { DedupeWorkflows } from '../dedupe/dedupe-workflows';
import { dedupeWorkflowId, mergeBatchWorkflowId, mergeWorkflowId, unmergeWorkflowId } from '../vocabulary';
import { ferryStatusKey } from '../../workflows/search-attributes';

/**
 * Starts `dedupe-<id>`, `merge-<id>`, `merge-batch-<id>` and `unmerge-<id>`; a repeated start of one already running
 * finds it. The memo names who started it, never a customer.
 */
export function temporalDedupeControl(client: Client, taskQueue: string): DedupeWorkflows {
  const start = async (workflowType: string, workflowId: string, args: object, by: string) => {
    try {
      await client.workflow.start(workflowType, {
        workflowId,
        taskQueue,
        args: [args],
        memo: { requestedBy: by },
        typedSearchAttributes: [{ key: ferryStatusKey, value: 'running' }],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    return workflowId;
  };
  return {
    startScan: (scanId, by) => start('dedupeWorkflow', dedupeWorkflowId(scanId), { scanId }, by),
    startMerge: (mergeId, by) => start('mergeWorkflow', mergeWorkflowId(mergeId), { mergeId }, by),
    startMergeBatch: (batchId, by) => start('mergeBatchWorkflow', mergeBatchWorkflowId(batchId), { batchId }, by),
    startUnmerge: (mergeId, by) => start('unmergeWorkflow', unmergeWorkflowId(mergeId), { mergeId }, by),
  };
}
