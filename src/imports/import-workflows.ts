import type { ImportOptions } from './import-options';

export interface StartRequest {
  id: number;
  source: string;
  fileName: string;
  createdBy: string;
  options: ImportOptions;
  /** When the import's row was recorded: tells this import's `import-<id>` from another database's. */
  recordedAt: Date;
}

export type WorkflowState =
  | 'RUNNING'
  | 'COMPLETED'
  | 'FAILED'
  | 'CANCELLED'
  | 'TERMINATED'
  | 'CONTINUED_AS_NEW'
  | 'TIMED_OUT'
  | 'NOT_FOUND'
  | 'UNKNOWN';

/** The latest run of a workflow id: its state, and when it closed (null while it runs, or when there is none). */
export interface RunState {
  state: WorkflowState;
  closedAt: Date | null;
  /** Whether the run was a dry run, from its memo; null when there is no run, or it was started before the memo said. */
  dryRun: boolean | null;
}

/** What the use cases ask of Temporal; implemented over the Temporal client in src/temporal. */
export interface WorkflowControl {
  start(req: StartRequest): Promise<string>;
  cancel(workflowId: string): Promise<void>;
  approve(workflowId: string, by: string): Promise<void>;
  reject(workflowId: string, by: string): Promise<void>;
  /** Starts `rollback-<id>`; `recordedAt` is the import's, as for start. */
  rollback(importId: number, opts: { force: boolean; by: string; recordedAt: Date }): Promise<string>;
  state(workflowId: string): Promise<RunState>;
  /** Waits (up to timeoutMs) for a run to close, whatever its outcome; false when it is still open. */
  awaitClosed(workflowId: string, timeoutMs: number): Promise<boolean>;
}
