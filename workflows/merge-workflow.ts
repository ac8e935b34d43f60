import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { DedupeActivities } from '../activities/dedupe-activities';
import { bookkeeping, failureCode, transactionStep, type MergeWorkflowInput } from './dedupe-definitions';
import { ferryStatusKey } from './search-attributes';

const { mergeCustomerGroup } = proxyActivities<DedupeActivities>(transactionStep);
const { recordMergeFailure } = proxyActivities<DedupeActivities>(bookkeeping);

/**
 * One merge, one transaction (see mergeCustomers): a worker killed mid-merge leaves nothing, and
 * the retried activity does it whole. A refusal (a customer already merged) marks the merge failed.
 */
export async function mergeWorkflow({ mergeId }: MergeWorkflowInput): Promise<Record<string, number>> {
  upsertSearchAttributes([{ key: ferryStatusKey, value: 'running' }]);
  try {
    const moved = await mergeCustomerGroup({ mergeId });
    upsertSearchAttributes([{ key: ferryStatusKey, value: 'completed' }]);
    return moved;
  } catch (err) {
    await recordMergeFailure({
      mergeId,
      code: failureCode(err, 'MERGE_FAILED'),
      message: 'the merge failed; nothing was changed',
    });
    upsertSearchAttributes([{ key: ferryStatusKey, value: 'failed' }]);
    throw err;
  }
}
