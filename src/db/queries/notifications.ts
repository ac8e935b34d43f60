import type { Queryable } from '../queryable';

/** A channel is `<email|webhook>:<status announced>`, e.g. `email:completed`. */
export type NotificationChannel = string;

/** Channels already delivered for an import: a retried notification skips them. */
export async function sentChannels(db: Queryable, importId: number): Promise<NotificationChannel[]> {
  const { rows } = await db.query<{ channel: NotificationChannel }>(
    `SELECT channel FROM import_notifications WHERE import_id = $1 AND status = 'sent'`,
    [importId],
  );
  return rows.map((r) => r.channel);
}

/** `error` is a short code-like description (never an address or a response body). */
export async function recordNotification(
  db: Queryable,
  importId: number,
  channel: NotificationChannel,
  result: { sent: true } | { sent: false; error: string },
): Promise<void> {
  await db.query(
    `INSERT INTO import_notifications (import_id, channel, status, sent_at, error) VALUES ($1, $2, $3, CASE WHEN $3 = 'sent' THEN now() END, $4)
     ON CONFLICT (import_id, channel) DO UPDATE SET status = EXCLUDED.status, sent_at = EXCLUDED.sent_at, error = EXCLUDED.error
     WHERE import_notifications.status <> 'sent'`,
    [importId, channel, result.sent ? 'sent' : 'failed', result.sent ? null : result.error],
  );
}
