import { activityInfo, Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { setPhase, forcePhase, recordFailure } from '../src/db/queries/imports';
import { nthValidRowNumber } from '../src/db/queries/staged-rows';
import { checkTestBatch as checkTestBatchUseCase } from '../src/imports/check-test-batch';
import { nanaImportInProgress as nanaImportInProgressUseCase } from '../src/imports/careshop/wait-for-nana';
import type { WorkerDeps } from '../src/imports/deps';
import { importBatch as importBatchUseCase, type BatchRange } from '../src/imports/import-batch';
import { notifyImportEnded as notifyImportEndedUseCase } from '../src/imports/notify-import-ended';
import { purgeExpiredImports as purgeExpiredImportsUseCase } from '../src/imports/purge-expired-imports';
import { measured } from '../src/observability/worker-metrics';
import { rollbackImport as rollbackImportUseCase, type RollbackRequest } from '../src/imports/rollback-import';
import { recordEvent, type ImportAction } from '../src/db/queries/import-events';
import { validateImport } from '../src/imports/validate-import';
import { verifyImport as verifyImportUseCase } from '../src/imports/verify-import';
import type { ImportPhase, ImportStatus } from '../workflows/definitions';
import { toActivityFailure } from './failures';

export interface ImportRef {
  importId: number;
}

/** Activities are thin: ids in, a use case called, counts out, errors mapped to retryable or not. */
export function createActivities(deps: WorkerDeps) {
  return {
    async validateRows({ importId }: ImportRef) {
      // Chunks already checked are skipped on a retry; re-checking one would be harmless too.
      const resumeFrom = (activityInfo().heartbeatDetails as { nextRow?: number } | undefined)?.nextRow ?? 1;
      return guard(() => validateImport(deps, importId, resumeFrom, (nextRow) => Context.current().heartbeat({ nextRow })));
    },

    async findTestBatchEnd({ importId, size }: ImportRef & { size: number }) {
      return guard(async () => ({ lastRow: await nthValidRowNumber(deps.pool, importId, size) }));
    },

    async importBatch({ importId, firstRow, lastRow }: ImportRef & BatchRange) {
      return measured(deps.metrics?.batchDuration, () => withHeartbeats({ firstRow }, () => guard(() => importBatchUseCase(deps, importId, { firstRow, lastRow }))));
    },

    async checkTestBatch({ importId, firstRow, lastRow }: ImportRef & BatchRange) {
      return guard(async () => {
        const { checked, mismatches } = await checkTestBatchUseCase(deps, importId, { firstRow, lastRow });
        if (mismatches.length > 0) {
          const fields = [...new Set(mismatches.map((m) => m.field))].join(', ');
          throw ApplicationFailure.nonRetryable(`test batch read-back found ${mismatches.length} mismatches (fields: ${fields})`, 'TEST_BATCH_MISMATCH');
        }
        return { checked };
      });
    },

    async verifyImport({ importId }: ImportRef) {
      return withHeartbeats({}, () => guard(async () => {
        const report = await verifyImportUseCase(deps, importId);
        if (!report.ok) {
          const failed = report.checks.filter((c) => !c.ok).map((c) => c.name).join('; ');
          throw ApplicationFailure.nonRetryable(`verification failed: ${failed}`, 'VERIFICATION_FAILED');
        }
        return { ok: true, sampleSize: report.sampleSize };
      }));
    },

    async rollbackImport({ importId, ...req }: ImportRef & RollbackRequest) {
      const ctx = Context.current();
      return measured(deps.metrics?.rollbacks, () => withHeartbeats({}, () => guard(() => rollbackImportUseCase(deps, importId, req, (step) => ctx.heartbeat({ step })))));
    },

    /** E-mail and webhook once an import has its final status; retried by the workflow, never fatal to it. */
    async notifyImportEnded({ importId }: ImportRef) {
      return measured(deps.metrics?.notifications, () => guard(() => notifyImportEndedUseCase(deps, importId)));
    },

    /** Retention: the days come from the worker's RETENTION_DAYS unless the workflow names them. */
    async purgeExpiredImports({ retentionDays }: { retentionDays?: number }) {
      const ctx = Context.current();
      const summary = await guard(() => purgeExpiredImportsUseCase(deps, retentionDays ?? deps.retentionDays ?? 90, (imports) => ctx.heartbeat({ imports })));
      deps.metrics?.purgedImports.inc(summary.imports);
      return summary;
    },

    /** Care Shop waits for Nana: true while a nana import is in progress and this one is careshop. */
    async nanaImportInProgress({ importId }: ImportRef) {
      return guard(() => nanaImportInProgressUseCase(deps, importId));
    },

    async recordImportEvent({ importId, action, actor, details }: ImportRef & { action: ImportAction; actor: string; details?: Record<string, unknown> }) {
      return guard(() => recordEvent(deps.pool, importId, action, actor, details));
    },

    async setImportPhase({ importId, status, phase, force }: ImportRef & { status: ImportStatus; phase: ImportPhase; force?: boolean }) {
      return guard(() => (force ? forcePhase : setPhase)(deps.pool, importId, status, phase));
    },

    async recordImportFailure({ importId, code, message }: ImportRef & { code: string; message: string }) {
      return guard(() => recordFailure(deps.pool, importId, { code, message }));
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;

const HEARTBEAT_EVERY_MS = 5_000;

/** Keeps a long single-transaction step visibly alive, so a dead worker is noticed within the heartbeat timeout. */
async function withHeartbeats<T>(details: object, fn: () => Promise<T>): Promise<T> {
  const ctx = Context.current();
  ctx.heartbeat(details);
  const timer = setInterval(() => ctx.heartbeat(details), HEARTBEAT_EVERY_MS);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toActivityFailure(err);
  }
}
