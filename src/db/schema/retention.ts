import { bigint, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { imports } from './imports';

/** Notifications sent when an import ends (e-mail, webhook): one row per channel, so a retry sends nothing twice. */
export const importNotifications = pgTable(
  'import_notifications',
  {
    importId: bigint('import_id', { mode: 'number' })
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    status: text('status').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.importId, t.channel] })],
);
