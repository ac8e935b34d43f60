import type pg from 'pg';
import { pendingBatchMerges } from '../db/queries/merge-batches';
import { setMergeStatus } from '../db/queries/merges';
import { mergeCustomers, MergeRefusedError } from './merge-customers';

export interface BatchStep {
  /** The last merge this step went through; the next step starts after it. */
  lastMergeId: number;
  completed: number;
  refused: number;
}

/**
 * Runs the next `limit` merges of a batch, each in its own transaction (see mergeCustomers), so
 * each stays undoable on its own. A merge refused (a customer merged meanwhile, by this batch's
 * earlier group or anyone) is marked failed and the batch goes on; any other error stops the step,
 * and its retry starts again at the first merge still running: completed merges are not redone.
 */
export async function runBatchStep(
  pool: pg.Pool,
  batchId: number,
  afterMergeId: number,
  limit: number,
): Promise<BatchStep> {
  const step: BatchStep = { lastMergeId: afterMergeId, completed: 0, refused: 0 };
  for (const mergeId of await pendingBatchMerges(pool, batchId, afterMergeId, limit)) {
    try {
      await mergeCustomers(pool, mergeId);
      step.completed += 1;
    } catch (err) {
      if (!(err instanceof MergeRefusedError)) throw err;
      await setMergeStatus(pool, mergeId, 'failed', { failure: { code: err.code, message: err.message } });
      step.refused += 1;
    }
    step.lastMergeId = mergeId;
  }
  return step;
}
