import type { WorkerDeps } from '../src/imports/deps';
import type { IdRange } from '../src/db/queries/dedupe-matching';
import { finishMergeBatch } from '../src/db/queries/merge-batches';
import { setMergeStatus } from '../src/db/queries/merges';
import { runBatchStep } from '../src/dedupe/merge-batch';
import { mergeCustomers } from '../src/dedupe/merge-customers';
import {
  abandonScan,
  collectRange,
  countNameTokens,
  groupScan,
  matchRange,
  prepareScan,
} from '../src/dedupe/scan-steps';
import type { ScanSettings } from '../src/vocabulary';
import { unmergeCustomers } from '../src/dedupe/unmerge-customers';
import { guard, withHeartbeats } from './index';

/** The duplicate scan's, merge's and undo's activities: ids and ranges in, counts out. */
export function createDedupeActivities(deps: Pick<WorkerDeps, 'pool'>) {
  const { pool } = deps;
  return {
    async prepareDedupeScan({ scanId }: { scanId: number }) {
      return guard(() => prepareScan(pool, scanId));
    },
    async collectDedupeRange({ scanId, ...range }: { scanId: number } & IdRange) {
      return withHeartbeats(range, () => guard(() => collectRange(pool, scanId, range)));
    },
    async countDedupeTokens({ scanId }: { scanId: number }) {
      return withHeartbeats({}, () => guard(() => countNameTokens(pool, scanId)));
    },
    async matchDedupeRange({
      scanId,
      population,
      settings,
      ...range
    }: { scanId: number; population: number; settings: ScanSettings } & IdRange) {
      return withHeartbeats(range, () => guard(() => matchRange(pool, scanId, range, population, settings)));
    },
    async groupDedupePairs({ scanId, settings }: { scanId: number; settings: ScanSettings }) {
      return withHeartbeats({}, () => guard(() => groupScan(pool, scanId, settings)));
    },
    async abandonDedupeScan({ scanId, code, message }: { scanId: number; code: string; message: string }) {
      return guard(() => abandonScan(pool, scanId, { code, message }));
    },
    async mergeCustomerGroup({ mergeId }: { mergeId: number }) {
      return withHeartbeats({}, () => guard(() => mergeCustomers(pool, mergeId)));
    },
    async runMergeBatchStep({
      batchId,
      afterMergeId,
      limit,
    }: {
      batchId: number;
      afterMergeId: number;
      limit: number;
    }) {
      return withHeartbeats({ afterMergeId }, () => guard(() => runBatchStep(pool, batchId, afterMergeId, limit)));
    },
    async finishMergeBatch({
      batchId,
      status,
      failure,
    }: {
      batchId: number;
      status: 'completed' | 'failed';
      failure?: { code: string; message: string };
    }) {
      return guard(() => finishMergeBatch(pool, batchId, status, failure ?? null));
    },
    async undoCustomerMerge({ mergeId }: { mergeId: number }) {
      return withHeartbeats({}, () => guard(() => unmergeCustomers(pool, mergeId)));
    },
    async recordMergeFailure({ mergeId, code, message }: { mergeId: number; code: string; message: string }) {
      return guard(() => setMergeStatus(pool, mergeId, 'failed', { failure: { code, message } }));
    },
  };
}

export type DedupeActivities = ReturnType<typeof createDedupeActivities>;
