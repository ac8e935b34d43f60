import { listEvents, recordEvent } from '../db/queries/import-events';
import { recordFailure, reopenValidated, setPhase, TERMINAL_STATUSES, type ImportRecord } from '../db/queries/imports';
import { ConflictError } from '../errors';
import type { ImportDeps } from './deps';
import type { ImportOptions } from './import-options';
import { loadImport } from './load-import';
import { rollbackPreview } from './rollback-import';
import type { WorkflowControl, WorkflowState } from './workflow-control';
import { rollbackWorkflowId } from '../domain/workflow-ids';

export type OperatorDeps = ImportDeps & { workflows: WorkflowControl };

const isTerminal = (imp: ImportRecord) => TERMINAL_STATUSES.includes(imp.status);

const RECONCILE_GRACE_MS = 10_000;

/**
 * A running import whose workflow is gone (terminated, timed out) can run no code of its own:
 * noticed when read, marked failed, and left for a rollback.
 */
export async function reconcileImport(deps: OperatorDeps, imp: ImportRecord): Promise<ImportRecord> {
  if (isTerminal(imp) || imp.status === 'staging' || !imp.workflowId) return imp;
  // A start, a dry run's approval or a run's last bookkeeping may be in flight: judge only a quiet import.
  if (deps.clock.now().getTime() - new Date(imp.updatedAt).getTime() < RECONCILE_GRACE_MS) return imp;
  const closed = (state: WorkflowState) => ['TERMINATED', 'TIMED_OUT', 'FAILED', 'CANCELLED', 'COMPLETED', 'NOT_FOUND'].includes(state);
  const state = await deps.workflows.state(imp.workflowId);
  if (!closed(state)) return imp;
  // A rollback asked for after the run ended is its own workflow.
  if (imp.status === 'rolling_back' && !closed(await deps.workflows.state(rollbackWorkflowId(imp.id)))) return imp;
  // Re-read: the workflow may have finished its last bookkeeping between the two reads.
  const { imp: latest } = await loadImport(deps.pool, imp.id);
  if (isTerminal(latest)) return latest;
  await recordFailure(deps.pool, imp.id, { code: 'WORKFLOW_STRANDED', message: `the workflow ended (${state.toLowerCase()}) without finishing the import; roll it back` });
  await setPhase(deps.pool, imp.id, 'failed', 'done');
  await recordEvent(deps.pool, imp.id, 'marked_failed', 'ferry', { workflowState: state });
  return (await loadImport(deps.pool, imp.id)).imp;
}

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
      throw new ConflictError('DRY_RUN_STILL_CLOSING', `import ${importId}'s dry run is still sending its notifications (workflow ${imp.workflowId}); approve again once it has closed`);
    }
    await recordEvent(deps.pool, importId, 'approved', by, { afterDryRun: true });
    await reopenValidated(deps.pool, importId);
    await deps.workflows.start({ id: imp.id, source: imp.source, fileName: imp.fileName, createdBy: imp.createdBy, options: { ...(imp.options as ImportOptions), dryRun: false, requireApproval: false }, recordedAt: imp.createdAt });
  } else {
    throw new ConflictError('NOT_AWAITING_APPROVAL', `import ${importId} is ${imp.status}: only an import awaiting approval or a validated dry run can be approved`);
  }
  return (await loadImport(deps.pool, importId)).imp;
}

export async function rejectImport(deps: OperatorDeps, importId: number, by: string): Promise<ImportRecord> {
  const { imp } = await loadImport(deps.pool, importId);
  if (imp.status !== 'awaiting_approval' || !imp.workflowId) throw new ConflictError('NOT_AWAITING_APPROVAL', `import ${importId} is ${imp.status} and is not waiting for approval`);
  await deps.workflows.reject(imp.workflowId, by);
  return (await loadImport(deps.pool, importId)).imp;
}

export async function cancelImport(deps: OperatorDeps, importId: number, by: string): Promise<void> {
  const { imp } = await loadImport(deps.pool, importId);
  if (isTerminal(imp) || !imp.workflowId) throw new ConflictError('NOT_RUNNING', `import ${importId} is ${imp.status} and cannot be cancelled`);
  await recordEvent(deps.pool, importId, 'cancel_requested', by);
  await deps.workflows.cancel(imp.workflowId);
}

/** Rollback of a finished (or stranded) import, as its own workflow. */
export async function requestRollback(deps: OperatorDeps, importId: number, by: string, force: boolean): Promise<string> {
  const { imp } = await loadImport(deps.pool, importId);
  const fresh = await reconcileImport(deps, imp);
  if (!isTerminal(fresh)) throw new ConflictError('STILL_RUNNING', `import ${importId} is ${fresh.status}: cancel it instead (cancel rolls back)`);
  if (fresh.purgedAt) throw new ConflictError('PURGED', `import ${importId} can no longer be rolled back: its records were purged on ${new Date(fresh.purgedAt).toISOString()} under the retention period (RETENTION_DAYS)`);
  return deps.workflows.rollback(importId, { force, by, recordedAt: fresh.createdAt });
}

export { rollbackPreview };
