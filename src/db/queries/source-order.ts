import type { Queryable } from '../queryable';

/** Whether any import of `source` other than `exceptId` is between staging and a final status. */
export async function importInProgress(db: Queryable, source: string, exceptId: number): Promise<boolean> {
  const { rows } = await db.query<{ busy: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM imports WHERE source = $1 AND id <> $2 AND status IN ('queued', 'running', 'awaiting_approval', 'rolling_back')) AS busy`,
    [source, exceptId],
  );
  return rows[0].busy;
}

/** The visible waiting state; phase names are free text in the imports row. */
export async function markWaiting(db: Queryable, importId: number, phase: string): Promise<void> {
  await db.query(
    `UPDATE imports SET status = 'waiting', phase = $2, updated_at = now(),
       phase_log = phase_log || jsonb_build_object('status', 'waiting', 'phase', $2::text, 'at', now())
     WHERE id = $1 AND status IN ('queued', 'running') `,
    [importId, phase],
  );
}
