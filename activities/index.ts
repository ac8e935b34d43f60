import { activityInfo, Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { setPhase, forcePhase, recordFailure } from '../src/db/queries/imports';
import { nthValidRowNumber } from '../src/db/queries/staged-rows';
import { checkTestBatch as checkTestBatchUseCase } from '../src/imports/check-test-batch';
import { waitingForPrerequisite as waitingForPrerequisiteUseCase } from '../src/imports/wait-for-prerequisite';
import type { WorkerDeps } from '../src/imports/deps';
import type { BatchRange } from '../src/imports/batch-range';
import { importBatch as importBatchUseCase } from '../src/imports/import-batch';
import { importStagedBatch, type StagedBatch } from '../src/imports/import-staged-batch';
import { STAGING_POLL_MS, type StagingPause } from '../src/imports/await-staged';
import type { BatchCounts } from '../src/sources/importer';
import { notifyImportEnded as notifyImportEndedUseCase } from '../src/imports/notify-import-ended';
import { purgeExpiredImports as purgeExpiredImportsUseCase } from '../src/imports/purge-expired-imports';
import { measured } from '../src/observability/worker-metrics';
import { rollbackImport as rollbackImportUseCase, type RollbackRequest } from '../src/imports/rollback-import';
import { recordEvent, type ImportAction } from '../src/db/queries/import-events';
import { validateImport } from '../src/imports/validate-import';
import { verifyImport as verifyImportUseCase } from '../src/imports/verify-import';
import { checkCommittedRange as checkCommittedRangeUseCase } from '../src/imports/check-committed-range';
import { assertOwnImport } from '../src/imports/own-import';
import type { ImportPhase, ImportRef, ImportStatus } from '../src/vocabulary';
import { toActivityFailure } from './failures';

/**
 * Activities are thin: ids in, a use case called, counts out, errors mapped to retryable or not.
 * Each one about an import first makes sure the import is the one its workflow was started for.
 */
export function createActivities(deps: WorkerDeps) {
  const forImport = <T>(ref: ImportRef, fn: () => Promise<T>) =>
    guard(async () => {
      await assertOwnImport(deps.pool, ref);
      return fn();
    });
  return {
    /** The whole file from `fromRow` (default 1), or with `untilValid` the prefix that holds the test batch. */
    async validateRows({ fromRow, untilValid, ...ref }: ImportRef & { fromRow?: number; untilValid?: number }) {
      // Chunks already checked are skipped on a retry; re-checking one would be harmless too. A
      // prefix starts over: it is a few hundred rows, and its count of valid records starts with it.
      const resumed =
        untilValid === undefined
          ? (activityInfo().heartbeatDetails as { nextRow?: number } | undefined)?.nextRow
          : undefined;
      const range = { fromRow: resumed ?? fromRow ?? 1, untilValid };
      // While waiting for the file's next records it heartbeats where it stands, as after a chunk.
      let nextRow = range.fromRow;
      return forImport(ref, () =>
        validateImport(
          deps,
          ref.importId,
          range,
          (row) => Context.current().heartbeat({ nextRow: (nextRow = row) }),
          pauseHeartbeating(() => ({ nextRow })),
        ),
      );
    },

    async findTestBatchEnd({ size, ...ref }: ImportRef & { size: number }) {
      return forImport(ref, async () => ({ lastRow: await nthValidRowNumber(deps.pool, ref.importId, size) }));
    },

    /**
     * With `followStaging` (the file is still being staged): waits for the range first, imports it cut
     * at the file's end, and answers the staged mark with the counts (src/imports/import-staged-batch.ts).
     */
    async importBatch({
      firstRow,
      lastRow,
      checkedThrough,
      followStaging,
      ...ref
    }: ImportRef & BatchRange & { checkedThrough?: number; followStaging?: boolean }): Promise<
      BatchCounts | StagedBatch
    > {
      if (followStaging)
        return measured(deps.metrics?.batchDuration, () =>
          withHeartbeats({ firstRow }, () =>
            forImport(ref, () =>
              importStagedBatch(
                deps,
                ref.importId,
                { firstRow, lastRow },
                checkedThrough,
                pauseHeartbeating(() => ({ firstRow })),
              ),
            ),
          ),
        );
      return measured(deps.metrics?.batchDuration, () =>
        withHeartbeats({ firstRow }, () =>
          forImport(ref, () => importBatchUseCase(deps, ref.importId, { firstRow, lastRow }, checkedThrough)),
        ),
      );
    },

    async checkTestBatch({ firstRow, lastRow, ...ref }: ImportRef & BatchRange) {
      const { importId } = ref;
      return forImport(ref, async () => {
        const { checked, mismatches } = await checkTestBatchUseCase(deps, importId, { firstRow, lastRow });
        if (mismatches.length > 0) {
          const fields = [...new Set(mismatches.map((m) => m.field))].join(', ');
          throw ApplicationFailure.nonRetryable(
            `test batch read-back found ${mismatches.length} mismatches (fields: ${fields})`,
            'TEST_BATCH_MISMATCH',
          );
        }
        return { checked };
      });
    },

    /** Counts only: which checks found what in the range, never a record. */
    async checkCommittedRange({ firstRow, lastRow, ...ref }: ImportRef & BatchRange) {
      return withHeartbeats({ firstRow }, () =>
        forImport(ref, () => checkCommittedRangeUseCase(deps, ref.importId, { firstRow, lastRow })),
      );
    },

    async verifyImport(ref: ImportRef) {
      return withHeartbeats({}, () =>
        forImport(ref, async () => {
          const report = await verifyImportUseCase(deps, ref.importId);
          if (!report.ok) {
            const failed = report.checks
              .filter((c) => !c.ok)
              .map((c) => c.name)
              .join('; ');
            throw ApplicationFailure.nonRetryable(`verification failed: ${failed}`, 'VERIFICATION_FAILED');
          }
          return { ok: true, sampleSize: report.sampleSize };
        }),
      );
    },

    async rollbackImport({ importId, recordedAt, ...req }: ImportRef & RollbackRequest) {
      const ctx = Context.current();
      return measured(deps.metrics?.rollbacks, () =>
        withHeartbeats({}, () =>
          forImport({ importId, recordedAt }, () =>
            rollbackImportUseCase(deps, importId, req, (step) => ctx.heartbeat({ step })),
          ),
        ),
      );
    },

    /** E-mail and webhook once an import has its final status; retried by the workflow, never fatal to it. */
    async notifyImportEnded(ref: ImportRef) {
      return measured(deps.metrics?.notifications, () =>
        forImport(ref, () => notifyImportEndedUseCase(deps, ref.importId)),
      );
    },

    /** Retention: the days come from the worker's RETENTION_DAYS unless the workflow names them. */
    async purgeExpiredImports({ retentionDays }: { retentionDays?: number }) {
      const ctx = Context.current();
      const summary = await guard(() =>
        purgeExpiredImportsUseCase(deps, retentionDays ?? deps.retentionDays ?? 90, (imports) =>
          ctx.heartbeat({ imports }),
        ),
      );
      deps.metrics?.purgedImports.inc(summary.imports);
      return summary;
    },

    /** The phase to wait in while an import of a source this one must follow is in progress; null once none is. */
    async waitingForPrerequisite(ref: ImportRef) {
      return forImport(ref, () => waitingForPrerequisiteUseCase(deps, ref.importId));
    },

    /** The boolean form asked by runs from before PREREQUISITE_WAIT_PATCH (workflows/import-workflow.ts); goes with it. */
    async nanaImportInProgress(ref: ImportRef) {
      return forImport(ref, async () => (await waitingForPrerequisiteUseCase(deps, ref.importId)) !== null);
    },

    async recordImportEvent({
      action,
      actor,
      details,
      ...ref
    }: ImportRef & { action: ImportAction; actor: string; details?: Record<string, unknown> }) {
      return forImport(ref, () => recordEvent(deps.pool, ref.importId, action, actor, details));
    },

    async setImportPhase({
      status,
      phase,
      force,
      ...ref
    }: ImportRef & { status: ImportStatus; phase: ImportPhase; force?: boolean }) {
      return forImport(ref, () => (force ? forcePhase : setPhase)(deps.pool, ref.importId, status, phase));
    },

    async recordImportFailure({ code, message, ...ref }: ImportRef & { code: string; message: string }) {
      return forImport(ref, () => recordFailure(deps.pool, ref.importId, { code, message }));
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;

const HEARTBEAT_EVERY_MS = 5_000;

/** Between two looks at a file still being staged: a heartbeat (a cancel arrives with its answer), then a cancellable sleep. */
function pauseHeartbeating(details: () => object): StagingPause {
  return async () => {
    const ctx = Context.current();
    ctx.heartbeat(details());
    await ctx.sleep(STAGING_POLL_MS);
  };
}

/** Keeps a long single-transaction step visibly alive, so a dead worker is noticed within the heartbeat timeout. */
export async function withHeartbeats<T>(details: object, fn: () => Promise<T>): Promise<T> {
  const ctx = Context.current();
  ctx.heartbeat(details);
  const timer = setInterval(() => ctx.heartbeat(details), HEARTBEAT_EVERY_MS);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

export async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toActivityFailure(err);
  }
}
