import type pg from 'pg';
import { mergesOfImportCustomers } from '../db/queries/merges';
import { previewUndo, unmergeCustomers, type UndoPreview } from './unmerge-customers';

/*
 * An import's rollback removes the customers it created. A merge since then folded rows into or out
 * of them, and merge_changes holds before-images that name them: removing the customers under a
 * completed merge would leave that undo re-inserting rows for a customer that is gone. So the
 * rollback first undoes those merges (latest first, each in its own transaction, as
 * `POST /api/merges/:id/undo` would), and then removes the import's rows as if they never merged.
 */

/** What undoing the merges of this import's customers would do; changes nothing. */
export async function previewImportMergeUndos(pool: pg.Pool, importId: number): Promise<UndoPreview[]> {
  const previews: UndoPreview[] = [];
  for (const mergeId of await mergesOfImportCustomers(pool, importId)) previews.push(await previewUndo(pool, mergeId));
  return previews;
}

/** Undoes every completed merge of this import's customers; a merge undone already is skipped, so a retry is safe. */
export async function undoImportMerges(pool: pg.Pool, importId: number): Promise<UndoPreview[]> {
  const undone: UndoPreview[] = [];
  for (const mergeId of await mergesOfImportCustomers(pool, importId))
    undone.push(await unmergeCustomers(pool, mergeId));
  return undone;
}
