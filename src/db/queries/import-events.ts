import type { Queryable } from '../queryable';

export type ImportAction =
  | 'uploaded'
  | 'approved'
  | 'rejected'
  | 'cancel_requested'
  | 'cancelled'
  | 'rollback_requested'
  | 'rolled_back'
  | 'expired'
  | 'marked_failed'
  | 'workflow_started'
  | 'purged';

export interface ImportEvent {
  action: ImportAction;
  actor: string;
  at: Date;
  details: Record<string, unknown> | null;
}

export async function recordEvent(
  db: Queryable,
  importId: number,
  action: ImportAction,
  actor: string,
  details?: Record<string, unknown>,
): Promise<void> {
  await db.query(`INSERT INTO import_events (import_id, action, actor, details) VALUES ($1, $2, $3, $4)`, [
    importId,
    action,
    actor,
    details ? JSON.stringify(details) : null,
  ]);
}

export async function listEvents(db: Queryable, importId: number): Promise<ImportEvent[]> {
  const { rows } = await db.query<ImportEvent>(
    `SELECT action, actor, at, details FROM import_events WHERE import_id = $1 ORDER BY id`,
    [importId],
  );
  return rows;
}
