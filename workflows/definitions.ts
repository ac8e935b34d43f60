import { defineQuery, defineUpdate } from '@temporalio/workflow';

export type ImportStatus = 'queued' | 'running' | 'awaiting_approval' | 'rolling_back' | 'completed' | 'validated' | 'rolled_back' | 'failed' | 'expired';
export type ImportPhase = 'validating' | 'test_batch' | 'importing' | 'verifying' | 'rolling_back' | 'done';

/** Live detail for operators; the imports row in PostgreSQL stays the authority. */
export interface ImportProgress {
  importId: number;
  /** `waiting` / `waiting_for_nana` while a careshop import waits for Nana imports (the activity records it). */
  status: ImportStatus | 'waiting';
  phase: ImportPhase | 'waiting_for_nana';
  total: number;
  valid: number | null;
  rowsImported: number;
  batchesThisRun: number;
}

export const progressQuery = defineQuery<ImportProgress>('progress');

/** Who decides, by name (an api user, or an operator in the Temporal UI or CLI). */
export interface Decision {
  by: string;
}

/** Answered synchronously: the caller learns at once whether the import goes ahead. */
export const approveUpdate = defineUpdate<{ status: ImportStatus }, [Decision]>('approve');
export const rejectUpdate = defineUpdate<{ status: ImportStatus }, [Decision]>('reject');

/**
 * When the import's row was written (ISO, ms). Activities refuse to act when the row of that id in
 * their database was recorded at another time: the workflow belongs to another database sharing the
 * namespace, or to this one before a restore. Absent in runs started before it existed (not checked).
 */
export interface ImportRef {
  importId: number;
  recordedAt?: string;
}

export interface ImportWorkflowInput extends ImportRef {
  dryRun?: boolean;
  /** Wait after the test batch for approve or reject. */
  requireApproval?: boolean;
  /** How long to wait for a decision before the import expires (default 7 days). */
  approvalTimeoutSeconds?: number;
  testBatchSize?: number;
  batchSize?: number;
  /** Continue-as-new after this many batches even if the server does not suggest it (tests use small values). */
  maxBatchesPerRun?: number;
  /**
   * Set by continue-as-new: where the previous run stopped, and the rows validation checked before
   * the batches (absent in runs from before validation moved into the batches: all of them).
   */
  resume?: { nextRow: number; total: number; valid: number | null; checkedThrough?: number };
  /** Seconds between two looks at the Nana imports while a careshop import waits (default 5). */
  nanaPollSeconds?: number;
  /** Continue-as-new after this many looks of the Care Shop wait (default 200; tests use small values). */
  maxWaitPollsPerRun?: number;
  /** Set by continue-as-new during the Care Shop wait: validation is done, the wait goes on. */
  resumeWait?: { total: number; valid: number | null; checkedThrough?: number };
}

export interface RollbackWorkflowInput extends ImportRef {
  force?: boolean;
  requestedBy?: string;
}

export interface RetentionWorkflowInput {
  /** Override of the worker's RETENTION_DAYS (tests, a one-off purge). */
  retentionDays?: number;
}
