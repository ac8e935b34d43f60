import { bigint, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { imports } from './imports';

/**
 * `Idempotency-Key` of an upload, per caller: the first request with a key creates the import, every
 * later one gets that import back. The primary key makes two concurrent requests settle on one row.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    actor: text('actor').notNull(),
    key: text('key').notNull(),
    /** Null only inside the transaction that stages the import. */
    importId: bigint('import_id', { mode: 'number' }).references(() => imports.id, { onDelete: 'cascade' }),
    /** What the key was first used for: a key reused for another file or source is refused. */
    fileSha256: text('file_sha256').notNull(),
    source: text('source').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.actor, t.key] })],
);
