// The words an import is described by, shared by the api, the CLI, the workflows and the database
// layer. A leaf module: it imports nothing, so that every layer (workflow code included) may use it.

/** Every status of an import; stored in imports.status and returned by the api. */
export const IMPORT_STATUSES = [
  'staging',
  'queued',
  'running',
  'waiting',
  'awaiting_approval',
  'rolling_back',
  'completed',
  'validated',
  'rolled_back',
  'failed',
  'expired',
] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** Phases shown while an import waits for the imports of a source it must follow; stored values. */
export const WAITING_PHASES = ['waiting_for_nana'] as const;
export type WaitingPhase = (typeof WAITING_PHASES)[number];

/** Every phase of an import; stored in imports.phase and returned by the api. */
export const IMPORT_PHASES = [
  'staging',
  'validating',
  ...WAITING_PHASES,
  'test_batch',
  'importing',
  'verifying',
  'rolling_back',
  'done',
] as const;
export type ImportPhase = (typeof IMPORT_PHASES)[number];

/** Statuses an import never leaves on its own: only an operator's rollback or retry moves it on. */
export const TERMINAL_STATUSES: ImportStatus[] = ['completed', 'validated', 'rolled_back', 'failed', 'expired'];
export const isTerminalStatus = (status: ImportStatus): boolean => TERMINAL_STATUSES.includes(status);

/** An import's records: in the file, valid (null until validation has seen them all), and by outcome. */
export interface ImportCounts {
  total: number;
  valid: number | null;
  created: number;
  linked: number;
  updated: number;
  skipped: number;
  rejected: number;
}

/** The counts alone, from a record that holds them among other fields (the api and notifications pass on no more). */
export function countsOf(imp: ImportCounts): ImportCounts {
  const { total, valid, created, linked, updated, skipped, rejected } = imp;
  return { total, valid, created, linked, updated, skipped, rejected };
}

/**
 * What every activity about an import gets. `recordedAt`: when the import's row was written (ISO, ms).
 * Activities refuse to act when the row of that id in their database was recorded at another time:
 * the workflow belongs to another database sharing the namespace, or to this one before a restore.
 * Absent in runs started before it existed (not checked).
 */
export interface ImportRef {
  importId: number;
  recordedAt?: string;
}

/** CSV encodings an upload may declare (`auto`: detected); the api and the CLI check against this list. */
export const ENCODING_OPTIONS = ['auto', 'utf-8', 'utf-16le', 'utf-16be', 'windows-874', 'tis-620'] as const;
/** CSV delimiters an upload may declare (`tab` for TAB, `auto`: detected). */
export const DELIMITER_OPTIONS = ['auto', ',', ';', 'tab', '|'] as const;

/** Workflow ids say what they are, and carry only the import's id. */
export const importWorkflowId = (importId: number) => `import-${importId}`;
export const rollbackWorkflowId = (importId: number) => `rollback-${importId}`;
export const dedupeWorkflowId = (scanId: number) => `dedupe-${scanId}`;
export const mergeWorkflowId = (mergeId: number) => `merge-${mergeId}`;
export const unmergeWorkflowId = (mergeId: number) => `unmerge-${mergeId}`;
export const mergeBatchWorkflowId = (batchId: number) => `merge-batch-${batchId}`;

/** Tuning of a duplicate scan, part of its workflow's input; the defaults suit a CRM of a million customers. */
export interface ScanSettings {
  /** A block (customers sharing one key) larger than this is skipped: a shared office phone is no evidence. */
  maxBlock: number;
  /** Inside a birth-date block, names must be at least this alike by trigrams, and at least as alike as a match needs. */
  minNameSimilarity: number;
  maxGroupSize: number;
}

export const DEFAULT_SCAN_SETTINGS: ScanSettings = { maxBlock: 200, minNameSimilarity: 0.4, maxGroupSize: 10 };
