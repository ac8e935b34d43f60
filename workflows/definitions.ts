import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ImportPhase, ImportRef, ImportStatus, WaitingPhase } from '../src/vocabulary';

/** Live detail for operators; the imports row in PostgreSQL stays the authority. */
export interface ImportProgress {
  importId: number;
  /** `waiting` and the source's waiting phase while an import waits for a prerequisite (the activity records it). */
  status: ImportStatus;
  phase: ImportPhase;
  total: number;
  /** False while the api still stages the file after the run started: `total` counts the records staged so far. */
  stagingDone?: boolean;
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
  /** Committed rows checked at once while later batches write (default 50,000; 0: none; tests use small values). */
  rangeCheckRows?: number;
  /**
   * Set by continue-as-new: where the previous run stopped, the rows validation checked before the
   * batches (absent when validation checked every row), whether the file was wholly staged (absent:
   * it was), and the last row of the ranges checked as they committed (absent from runs before they
   * were: verification checks those rows at the end).
   */
  resume?: {
    nextRow: number;
    total: number;
    valid: number | null;
    checkedThrough?: number;
    stagingDone?: boolean;
    rangesCheckedThrough?: number;
  };
  /** Seconds between two looks at a prerequisite's imports while the import waits for them (default 5). */
  prerequisitePollSeconds?: number;
  /** Continue-as-new after this many looks while waiting for a prerequisite (default 200; tests use small values). */
  maxWaitPollsPerRun?: number;
  /**
   * Set by continue-as-new during the wait for a prerequisite: validation is done, the wait goes on
   * in `phase` (absent from runs continued before it was carried: there was one waiting phase then).
   */
  resumeWait?: {
    total: number;
    valid: number | null;
    checkedThrough?: number;
    phase?: WaitingPhase;
    /** Absent: the file was wholly staged. */
    stagingDone?: boolean;
  };
}

export interface RollbackWorkflowInput extends ImportRef {
  force?: boolean;
  requestedBy?: string;
}

export interface RetentionWorkflowInput {
  /** Override of the worker's RETENTION_DAYS (tests, a one-off purge). */
  retentionDays?: number;
}
