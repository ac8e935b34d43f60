import { bigint, index, integer, pgTable, primaryKey } from 'drizzle-orm/pg-core';

/**
 * Which record of a follow-up import corrects which rejected record of its parent. Kept when the
 * follow-up is rolled back: whether a fix counts is read from the follow-up's status and outcome.
 */
export const importFixes = pgTable(
  'import_fixes',
  {
    importId: bigint('import_id', { mode: 'number' }).notNull(),
    rowNumber: integer('row_number').notNull(),
    parentImportId: bigint('parent_import_id', { mode: 'number' }).notNull(),
    parentRowNumber: integer('parent_row_number').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.importId, t.rowNumber] }),
    index('import_fixes_parent_idx').on(t.parentImportId, t.parentRowNumber),
  ],
);
