import type pg from 'pg';
import { inTransaction } from '../db/queryable';
import { findMerge, setMergeStatus, unmergeableCustomers, type Merge } from '../db/queries/merges';
import {
  deleteDuplicateValues,
  markMerged,
  readCustomerFields,
  referencingTables,
  repointRows,
  updateSurvivor,
} from '../db/queries/merge-rows';
import { survivorFields } from '../domain/dedupe/survivor-fields';
import { FerryError, NotFoundError } from '../errors';
import { CUSTOMER_WRITE_LOCK } from '../imports/deps';

/** A merge that cannot happen as asked: retrying will not help. */
export class MergeRefusedError extends FerryError {
  constructor(code: string, message: string) {
    super(code, message, 409);
    this.name = 'MergeRefusedError';
  }
}

/**
 * Folds the merged customers into the survivor in one transaction: their rows in every table that
 * references customers move to the survivor (copies of a phone, e-mail or id it already has are
 * deleted), its blank fields are filled by the merge's rule, and they point at it with
 * `merged_into`. Every write lands in merge_changes with its before-image. All or nothing, so a
 * worker killed half way leaves no trace, and a retry after the commit finds the merge completed.
 */
export async function mergeCustomers(pool: pg.Pool, mergeId: number): Promise<Record<string, number>> {
  return inTransaction(pool, async (db) => {
    // Import batches and rollbacks take the same lock: none of them sees half a merge.
    await db.query('SELECT pg_advisory_xact_lock($1)', [CUSTOMER_WRITE_LOCK]);
    const merge = await findMerge(db, mergeId, { forUpdate: true });
    if (!merge) throw new NotFoundError(`merge ${mergeId}`);
    if (merge.status === 'completed') return (merge.report?.moved as Record<string, number> | undefined) ?? {};
    if (merge.status !== 'running')
      throw new MergeRefusedError('MERGE_NOT_RUNNING', `merge ${mergeId} is ${merge.status}`);
    await checkCustomers(db, merge);
    const moved = await moveRows(db, merge);
    await fillSurvivor(db, merge);
    moved.customers_merged = await markMerged(db, mergeId, merge.mergedIds, merge.survivorId);
    // Customers merged earlier into one of these now point at the survivor: one hop resolves any of them.
    moved.customers_repointed = await repointRows(
      db,
      mergeId,
      'customers',
      'merged_into',
      merge.mergedIds,
      merge.survivorId,
    );
    await setMergeStatus(db, mergeId, 'completed', { report: { moved } });
    return moved;
  });
}

async function checkCustomers(db: pg.PoolClient, merge: Merge): Promise<void> {
  const { missing, merged } = await unmergeableCustomers(db, [merge.survivorId, ...merge.mergedIds]);
  if (missing.length > 0)
    throw new MergeRefusedError(
      'CUSTOMER_NOT_FOUND',
      `merge ${merge.id}: customers ${missing.join(', ')} do not exist`,
    );
  if (merged.length > 0)
    throw new MergeRefusedError(
      'CUSTOMER_ALREADY_MERGED',
      `merge ${merge.id}: customers ${merged.join(', ')} were merged already`,
    );
}

async function moveRows(db: pg.PoolClient, merge: Merge): Promise<Record<string, number>> {
  const moved: Record<string, number> = {};
  for (const { table } of await referencingTables(db)) {
    const deleted = await deleteDuplicateValues(db, merge.id, table, merge.survivorId, merge.mergedIds);
    if (deleted > 0) moved[`${table}_duplicates_deleted`] = deleted;
    moved[table] = await repointRows(db, merge.id, table, 'customer_id', merge.mergedIds, merge.survivorId);
  }
  return moved;
}

async function fillSurvivor(db: pg.PoolClient, merge: Merge): Promise<void> {
  const [survivor, ...merged] = await readCustomerFields(db, [merge.survivorId, ...merge.mergedIds]);
  try {
    await updateSurvivor(db, merge.id, merge.survivorId, survivorFields(survivor!, merged, merge.rule, merge.choices));
  } catch (err) {
    if (err instanceof RangeError) throw new MergeRefusedError('INVALID_CHOICE', err.message);
    throw err;
  }
}
