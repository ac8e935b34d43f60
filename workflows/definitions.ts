import { defineQuery } from '@temporalio/workflow';

export type ImportStatus = 'queued' | 'running' | 'rolling_back' | 'completed' | 'validated' | 'rolled_back' | 'failed';
export type ImportPhase = 'validating' | 'test_batch' | 'importing' | 'verifying' | 'rolling_back' | 'done';

/** Live detail for operators; the imports row in PostgreSQL stays the authority. */
export interface ImportProgress {
  importId: number;
  status: ImportStatus;
  phase: ImportPhase;
  total: number;
  valid: number | null;
  rowsImported: number;
  batchesThisRun: number;
}

export const progressQuery = defineQuery<ImportProgress>('progress');

export interface ImportWorkflowInput {
  importId: number;
  dryRun?: boolean;
  testBatchSize?: number;
  batchSize?: number;
  /** Continue-as-new after this many batches even if the server does not suggest it (tests use small values). */
  maxBatchesPerRun?: number;
  /** Set by continue-as-new: where the previous run stopped. */
  resume?: { nextRow: number; total: number; valid: number };
}

export interface RollbackWorkflowInput {
  importId: number;
}
