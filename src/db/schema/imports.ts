import { bigint, bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** One uploaded file and its run: the authority on status, phase and counts. */
export const imports = pgTable(
  'imports',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    source: text('source').notNull(),
    status: text('status').notNull(),
    phase: text('phase').notNull(),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256').notNull(),
    fileBytes: bigint('file_bytes', { mode: 'number' }).notNull(),
    encoding: text('encoding').notNull(),
    /** Original header cells in file order, and the source column each maps to (null: ignored). */
    header: jsonb('header').$type<{ original: string; column: string | null }[]>().notNull(),
    options: jsonb('options').$type<Record<string, unknown>>().notNull(),
    /** ISO 3166-1 alpha-2: phones without a country code are read in this region. */
    region: text('region').notNull().default('TH'),
    /** th, sg, my or any: how national ids are checked, and the kind they are compared within. */
    nationalIdScheme: text('national_id_scheme').notNull().default('th'),
    /** DD/MM/YYYY or MM/DD/YYYY where the source reads local dates; null: yyyy-mm-dd only. */
    dateOrder: text('date_order'),
    /** CE or BE; null: CE, years above 2400 read as Buddhist era. */
    dateEra: text('date_era'),
    createdBy: text('created_by').notNull(),
    workflowId: text('workflow_id'),
    /** Records staged so far; the file's total once staging_state is 'done'. */
    total: integer('total').notNull().default(0),
    /**
     * 'streaming' while the api stages the rest of a large file after the workflow started, 'done'
     * once every record is staged, 'failed' when the file turned out bad (failure says why).
     */
    stagingState: text('staging_state').notNull().default('done'),
    /** When the api staging the file last committed records: a stale beat means it stopped for good. */
    stagingBeatAt: timestamp('staging_beat_at', { withTimezone: true }),
    valid: integer('valid'),
    created: integer('created').notNull().default(0),
    linked: integer('linked').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    rowsProcessed: integer('rows_processed').notNull().default(0),
    verification: jsonb('verification').$type<Record<string, unknown>>(),
    failure: jsonb('failure').$type<{ code: string; message: string }>(),
    /** Every status/phase transition with its time: the run's timeline for operators and the benchmark. */
    /** What a rollback would remove, restore and keep (the preview), then what it did. */
    rollbackReport: jsonb('rollback_report').$type<Record<string, unknown>>(),
    phaseLog: jsonb('phase_log').$type<{ status: string; phase: string; at: string }[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** When retention purged the staged and stored records; rollback is no longer possible after it. */
    purgedAt: timestamp('purged_at', { withTimezone: true }),
  },
  (t) => [index('imports_created_at_idx').on(t.createdAt), index('imports_status_idx').on(t.status)],
);

/** The file's data records as parsed, keyed by source column: the only copy once the upload is answered. */
export const importRows = pgTable(
  'import_rows',
  {
    // No FK to imports: one row per record makes the per-row check the cost, and imports are never deleted.
    importId: bigint('import_id', { mode: 'number' }).notNull(),
    rowNumber: integer('row_number').notNull(),
    lineNumber: integer('line_number').notNull(),
    record: jsonb('record').$type<Record<string, string>>().notNull(),
    /** Problems found while parsing (COLUMN_COUNT, NUL_CHAR) that validation reports. */
    problems: text('problems').array(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.rowNumber] })],
);

export type ImportRow = typeof imports.$inferSelect;
export type NewImportRow = typeof imports.$inferInsert;

/** Who did what to an import, and when: upload, approval, rejection, cancel, rollback. */
export const importEvents = pgTable(
  'import_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    importId: bigint('import_id', { mode: 'number' })
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    action: text('action').notNull(),
    actor: text('actor').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (t) => [index('import_events_import_idx').on(t.importId)],
);
