import type pg from 'pg';
import { inTransaction } from '../db/queryable';
import { findMerge, setMergeStatus } from '../db/queries/merges';
import { laterMergesOnSameRows, restoreRows, undoPlan, type TableUndo } from '../db/queries/merge-undo-rows';
import { NotFoundError } from '../errors';
import { CUSTOMER_WRITE_LOCK } from '../imports/deps';
import { MergeRefusedError } from './merge-customers';

export interface UndoPreview {
  mergeId: number;
  status: string;
  tables: TableUndo[];
  /** Later merges that changed rows this one wrote: their work is kept, those rows are not restored. */
  laterMerges: number[];
  /** Whether anything was changed since the merge (then the undo keeps that work, and says so). */
  keepsLaterWork: boolean;
}

/** What an undo would restore and what it would keep; changes nothing. */
export async function previewUndo(pool: pg.Pool, mergeId: number): Promise<UndoPreview> {
  const client = await pool.connect();
  try {
    const merge = await findMerge(client, mergeId);
    if (!merge) throw new NotFoundError(`merge ${mergeId}`);
    return describe(
      mergeId,
      merge.status,
      await undoPlan(client, mergeId),
      await laterMergesOnSameRows(client, mergeId),
    );
  } finally {
    client.release();
  }
}

/**
 * Puts back every row the merge wrote that is still as the merge left it, in one transaction; rows
 * changed since (a later import's update, a later merge) are kept and reported. A retry after the
 * commit finds the merge undone and returns its report.
 */
export async function unmergeCustomers(pool: pg.Pool, mergeId: number): Promise<UndoPreview> {
  return inTransaction(pool, async (db) => {
    await db.query('SELECT pg_advisory_xact_lock($1)', [CUSTOMER_WRITE_LOCK]);
    const merge = await findMerge(db, mergeId, { forUpdate: true });
    if (!merge) throw new NotFoundError(`merge ${mergeId}`);
    if (merge.status === 'undone') return merge.report?.undo as UndoPreview;
    if (merge.status !== 'completed' && merge.status !== 'undoing')
      throw new MergeRefusedError(
        'MERGE_NOT_UNDOABLE',
        `merge ${mergeId} is ${merge.status}; only a completed merge can be undone`,
      );
    const laterMerges = await laterMergesOnSameRows(db, mergeId);
    const undo = describe(mergeId, 'undone', await restoreRows(db, mergeId), laterMerges);
    await setMergeStatus(db, mergeId, 'undone', { report: { ...merge.report, undo } });
    return undo;
  });
}

function describe(mergeId: number, status: string, tables: TableUndo[], laterMerges: number[]): UndoPreview {
  return {
    mergeId,
    status,
    tables,
    laterMerges,
    keepsLaterWork: laterMerges.length > 0 || tables.some((t) => t.changedSince > 0),
  };
}
