import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/*
 * No foreign keys to customers here: a key would add a trigger to every customer an import's
 * rollback deletes and turn off the batches' fast path (src/db/queries/row-triggers.ts).
 */

/** One duplicate scan: the authority on its status and counts. */
export const dedupeScans = pgTable('dedupe_scans', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  /** running | completed | failed */
  status: text('status').notNull(),
  /** Optional scope: `sources`, `importId`. A pair is kept when at least one of its customers is in scope. */
  scope: jsonb('scope').$type<{ sources?: string[]; importId?: number }>().notNull().default({}),
  counts: jsonb('counts')
    .$type<{ customers: number; pairs: number; groups: number }>()
    .notNull()
    .default({ customers: 0, pairs: 0, groups: 0 }),
  workflowId: text('workflow_id'),
  createdBy: text('created_by').notNull(),
  failure: jsonb('failure').$type<{ code: string; message: string }>(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

/** A scan's working copy of each customer's normalised name; removed when the scan ends. */
export const dedupePeople = pgTable(
  'dedupe_people',
  {
    scanId: bigint('scan_id', { mode: 'number' }).notNull(),
    customerId: bigint('customer_id', { mode: 'number' }).notNull(),
    /** Name tokens, normalised and sorted, joined by one space. */
    nameKey: text('name_key').notNull(),
    tokens: text('tokens').array().notNull(),
    dateOfBirth: date('date_of_birth'),
    inScope: boolean('in_scope').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scanId, t.customerId] })],
);

/** A scan's blocking keys that two or more of its customers share (phone, email, national id hash, birth date with a rare name token); removed when the scan ends. */
export const dedupeKeys = pgTable(
  'dedupe_keys',
  {
    scanId: bigint('scan_id', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    customerId: bigint('customer_id', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scanId, t.kind, t.key, t.customerId] }),
    index('dedupe_keys_customer_idx').on(t.scanId, t.customerId),
  ],
);

/** How many customers share each blocking key of a scan, for keys two or more share; removed when the scan ends. */
export const dedupeBlocks = pgTable(
  'dedupe_blocks',
  {
    scanId: bigint('scan_id', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    customers: integer('customers').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scanId, t.kind, t.key] })],
);

/** How many customers of a scan carry each name token: common tokens weigh less. */
export const dedupeTokens = pgTable(
  'dedupe_tokens',
  {
    scanId: bigint('scan_id', { mode: 'number' }).notNull(),
    token: text('token').notNull(),
    customers: integer('customers').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scanId, t.token] })],
);

/** Candidate pairs (left < right) found in a shared block, then scored. */
export const dedupePairs = pgTable(
  'dedupe_pairs',
  {
    scanId: bigint('scan_id', { mode: 'number' }).notNull(),
    leftId: bigint('left_id', { mode: 'number' }).notNull(),
    rightId: bigint('right_id', { mode: 'number' }).notNull(),
    /** Null until scored. */
    score: doublePrecision('score'),
    reasons: jsonb('reasons').$type<Record<string, unknown>[]>(),
  },
  (t) => [
    primaryKey({ columns: [t.scanId, t.leftId, t.rightId] }),
    index('dedupe_pairs_score_idx').on(t.scanId, t.score),
  ],
);

/** Pairs above the threshold joined into connected components, capped in size. */
export const dedupeGroups = pgTable(
  'dedupe_groups',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    scanId: bigint('scan_id', { mode: 'number' }).notNull(),
    score: doublePrecision('score').notNull(),
    reasons: jsonb('reasons').$type<Record<string, unknown>[]>().notNull(),
    customerIds: bigint('customer_ids', { mode: 'number' }).array().notNull(),
  },
  (t) => [index('dedupe_groups_scan_idx').on(t.scanId, t.score)],
);

/** One merge of customers into a survivor, and its undo. */
export const merges = pgTable(
  'merges',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** running | completed | undoing | undone | failed */
    status: text('status').notNull(),
    groupId: bigint('group_id', { mode: 'number' }),
    survivorId: bigint('survivor_id', { mode: 'number' }).notNull(),
    mergedIds: bigint('merged_ids', { mode: 'number' }).array().notNull(),
    /** survivor_wins | fill_blanks; `choices` names, per field, the customer whose value the survivor takes. */
    rule: text('rule').notNull(),
    choices: jsonb('choices').$type<Record<string, number>>().notNull().default({}),
    createdBy: text('created_by').notNull(),
    workflowId: text('workflow_id'),
    /** Rows moved per table; after an undo, what it restored and kept. */
    report: jsonb('report').$type<Record<string, unknown>>(),
    failure: jsonb('failure').$type<{ code: string; message: string }>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    undoneAt: timestamp('undone_at', { withTimezone: true }),
    /** The batch that asked for this merge, if one did; the merge stays undoable on its own. */
    batchId: bigint('batch_id', { mode: 'number' }),
  },
  (t) => [
    index('merges_created_at_idx').on(t.createdAt),
    index('merges_batch_id_idx')
      .on(t.batchId, t.id)
      .where(sql`${t.batchId} IS NOT NULL`),
  ],
);

/** Many groups merged by one workflow run (`merge-batch-<id>`), each group its own merge. */
export const mergeBatches = pgTable('merge_batches', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  /** running | completed | failed */
  status: text('status').notNull(),
  createdBy: text('created_by').notNull(),
  workflowId: text('workflow_id'),
  /** Merges completed and refused so far. */
  counts: jsonb('counts').$type<{ merges: number; completed: number; refused: number }>().notNull(),
  failure: jsonb('failure').$type<{ code: string; message: string }>(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

/** Every row a merge wrote, as it was before and after: undo restores `before` where the row is still `after`. */
export const mergeChanges = pgTable(
  'merge_changes',
  {
    mergeId: bigint('merge_id', { mode: 'number' }).notNull(),
    tableName: text('table_name').notNull(),
    rowId: bigint('row_id', { mode: 'number' }).notNull(),
    before: jsonb('before').$type<Record<string, unknown>>().notNull(),
    /** Null: the merge deleted the row (a phone or e-mail the survivor already had). */
    after: jsonb('after').$type<Record<string, unknown>>(),
  },
  (t) => [primaryKey({ columns: [t.mergeId, t.tableName, t.rowId] })],
);
