import { inTransaction } from '../db/queryable';
import { listEvents, recordEvent } from '../db/queries/import-events';
import {
  claimUnstarted,
  isTerminal,
  listQuietUnfinished,
  recordFailure,
  setPhase,
  type ImportRecord,
} from '../db/queries/imports';
import { rollbackWorkflowId } from '../vocabulary';
import type { ImportDeps } from './deps';
import { loadImport } from './load-import';
import { startRun } from './start-run';
import type { RunState, WorkflowControl, WorkflowState } from './import-workflows';

export type OperatorDeps = ImportDeps & { workflows: WorkflowControl };

/** A start, a dry run's approval or a run's last bookkeeping may be in flight: only an import quiet this long is judged. */
export const RECONCILE_GRACE_MS = 10_000;

const CLOSED: WorkflowState[] = ['TERMINATED', 'TIMED_OUT', 'FAILED', 'CANCELLED', 'COMPLETED', 'NOT_FOUND'];
const isClosed = (run: RunState) => CLOSED.includes(run.state);

/**
 * Brings an unfinished import in line with its workflow, which the import's own code cannot do:
 * - queued, and no run was ever started for it (the api stopped between committing the staged
 *   records and starting the workflow, or between reopening an approved dry run and starting its
 *   real run): the run is started now, nothing is lost;
 * - running, but its workflow is gone (terminated, timed out): marked failed, left for a rollback.
 */
export async function reconcileImport(deps: OperatorDeps, imp: ImportRecord): Promise<ImportRecord> {
  return (await reconcile(deps, imp)).imp;
}

type Reconciled = { imp: ImportRecord; action: 'none' | 'started' | 'marked_failed' };

/** `quietSince`: the pass's own (reconcileUnfinished); read from the database only for an import it could concern. */
async function reconcile(deps: OperatorDeps, imp: ImportRecord, quietSince?: Date): Promise<Reconciled> {
  const none = { imp, action: 'none' as const };
  if (isTerminal(imp) || imp.status === 'staging' || !imp.workflowId) return none;
  const quiet = quietSince ?? (await quietPeriodStart(deps));
  if (new Date(imp.updatedAt) >= quiet) return none;
  const run = await deps.workflows.state(imp.workflowId);
  if (!isClosed(run)) return none;
  if (imp.status === 'queued') {
    const approvedDryRun = await approvedAfterDryRun(deps, imp.id);
    if (isEarlierRun(imp, run, approvedDryRun)) return startUnstarted(deps, imp, run, quiet, approvedDryRun);
  }
  // A rollback asked for after the run ended is its own workflow.
  if (imp.status === 'rolling_back' && !isClosed(await deps.workflows.state(rollbackWorkflowId(imp.id)))) return none;
  // Re-read: the workflow may have finished its last bookkeeping between the two reads.
  const { imp: latest } = await loadImport(deps.pool, imp.id);
  if (isTerminal(latest)) return { imp: latest, action: 'none' };
  await recordFailure(deps.pool, imp.id, {
    code: 'WORKFLOW_STRANDED',
    message: `the workflow ended (${run.state.toLowerCase()}) without finishing the import; roll it back`,
  });
  await setPhase(deps.pool, imp.id, 'failed', 'done');
  await recordEvent(deps.pool, imp.id, 'marked_failed', 'ferry', { workflowState: run.state });
  return { imp: (await loadImport(deps.pool, imp.id)).imp, action: 'marked_failed' };
}

/**
 * RECONCILE_GRACE_MS ago by the database's clock, which writes updated_at: the api host's clock may
 * be ahead (every import would look quiet at once) or behind (none would for as long).
 */
async function quietPeriodStart(deps: OperatorDeps): Promise<Date> {
  const { rows } = await deps.pool.query<{ at: Date }>(`SELECT now() - make_interval(secs => $1) AS at`, [
    RECONCILE_GRACE_MS / 1000,
  ]);
  return rows[0].at;
}

/**
 * Whether the queued import's closed run is not the run it was queued for: none was ever started, or
 * the run is the dry run an approval has reopened the import after. Told by the run's memo, never by
 * comparing Temporal's clock (closeTime) with the database's (updated_at), which may run apart: the
 * approval follows the dry run's close by as little as a round trip. Runs started before the memo
 * said whether they were dry runs fall back to the clocks.
 */
function isEarlierRun(imp: ImportRecord, run: RunState, approvedDryRun: boolean): boolean {
  if (run.state === 'NOT_FOUND') return true;
  if (run.dryRun === null) return run.closedAt === null || run.closedAt < new Date(imp.updatedAt);
  return run.dryRun && approvedDryRun;
}

const approvedAfterDryRun = async (deps: OperatorDeps, importId: number) =>
  (await listEvents(deps.pool, importId)).some((e) => e.action === 'approved' && e.details?.afterDryRun === true);

/** Starts the run a queued import never got; of several apis reconciling at once, the one whose claim lands starts it. */
async function startUnstarted(
  deps: OperatorDeps,
  imp: ImportRecord,
  run: RunState,
  quietSince: Date,
  approvedDryRun: boolean,
): Promise<Reconciled> {
  const claimed = await inTransaction(deps.pool, async (client) => {
    if (!(await claimUnstarted(client, imp.id, quietSince))) return false;
    await recordEvent(client, imp.id, 'workflow_started', 'ferry', { previousRun: run.state });
    return true;
  });
  // The real run of an approved dry run gets the options the approval gives it (operator-actions.ts).
  if (claimed) await startRun(deps.workflows, imp, { approvedDryRun });
  return { imp: (await loadImport(deps.pool, imp.id)).imp, action: claimed ? 'started' : 'none' };
}

/** Reconciles every unfinished import quiet for the grace period (the api does it at start and then periodically). */
export async function reconcileUnfinished(
  deps: OperatorDeps,
): Promise<{ checked: number; started: number; markedFailed: number }> {
  const quietSince = await quietPeriodStart(deps);
  const candidates = await listQuietUnfinished(deps.pool, quietSince);
  const summary = { checked: candidates.length, started: 0, markedFailed: 0 };
  for (const imp of candidates) {
    const { action } = await reconcile(deps, imp, quietSince);
    if (action === 'started') summary.started++;
    if (action === 'marked_failed') summary.markedFailed++;
  }
  return summary;
}
