import { listEvents, recordEvent } from '../db/queries/import-events';
import { isTerminal, reopenValidated, type ImportRecord } from '../db/queries/imports';
import { ConflictError } from '../errors';
import { loadImport } from './load-import';
import { rollbackPreview } from './rollback-import';
import { reconcileImport, type OperatorDeps } from './reconcile-import';
import { startRun } from './start-run';

export async function getImportDetail(deps: OperatorDeps, importId: number) {
  const { imp } = await loadImport(deps.pool, importId);
  const fresh = await reconcileImport(deps, imp);
  return { imp: fresh, events: await listEvents(deps.pool, importId) };
}

/** How long an approval waits for a dry run's workflow to close before it answers 409. */
const DRY_RUN_CLOSE_WAIT_MS = 10_000;

/** Approve an import waiting after its test batch, or start for real one that was a dry run. */
export async function approveImport(deps: OperatorDeps, importId: number, by: string): Promise<ImportRecord> {
  const { imp } = await loadImport(deps.pool, importId);
  if (imp.status === 'awaiting_approval' && imp.workflowId) {
    await deps.workflows.approve(imp.workflowId, by);
  } else if (imp.status === 'validated') {
    // The dry run's workflow may still be sending its notifications (retrying a webhook that is down
    // can take minutes): the real run must be a new run, never that one joined.
    if (imp.workflowId && !(await deps.workflows.awaitClosed(imp.workflowId, DRY_RUN_CLOSE_WAIT_MS))) {
      throw new ConflictError(
        'DRY_RUN_STILL_CLOSING',
        `import ${importId}'s dry run is still sending its notifications (workflow ${imp.workflowId}); approve again once it has closed`,
      );
    }
    await recordEvent(deps.pool, importId, 'approved', by, { afterDryRun: true });
    await reopenValidated(deps.pool, importId);
    await startRun(deps.workflows, imp, { approvedDryRun: true });
  } else {
    throw new ConflictError(
      'NOT_AWAITING_APPROVAL',
      `import ${importId} is ${imp.status}: only an import awaiting approval or a validated dry run can be approved`,
    );
  }
  return (await loadImport(deps.pool, importId)).imp;
}

export async function rejectImport(deps: OperatorDeps, importId: number, by: string): Promise<ImportRecord> {
  const { imp } = await loadImport(deps.pool, importId);
  if (imp.status !== 'awaiting_approval' || !imp.workflowId)
    throw new ConflictError(
      'NOT_AWAITING_APPROVAL',
      `import ${importId} is ${imp.status} and is not waiting for approval`,
    );
  await deps.workflows.reject(imp.workflowId, by);
  return (await loadImport(deps.pool, importId)).imp;
}

export async function cancelImport(deps: OperatorDeps, importId: number, by: string): Promise<void> {
  const { imp } = await loadImport(deps.pool, importId);
  if (isTerminal(imp) || !imp.workflowId)
    throw new ConflictError('NOT_RUNNING', `import ${importId} is ${imp.status} and cannot be cancelled`);
  await recordEvent(deps.pool, importId, 'cancel_requested', by);
  await deps.workflows.cancel(imp.workflowId);
}

/** Rollback of a finished (or stranded) import, as its own workflow. */
export async function requestRollback(
  deps: OperatorDeps,
  importId: number,
  by: string,
  force: boolean,
): Promise<string> {
  const { imp } = await loadImport(deps.pool, importId);
  const fresh = await reconcileImport(deps, imp);
  if (!isTerminal(fresh))
    throw new ConflictError(
      'STILL_RUNNING',
      `import ${importId} is ${fresh.status}: cancel it instead (cancel rolls back)`,
    );
  if (fresh.purgedAt)
    throw new ConflictError(
      'PURGED',
      `import ${importId} can no longer be rolled back: its records were purged on ${new Date(fresh.purgedAt).toISOString()} under the retention period (RETENTION_DAYS)`,
    );
  return deps.workflows.rollback(importId, { force, by, recordedAt: fresh.createdAt });
}

export { reconcileImport, rollbackPreview, type OperatorDeps };
