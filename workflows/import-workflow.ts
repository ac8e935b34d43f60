import {
  ActivityCancellationType,
  ApplicationFailure,
  CancellationScope,
  condition,
  ContinueAsNew,
  continueAsNew,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  WAITING_PHASES,
  type ImportPhase,
  type ImportRef,
  type ImportStatus,
  type WaitingPhase,
} from '../src/vocabulary';
import {
  approveUpdate,
  progressQuery,
  rejectUpdate,
  type ImportProgress,
  type ImportWorkflowInput,
} from './definitions';
import { ferryStatusKey } from './search-attributes';

const DEFAULT_TEST_BATCH = 100;
const DEFAULT_BATCH = 10_000;
const DEFAULT_APPROVAL_TIMEOUT_S = 7 * 24 * 3600;
const DEFAULT_PREREQUISITE_POLL_S = 5;
// A look at the prerequisite's imports is an activity, a timer and their workflow tasks: a bounded
// number of them per run keeps a waiting run's history far below where Temporal suggests a new run.
const DEFAULT_MAX_WAIT_POLLS = 200;

// Runs that reached the wait before prerequisites came from the source registry asked the
// `nanaImportInProgress` activity (a boolean) instead of `waitingForPrerequisite` (the phase). This
// patch, and that activity, can go once no import workflow started before it is still open.
const PREREQUISITE_WAIT_PATCH = 'prerequisite-wait-from-registry';

// Runs that start while the api still stages their file ask their batches to follow the staged mark
// (`followStaging`), and learn the file's total from them. This patch can go once no import workflow
// started before it is still open: those never see a file still being staged.
const PIPELINED_STAGING_PATCH = 'pipelined-staging';

// Runs from before committed ranges were checked as the batches went have no such checks in their
// history. This patch can go once no import workflow started before it is still open.
const RANGE_CHECKS_PATCH = 'range-checks';
const DEFAULT_RANGE_CHECK_ROWS = 50_000;

// Batch activities wait for cancellation to finish: a rollback must never overlap a batch still writing.
const batches = proxyActivities<Activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '20 seconds',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
// A range check that fails costs nothing but time: verification reads its rows again at the end. It
// too is waited for when cancelled, so that no check still runs while its rows roll back.
const rangeChecks = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '20 seconds',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 3 },
});
const bookkeeping = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

// Bounded: a notification that cannot go out after five tries is given up (the table says why).
const notifications = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

type Enter = (status: ImportStatus, phase: ImportPhase) => Promise<void>;

/** One import: validate, test batch, (approval), import in batches, verify; any failure for good rolls everything back. */
export async function importWorkflow(input: ImportWorkflowInput): Promise<ImportProgress> {
  const { importId } = input;
  // Every activity gets the record too, so that it can refuse an import of this id it does not hold.
  const ref: ImportRef = { importId, recordedAt: input.recordedAt };
  const carried = input.resume ?? input.resumeWait;
  // Rows validation has checked; the batches check the rest. A carried state without checkedThrough
  // comes from a run whose validation checked every row (test/integration/workflow-replay.test.ts).
  let checkedThrough = carried ? (carried.checkedThrough ?? carried.total) : 0;
  const progress: ImportProgress = {
    importId,
    status: input.resumeWait ? 'waiting' : 'running',
    phase: input.resumeWait ? (input.resumeWait.phase ?? WAITING_PHASES[0]) : 'validating',
    total: carried?.total ?? 0,
    stagingDone: carried?.stagingDone ?? true,
    valid: carried?.valid ?? null,
    rowsImported: 0,
    batchesThisRun: 0,
  };
  setHandler(progressQuery, () => progress);
  const enter: Enter = async (status, phase) => {
    Object.assign(progress, { status, phase });
    upsertSearchAttributes([{ key: ferryStatusKey, value: status }]);
    await bookkeeping.setImportPhase({ ...ref, status, phase });
  };

  let nextRow = input.resume?.nextRow ?? 1;
  const ranges = new RangeChecks(ref, input.rangeCheckRows ?? DEFAULT_RANGE_CHECK_ROWS, input.resume);
  try {
    if (!input.resume) {
      if (!input.resumeWait) {
        const checked = await validate(input, ref, progress, enter);
        if (checked === null) return progress;
        checkedThrough = checked;
      }
      await waitForPrerequisites(input, ref, progress, checkedThrough);
      nextRow = await runTestBatch(ref, input.testBatchSize ?? DEFAULT_TEST_BATCH, checkedThrough, enter);
      if (input.requireApproval)
        await awaitApproval(ref, input.approvalTimeoutSeconds ?? DEFAULT_APPROVAL_TIMEOUT_S, progress, enter);
      await enter('running', 'importing');
    }
    const batchSize = input.batchSize ?? DEFAULT_BATCH;
    // While the file is still being staged its end is unknown: each batch asks for a whole range, waits
    // for it to be staged, and answers where the file ends once it does.
    while (nextRow <= progress.total || !progress.stagingDone) {
      const first = nextRow;
      const following = !progress.stagingDone;
      const last = following ? first + batchSize - 1 : Math.min(first + batchSize - 1, progress.total);
      const result = await batches.importBatch({
        ...ref,
        firstRow: first,
        lastRow: last,
        checkedThrough,
        ...(following ? { followStaging: true } : {}),
      });
      if (following && 'staged' in result)
        Object.assign(progress, { total: result.staged.total, stagingDone: result.staged.done });
      const through = Math.min(last, progress.total);
      // Staging ended right before this range: the previous batch was the last.
      if (through < first) break;
      nextRow = through + 1;
      progress.rowsImported = through;
      progress.batchesThisRun += 1;
      await ranges.committed(through);
      // History stays bounded however large the file: a fresh run carries on from the next row.
      if (
        (through < progress.total || !progress.stagingDone) &&
        (workflowInfo().continueAsNewSuggested || progress.batchesThisRun >= (input.maxBatchesPerRun ?? Infinity))
      ) {
        await ranges.settled();
        await continueAsNew<typeof importWorkflow>({
          ...input,
          resume: {
            nextRow,
            total: progress.total,
            valid: progress.valid,
            checkedThrough,
            ...(progress.stagingDone ? {} : { stagingDone: false }),
            ...ranges.carried(),
          },
        });
      }
    }
    if (checkedThrough < progress.total) await countValid(ref, progress, progress.total + 1);
    await ranges.settled();
    await enter('running', 'verifying');
    await batches.verifyImport(ref);
    await enter('completed', 'done');
    await announceEnd(ref);
    return progress;
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    // Cleanup must run even when the failure is an operator's cancel.
    await CancellationScope.nonCancellable(async () => {
      await ranges.settled();
      // The error report lists every invalid record of the file, as when validation checked it all first.
      // Of a file still being staged, as far as staging goes (it fails at once if staging failed).
      if (checkedThrough < progress.total || !progress.stagingDone)
        await countValid(ref, progress, Math.max(checkedThrough, nextRow - 1) + 1).catch(() => undefined);
      await rollBack(ref, err, enter);
      await announceEnd(ref);
    });
    throw err;
  }
}

/**
 * Checks committed rows range by range while later batches write (src/imports/check-committed-range.ts),
 * one range at a time, so verification at the end reads only the rest. A check's failure is
 * swallowed: its rows are simply not recorded clean.
 */
class RangeChecks {
  private checkedThrough: number;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly ref: ImportRef,
    private readonly rows: number,
    resume: ImportWorkflowInput['resume'],
  ) {
    // A run continued from one that checked no range leaves the rows before it to the end.
    this.checkedThrough = resume ? (resume.rangesCheckedThrough ?? resume.nextRow - 1) : 0;
  }

  /** Rows 1..through are committed: checks the range since the last one once it is large enough. */
  async committed(through: number): Promise<void> {
    if (this.rows <= 0 || through - this.checkedThrough < this.rows || !patched(RANGE_CHECKS_PATCH)) return;
    await this.running;
    const range = { firstRow: this.checkedThrough + 1, lastRow: through };
    this.running = rangeChecks.checkCommittedRange({ ...this.ref, ...range }).then(
      () => undefined,
      () => undefined,
    );
    this.checkedThrough = through;
  }

  /** Waits for the check in flight, before verification, rollback or a new run. */
  settled(): Promise<void> {
    return this.running;
  }

  carried(): { rangesCheckedThrough: number } {
    return { rangesCheckedThrough: this.checkedThrough };
  }
}

/**
 * Validation: the row it checked through, or null when the import ends there (a dry run). A dry run
 * and an approval show the whole error report before anything is written, so they check every record
 * first. Otherwise only the prefix that holds the test batch is checked here: each batch checks its
 * own records while the batch before it writes, so no record is checked twice.
 */
async function validate(
  input: ImportWorkflowInput,
  ref: ImportRef,
  progress: ImportProgress,
  enter: Enter,
): Promise<number | null> {
  await enter('running', 'validating');
  const prefixOnly = !input.dryRun && !input.requireApproval;
  const summary = await batches.validateRows({
    ...ref,
    untilValid: prefixOnly ? (input.testBatchSize ?? DEFAULT_TEST_BATCH) : undefined,
  });
  Object.assign(progress, {
    total: summary.total,
    valid: summary.valid,
    // A summary recorded before files were staged alongside their runs has no stagingDone: it was.
    stagingDone: summary.stagingDone !== false || !patched(PIPELINED_STAGING_PATCH),
  });
  // The path follows the activity's result, not a marker: a recorded validation that checked every
  // row (and so says nothing of checkedThrough) replays with the commands it first gave.
  if (!input.dryRun) return summary.checkedThrough ?? summary.total;
  await enter('validated', 'done');
  await announceEnd(ref);
  return null;
}

/** Checks the rows from `fromRow` that no batch checked (none once every batch ran), and records the valid count. */
async function countValid(ref: ImportRef, progress: ImportProgress, fromRow: number): Promise<void> {
  const summary = await batches.validateRows({ ...ref, fromRow });
  progress.valid = summary.valid;
}

/**
 * A source that must follow another loads only once no import of that one is in progress; the
 * activity keeps the import's status `waiting` for everyone to see. A large import of the other source
 * can keep it waiting for hours, so after a bounded number of looks the run continues as new: history
 * stays small however long the wait.
 */
async function waitForPrerequisites(
  input: ImportWorkflowInput,
  ref: ImportRef,
  progress: ImportProgress,
  checkedThrough: number,
): Promise<void> {
  const maxPolls = input.maxWaitPollsPerRun ?? DEFAULT_MAX_WAIT_POLLS;
  let polls = 0;
  let phase: WaitingPhase | null;
  while ((phase = await lookForPrerequisite(ref)) !== null) {
    Object.assign(progress, { status: 'waiting', phase });
    await sleep((input.prerequisitePollSeconds ?? DEFAULT_PREREQUISITE_POLL_S) * 1000);
    polls += 1;
    if (polls >= maxPolls || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof importWorkflow>({
        ...input,
        resumeWait: {
          total: progress.total,
          valid: progress.valid,
          checkedThrough,
          phase,
          ...(progress.stagingDone ? {} : { stagingDone: false }),
        },
      });
    }
  }
}

/** The phase to wait in, or null; a run from before the patch gets the answer the way it first asked. */
async function lookForPrerequisite(ref: ImportRef): Promise<WaitingPhase | null> {
  if (patched(PREREQUISITE_WAIT_PATCH)) return bookkeeping.waitingForPrerequisite(ref);
  return (await bookkeeping.nanaImportInProgress(ref)) ? WAITING_PHASES[0] : null;
}

/** Imports the first valid records, then reads them back; returns the row after the test batch. */
async function runTestBatch(ref: ImportRef, size: number, checkedThrough: number, enter: Enter): Promise<number> {
  await enter('running', 'test_batch');
  const { lastRow } = await bookkeeping.findTestBatchEnd({ ...ref, size });
  if (lastRow === null) return 1;
  await batches.importBatch({ ...ref, firstRow: 1, lastRow, checkedThrough });
  await batches.checkTestBatch({ ...ref, firstRow: 1, lastRow });
  return lastRow + 1;
}

/** Waits for approve or reject; no decision in time expires the import (and rolls back the test batch). */
async function awaitApproval(
  ref: ImportRef,
  timeoutSeconds: number,
  progress: ImportProgress,
  enter: Enter,
): Promise<void> {
  const { importId } = ref;
  let decision: { approved: boolean; by: string } | null = null;
  const validator = (_decision: { by: string }) => {
    if (progress.status !== 'awaiting_approval' || decision)
      throw new Error(`import ${importId} is not waiting for approval`);
  };
  setHandler(approveUpdate, ({ by }) => ((decision = { approved: true, by }), { status: 'running' as const }), {
    validator,
  });
  setHandler(rejectUpdate, ({ by }) => ((decision = { approved: false, by }), { status: 'rolling_back' as const }), {
    validator,
  });
  await enter('awaiting_approval', 'test_batch');
  const decided = await condition(() => decision !== null, timeoutSeconds * 1000);
  if (!decided) throw ApplicationFailure.nonRetryable('no approval came before the deadline', 'APPROVAL_EXPIRED');
  const { approved, by } = decision!;
  await bookkeeping.recordImportEvent({ ...ref, action: approved ? 'approved' : 'rejected', actor: by });
  if (!approved) throw ApplicationFailure.nonRetryable(`rejected by an operator`, 'REJECTED');
}

async function rollBack(ref: ImportRef, err: unknown, enter: Enter): Promise<void> {
  const failure = failureOf(err);
  await bookkeeping.recordImportFailure({ ...ref, ...failure });
  if (failure.code === 'CANCELLED')
    await bookkeeping.recordImportEvent({ ...ref, action: 'cancelled', actor: 'operator' });
  try {
    await enter('rolling_back', 'rolling_back');
    await batches.rollbackImport({
      ...ref,
      finalStatus: failure.code === 'APPROVAL_EXPIRED' ? 'expired' : 'rolled_back',
    });
    upsertSearchAttributes([
      { key: ferryStatusKey, value: failure.code === 'APPROVAL_EXPIRED' ? 'expired' : 'rolled_back' },
    ]);
  } catch {
    await enter('failed', 'done');
  }
}

/** E-mail and webhook after the final status is recorded; a notification that fails never fails the import. */
async function announceEnd(ref: ImportRef): Promise<void> {
  try {
    await notifications.notifyImportEnded(ref);
  } catch {
    // Given up after the retries; import_notifications keeps the reason.
  }
}

/** The code and message of the failure that stopped the import; both are free of file data by construction. */
function failureOf(err: unknown): { code: string; message: string } {
  if (isCancellation(err)) return { code: 'CANCELLED', message: 'the import was cancelled by an operator' };
  let e: unknown = err;
  while (e && typeof e === 'object' && !(e instanceof ApplicationFailure) && (e as { cause?: unknown }).cause)
    e = (e as { cause: unknown }).cause;
  if (e instanceof ApplicationFailure) return { code: e.type ?? 'ACTIVITY_FAILED', message: e.message };
  return { code: 'FAILED', message: err instanceof Error ? err.message : 'the import failed' };
}
