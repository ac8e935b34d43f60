import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  date,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * The import that wrote a row: a tag for rollback and verification, without a foreign key. An FK
 * check per inserted row (and a key-share lock on the imports row) cost ~20% of a batch's writes,
 * and Ferry creates the imports row before any batch can name it.
 */
export const importRef = (name: string) => bigint(name, { mode: 'number' });

export const customers = pgTable(
  'customers',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    gender: text('gender'),
    dateOfBirth: date('date_of_birth'),
    /** The import that created this customer (null: created outside Ferry). */
    importId: importRef('import_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** The survivor a merge folded this customer into (null: an active customer). No key: see schema/dedupe.ts. */
    mergedInto: bigint('merged_into', { mode: 'number' }),
  },
  (t) => [
    index('customers_import_id_idx').on(t.importId),
    index('customers_merged_into_idx')
      .on(t.mergedInto)
      .where(sql`${t.mergedInto} IS NOT NULL`),
  ],
);

export const customerPhones = pgTable(
  'customer_phones',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    customerId: bigint('customer_id', { mode: 'number' })
      .notNull()
      .references(() => customers.id),
    /** E.164, without the extension. */
    phone: text('phone').notNull(),
    extension: text('extension'),
    importId: importRef('import_id'),
  },
  (t) => [
    index('customer_phones_phone_idx').on(t.phone),
    index('customer_phones_customer_idx').on(t.customerId),
    index('customer_phones_import_idx').on(t.importId),
  ],
);

export const customerEmails = pgTable(
  'customer_emails',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    customerId: bigint('customer_id', { mode: 'number' })
      .notNull()
      .references(() => customers.id),
    email: text('email').notNull(),
    importId: importRef('import_id'),
  },
  (t) => [
    index('customer_emails_email_idx').on(t.email),
    index('customer_emails_customer_idx').on(t.customerId),
    index('customer_emails_import_idx').on(t.importId),
  ],
);

export const customerCompanies = pgTable(
  'customer_companies',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    customerId: bigint('customer_id', { mode: 'number' })
      .notNull()
      .references(() => customers.id),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    importId: importRef('import_id'),
  },
  (t) => [
    index('customer_companies_customer_idx').on(t.customerId),
    index('customer_companies_import_idx').on(t.importId),
  ],
);

/** Legacy id → CRM customer. A wrong pair is deactivated, never deleted, and a new pair inserted. */
export const customerRelations = pgTable(
  'customer_relations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    customerId: bigint('customer_id', { mode: 'number' })
      .notNull()
      .references(() => customers.id),
    source: text('source').notNull(),
    originalId: text('original_id').notNull(),
    active: boolean('active').notNull().default(true),
    importId: importRef('import_id'),
    /** The record of that import that made the pair: a later record of the same file may move it. */
    rowNumber: integer('row_number'),
    deactivatedByImportId: importRef('deactivated_by_import_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('customer_relations_active_uq')
      .on(t.source, t.originalId)
      .where(sql`${t.active}`),
    index('customer_relations_customer_idx').on(t.customerId),
    index('customer_relations_import_idx').on(t.importId),
    // Partial: almost every pair is active, and rollback only looks up the pairs an import deactivated.
    index('customer_relations_deactivated_by_idx')
      .on(t.deactivatedByImportId)
      .where(sql`${t.deactivatedByImportId} IS NOT NULL`),
  ],
);

/** Records already synced from a source (Care Shop skips them). */
export const syncHistory = pgTable(
  'sync_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    source: text('source').notNull(),
    originalKey: text('original_key').notNull(),
    customerId: bigint('customer_id', { mode: 'number' }).references(() => customers.id),
    importId: importRef('import_id'),
    /** SHA-256 of the record's normalised content: a re-import skips a record whose hash is unchanged. */
    hash: text('hash'),
    syncedAt: timestamp('synced_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sync_history_source_key_uq').on(t.source, t.originalKey),
    index('sync_history_import_idx').on(t.importId),
    // The customer FK's check on every customer a rollback deletes: without it, a scan of the whole history each.
    index('sync_history_customer_idx').on(t.customerId),
  ],
);

export type Customer = typeof customers.$inferSelect;
