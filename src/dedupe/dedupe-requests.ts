import type pg from 'pg';
import { inTransaction } from '../db/queryable';
import {
  findMergeBatch,
  finishMergeBatch,
  insertMergeBatch,
  setMergeBatchWorkflow,
  type BatchGroups,
  type MergeBatch,
} from '../db/queries/merge-batches';
import {
  findGroup,
  findScan,
  finishScan,
  groupCustomers,
  insertScan,
  listGroups,
  setScanWorkflow,
  type DedupeScan,
  type GroupCustomer,
} from '../db/queries/dedupe';
import type { ScanScope } from '../db/queries/dedupe-matching';
import {
  findMerge,
  insertMerge,
  setMergeStatus,
  setMergeWorkflow,
  unmergeableCustomers,
  type Merge,
  type MergeRule,
} from '../db/queries/merges';
import type { MergeableField } from '../domain/dedupe/survivor-fields';
import { FerryError, NotFoundError } from '../errors';
import type { DedupeWorkflows } from './dedupe-workflows';
import { MergeRefusedError } from './merge-customers';

export interface DedupeDeps {
  pool: pg.Pool;
  dedupeWorkflows: DedupeWorkflows;
}

/** A workflow Temporal would not start: the row is kept as failed and the caller may try again. */
async function started<T>(
  start: () => Promise<T>,
  onFailure: (failure: { code: string; message: string }) => Promise<void>,
): Promise<T> {
  try {
    return await start();
  } catch (err) {
    const failure = { code: 'WORKFLOW_NOT_STARTED', message: 'Temporal did not start the workflow; try again' };
    await onFailure(failure);
    throw new FerryError(failure.code, failure.message, 503, undefined, { cause: err });
  }
}

export async function startScan(
  deps: DedupeDeps,
  scope: ScanScope,
  by: string,
): Promise<DedupeScan & { workflowId: string }> {
  const scan = await insertScan(deps.pool, scope, by);
  const workflowId = await started(
    () => deps.dedupeWorkflows.startScan(scan.id, by),
    (f) => finishScan(deps.pool, scan.id, 'failed', f),
  );
  await setScanWorkflow(deps.pool, scan.id, workflowId);
  return { ...scan, workflowId };
}

export async function getScan(deps: Pick<DedupeDeps, 'pool'>, scanId: number): Promise<DedupeScan> {
  const scan = await findScan(deps.pool, scanId);
  if (!scan) throw new NotFoundError(`dedupe scan ${scanId}`);
  return scan;
}

export async function scanGroups(
  deps: Pick<DedupeDeps, 'pool'>,
  scanId: number,
  q: { page: number; pageSize: number; minScore: number },
) {
  await getScan(deps, scanId);
  const { items, total } = await listGroups(deps.pool, scanId, q);
  const customers = new Map(
    (
      await groupCustomers(
        deps.pool,
        items.flatMap((g) => g.customerIds),
      )
    ).map((c) => [c.id, c]),
  );
  return {
    items: items.map((g) => ({
      id: g.id,
      score: g.score,
      reasons: g.reasons,
      customers: g.customerIds.map((id) => customers.get(id)).filter((c): c is GroupCustomer => c !== undefined),
    })),
    total,
  };
}

export interface MergeRequest {
  groupId?: number;
  survivorId?: number;
  mergedIds?: number[];
  rule: MergeRule;
  choices: Partial<Record<MergeableField, number>>;
}

/** Checks what can be checked before the workflow (the customers exist and are active), records the merge and starts it. */
export async function requestMerge(deps: DedupeDeps, req: MergeRequest, by: string): Promise<Merge> {
  const { survivorId, mergedIds } = await mergeMembers(deps.pool, req);
  const all = [survivorId, ...mergedIds];
  if (new Set(all).size !== all.length || mergedIds.length === 0)
    throw new FerryError(
      'INVALID_MERGE',
      'a merge needs a survivor and at least one other customer, each named once',
      400,
    );
  for (const [field, id] of Object.entries(req.choices)) {
    if (!all.includes(id!))
      throw new FerryError('INVALID_CHOICE', `choices.${field} names customer ${id}, who is not in the merge`, 400);
  }
  const { missing, merged } = await unmergeableCustomers(deps.pool, all);
  if (missing.length > 0) throw new NotFoundError(`customers ${missing.join(', ')}`);
  if (merged.length > 0)
    throw new MergeRefusedError('CUSTOMER_ALREADY_MERGED', `customers ${merged.join(', ')} were merged already`);
  const merge = await insertMerge(deps.pool, {
    groupId: req.groupId ?? null,
    survivorId,
    mergedIds,
    rule: req.rule,
    choices: req.choices as Record<string, number>,
    createdBy: by,
  });
  const workflowId = await started(
    () => deps.dedupeWorkflows.startMerge(merge.id, by),
    (f) => setMergeStatus(deps.pool, merge.id, 'failed', { failure: f }),
  );
  await setMergeWorkflow(deps.pool, merge.id, workflowId);
  return { ...merge, workflowId };
}

/** A group's survivor is the one the admin names, else its oldest customer (the lowest id). */
async function mergeMembers(pool: pg.Pool, req: MergeRequest): Promise<{ survivorId: number; mergedIds: number[] }> {
  if (req.groupId === undefined) return { survivorId: req.survivorId!, mergedIds: req.mergedIds ?? [] };
  const group = await findGroup(pool, req.groupId);
  if (!group) throw new NotFoundError(`group ${req.groupId}`);
  const survivorId = req.survivorId ?? group.customerIds[0]!;
  if (!group.customerIds.includes(survivorId))
    throw new FerryError('INVALID_MERGE', `survivor ${survivorId} is not in group ${req.groupId}`, 400);
  return { survivorId, mergedIds: group.customerIds.filter((id) => id !== survivorId) };
}

export async function getMerge(deps: Pick<DedupeDeps, 'pool'>, mergeId: number): Promise<Merge> {
  const merge = await findMerge(deps.pool, mergeId);
  if (!merge) throw new NotFoundError(`merge ${mergeId}`);
  return merge;
}

export async function requestUndo(
  deps: DedupeDeps,
  mergeId: number,
  by: string,
): Promise<{ merge: Merge; workflowId: string }> {
  const merge = await getMerge(deps, mergeId);
  if (merge.status !== 'completed')
    throw new MergeRefusedError(
      'MERGE_NOT_UNDOABLE',
      `merge ${mergeId} is ${merge.status}; only a completed merge can be undone`,
    );
  const workflowId = await started(
    () => deps.dedupeWorkflows.startUnmerge(mergeId, by),
    async () => undefined,
  );
  return { merge, workflowId };
}

/** Records a batch with one merge per group and starts its one workflow run. */
export async function requestMergeBatch(
  deps: DedupeDeps,
  groups: BatchGroups,
  rule: MergeRule,
  by: string,
): Promise<MergeBatch> {
  if ('scanId' in groups) await getScan(deps, groups.scanId);
  // A request naming no group leaves no batch behind: the transaction rolls back with the refusal.
  const batch = await inTransaction(deps.pool, async (db) => {
    const inserted = await insertMergeBatch(db, groups, rule, by);
    if (inserted.counts.merges === 0)
      throw new FerryError('NO_GROUPS', 'no group matches the request: nothing to merge', 400);
    return inserted;
  });
  const workflowId = await started(
    () => deps.dedupeWorkflows.startMergeBatch(batch.id, by),
    (f) => finishMergeBatch(deps.pool, batch.id, 'failed', f).then(() => undefined),
  );
  await setMergeBatchWorkflow(deps.pool, batch.id, workflowId);
  return { ...batch, workflowId };
}

export async function getMergeBatch(deps: Pick<DedupeDeps, 'pool'>, batchId: number): Promise<MergeBatch> {
  const batch = await findMergeBatch(deps.pool, batchId);
  if (!batch) throw new NotFoundError(`merge batch ${batchId}`);
  return batch;
}
