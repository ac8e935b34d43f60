import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { DedupeActivities } from '../activities/dedupe-activities';
import { transactionStep, type MergeWorkflowInput } from './dedupe-definitions';
import { ferryStatusKey } from './search-attributes';

const { undoCustomerMerge } = proxyActivities<DedupeActivities>(transactionStep);

/**
 * Undoes a merge in one transaction (see unmergeCustomers). A failed undo leaves the merge
 * completed, as it was: the CRM's tables are either all restored or untouched.
 */
export async function unmergeWorkflow({ mergeId }: MergeWorkflowInput) {
  upsertSearchAttributes([{ key: ferryStatusKey, value: 'undoing' }]);
  const undo = await undoCustomerMerge({ mergeId });
  upsertSearchAttributes([{ key: ferryStatusKey, value: 'undone' }]);
  return undo;
}
