import {
  ContinueAsNew,
  continueAsNew,
  proxyActivities,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { DedupeActivities } from '../activities/dedupe-activities';
import { bookkeeping, failureCode, transactionStep, type MergeBatchWorkflowInput } from './dedupe-definitions';
import { ferryStatusKey } from './search-attributes';

const { runMergeBatchStep } = proxyActivities<DedupeActivities>(transactionStep);
const { finishMergeBatch } = proxyActivities<DedupeActivities>(bookkeeping);

/**
 * Many groups, one run: steps of `stepSize` merges, each merge its own transaction, so every group
 * stays undoable on its own and a retried step skips the merges it completed. The run carries only
 * the last merge id it went through, and continues as new so that a thousand groups keep the
 * history bounded.
 */
export async function mergeBatchWorkflow(
  input: MergeBatchWorkflowInput,
): Promise<{ merges: number; completed: number; refused: number }> {
  const { batchId } = input;
  let afterMergeId = input.afterMergeId ?? 0;
  if (input.afterMergeId === undefined) upsertSearchAttributes([{ key: ferryStatusKey, value: 'running' }]);
  try {
    for (let steps = 0; ; steps++) {
      if (steps >= (input.maxStepsPerRun ?? 100) || workflowInfo().continueAsNewSuggested) {
        await continueAsNew<typeof mergeBatchWorkflow>({ ...input, afterMergeId });
      }
      const step = await runMergeBatchStep({ batchId, afterMergeId, limit: input.stepSize ?? 50 });
      if (step.lastMergeId === afterMergeId) break;
      afterMergeId = step.lastMergeId;
    }
    const counts = await finishMergeBatch({ batchId, status: 'completed' });
    upsertSearchAttributes([{ key: ferryStatusKey, value: 'completed' }]);
    return counts;
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    await finishMergeBatch({
      batchId,
      status: 'failed',
      failure: {
        code: failureCode(err, 'MERGE_BATCH_FAILED'),
        message: 'the batch stopped; its completed merges stand, each undoable',
      },
    });
    upsertSearchAttributes([{ key: ferryStatusKey, value: 'failed' }]);
    throw err;
  }
}
