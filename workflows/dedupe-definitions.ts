import { ActivityFailure, ApplicationFailure, defineQuery, type ActivityOptions } from '@temporalio/workflow';
import type { ScanSettings } from '../src/vocabulary';

export interface DedupeWorkflowInput {
  scanId: number;
  settings?: Partial<ScanSettings>;
  /** Customer ids per activity (default 20,000). */
  rangeSize?: number;
  /** Continue-as-new after this many ranges even if the server does not suggest it (tests use small values). */
  maxRangesPerRun?: number;
  /** Set by continue-as-new: where the previous run stopped. */
  resume?: DedupeProgress;
}

/** Where a scan is: collecting keys range by range, then matching range by range, then grouping. */
export interface DedupeProgress {
  scanId: number;
  phase: 'collecting' | 'matching' | 'grouping' | 'done';
  minId: number;
  maxId: number;
  nextId: number;
  population: number;
  customers: number;
  pairs: number;
}

export const dedupeProgressQuery = defineQuery<DedupeProgress>('progress');

export interface MergeWorkflowInput {
  mergeId: number;
}

/** The activity's error code (never its message: it may quote data), or the fallback. */
export function failureCode(err: unknown, fallback: string): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && cause.type ? cause.type : fallback;
}

/** A scan range, a merge or an undo: one transaction each, kept alive by heartbeats, retried until it commits. */
export const transactionStep: ActivityOptions = {
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/** Recording a failure: short, retried a while. */
export const bookkeeping: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};

export interface MergeBatchWorkflowInput {
  batchId: number;
  /** Merges per activity (default 50), each its own transaction. */
  stepSize?: number;
  /** Continue-as-new after this many steps even if the server does not suggest it (tests use small values). */
  maxStepsPerRun?: number;
  /** Set by continue-as-new: the last merge the previous run went through. */
  afterMergeId?: number;
}
