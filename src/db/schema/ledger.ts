import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { imports } from './imports';

/** Exactly one outcome per data record: the unique key makes a retried batch a no-op. */
export const importOutcomes = pgTable(
  'import_outcomes',
  {
    // No FK to imports: one row per record makes the per-row check the cost, and imports are never deleted.
    importId: bigint('import_id', { mode: 'number' }).notNull(),
    rowNumber: integer('row_number').notNull(),
    /** created | linked | updated | skipped | rejected */
    outcome: text('outcome').notNull(),
    customerId: bigint('customer_id', { mode: 'number' }),
    /** validate | import: rollback keeps what validation found. */
    phase: text('phase').notNull(),
    /**
     * Points and purchases: a transaction's identity is its content hash and its occurrence among
     * identical lines of the file (1st, 2nd, …); null for other sources.
     */
    contentHash: text('content_hash'),
    occurrence: integer('occurrence'),
    /** A skipped transaction: the earlier import and row that hold it (row unknown for history older than occurrences). */
    matchedImportId: bigint('matched_import_id', { mode: 'number' }),
    matchedRowNumber: integer('matched_row_number'),
  },
  (t) => [
    primaryKey({ columns: [t.importId, t.rowNumber] }),
    index('import_outcomes_outcome_idx').on(t.importId, t.outcome),
    // Partial: only ledger lines carry an identity; a batch counts its earlier occurrences through it.
    index('import_outcomes_identity_idx')
      .on(t.importId, t.contentHash, t.occurrence)
      .where(sql`${t.contentHash} IS NOT NULL`),
  ],
);

/** Rejected records with the whole original record and every reason. */
export const importErrors = pgTable(
  'import_errors',
  {
    // No FK to imports: one row per record makes the per-row check the cost, and imports are never deleted.
    importId: bigint('import_id', { mode: 'number' }).notNull(),
    rowNumber: integer('row_number').notNull(),
    lineNumber: integer('line_number').notNull(),
    record: jsonb('record').$type<Record<string, string>>().notNull(),
    errors: jsonb('errors').$type<{ field: string; code: string; message: string }[]>().notNull(),
    phase: text('phase').notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.rowNumber] })],
);

/** Committed batches: written in the batch's own transaction, so a retry finds it and returns its counts. */
export const importBatches = pgTable(
  'import_batches',
  {
    importId: bigint('import_id', { mode: 'number' })
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    firstRow: integer('first_row').notNull(),
    lastRow: integer('last_row').notNull(),
    counts: jsonb('counts').$type<Record<string, number>>().notNull(),
    committedAt: timestamp('committed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.firstRow] })],
);

/**
 * Committed row ranges checked while later batches of the import wrote, with what each check found
 * (its name to a count; all zero is a clean range). Verification checks again only the rows of no
 * clean range. Rollback deletes them with the batches they checked.
 */
export const importRangeChecks = pgTable(
  'import_range_checks',
  {
    importId: bigint('import_id', { mode: 'number' })
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    firstRow: integer('first_row').notNull(),
    lastRow: integer('last_row').notNull(),
    found: jsonb('found').$type<Record<string, number>>().notNull(),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.firstRow] })],
);

/** Customers an import created that later work uses: a rollback without `force` keeps them. */
export const importRollbackKept = pgTable(
  'import_rollback_kept',
  {
    importId: bigint('import_id', { mode: 'number' })
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    customerId: bigint('customer_id', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.customerId] })],
);
