import {
  bigint,
  bigserial,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { customers, importRef } from './customers';
import { imports } from './imports';

const customerRef = () =>
  bigint('customer_id', { mode: 'number' })
    .notNull()
    .references(() => customers.id);

/**
 * Loyalty points, one row per credit or debit: the balance of a customer is sum(delta).
 * numeric, never float: points and money are exact decimals.
 */
export const pointsTransactions = pgTable(
  'points_transactions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    customerId: customerRef(),
    /** The member id as the file wrote it (legacy id or CRM id). */
    memberId: text('member_id').notNull(),
    /** credit | debit */
    type: text('type').notNull(),
    points: numeric('points', { precision: 14, scale: 2 }).notNull(),
    /** +points for a credit, -points for a debit. */
    delta: numeric('delta', { precision: 14, scale: 2 }).notNull(),
    occurredOn: date('occurred_on').notNull(),
    description: text('description'),
    importId: importRef('import_id'),
    rowNumber: integer('row_number'),
  },
  (t) => [
    index('points_transactions_customer_idx').on(t.customerId),
    index('points_transactions_import_idx').on(t.importId),
  ],
);

/** Purchase history from the loyalty CRM; amounts are exact decimals. */
export const purchases = pgTable(
  'purchases',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    customerId: customerRef(),
    memberId: text('member_id').notNull(),
    transactionDate: date('transaction_date').notNull(),
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
    store: text('store'),
    items: text('items'),
    importId: importRef('import_id'),
    rowNumber: integer('row_number'),
  },
  (t) => [index('purchases_customer_idx').on(t.customerId), index('purchases_import_idx').on(t.importId)],
);

/** National ids, stored only as a HMAC-SHA256 under NATIONAL_ID_HASH_KEY (never in clear), for the duplicate check. */
export const customerIdentities = pgTable(
  'customer_identities',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    customerId: customerRef(),
    /** th_national_id */
    kind: text('kind').notNull(),
    idHash: text('id_hash').notNull(),
    importId: importRef('import_id'),
  },
  (t) => [
    index('customer_identities_hash_idx').on(t.kind, t.idHash),
    index('customer_identities_customer_idx').on(t.customerId),
    index('customer_identities_import_idx').on(t.importId),
  ],
);

export const customerAddresses = pgTable(
  'customer_addresses',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    customerId: customerRef(),
    address: text('address'),
    city: text('city'),
    postcode: text('postcode'),
    importId: importRef('import_id'),
  },
  (t) => [
    index('customer_addresses_customer_idx').on(t.customerId),
    index('customer_addresses_import_idx').on(t.importId),
  ],
);

/** Named money values a mapped file carries per customer (total sales, say). */
export const customerAmounts = pgTable(
  'customer_amounts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    customerId: customerRef(),
    name: text('name').notNull(),
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
    /** ISO 4217, as the file's text or the mapping named it; null when neither did. Amounts are never summed across currencies. */
    currency: text('currency'),
    /** Set only when the mapping fixed a rate: amount × rate in converted_currency, rounded to cents. */
    rate: numeric('rate', { precision: 18, scale: 8 }),
    convertedAmount: numeric('converted_amount', { precision: 14, scale: 2 }),
    convertedCurrency: text('converted_currency'),
    importId: importRef('import_id'),
  },
  (t) => [index('customer_amounts_customer_idx').on(t.customerId), index('customer_amounts_import_idx').on(t.importId)],
);

/**
 * Custom attributes a mapping fills (`attributes.<key>`), one value per customer and key, as text
 * (dates yyyy-mm-dd). An import that changes a value keeps a before-image; import_id is the last writer.
 */
export const customerAttributes = pgTable(
  'customer_attributes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    customerId: customerRef(),
    key: text('key').notNull(),
    value: text('value').notNull(),
    importId: importRef('import_id'),
  },
  (t) => [
    uniqueIndex('customer_attributes_customer_key_uq').on(t.customerId, t.key),
    index('customer_attributes_import_idx').on(t.importId),
  ],
);

/**
 * What a row looked like before an import changed it (`update` duplicates, gap re-imports):
 * the first image per import and row wins, so rollback restores the state before the import.
 */
export const importBeforeImages = pgTable(
  'import_before_images',
  {
    importId: bigint('import_id', { mode: 'number' })
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    /** customers | sync_history | customer_attributes */
    tableName: text('table_name').notNull(),
    rowId: bigint('row_id', { mode: 'number' }).notNull(),
    before: jsonb('before').$type<Record<string, unknown>>().notNull(),
    takenAt: timestamp('taken_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.tableName, t.rowId] })],
);

/** Saved column mappings for the `mapped` source (see README, "The mapping format"). */
export const importMappings = pgTable('import_mappings', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  name: text('name').notNull(),
  fields: jsonb('fields').$type<Record<string, unknown>>().notNull(),
  /** Region and national-id scheme of the files this mapping reads; null: the import's or the deployment's. */
  region: text('region'),
  nationalIdScheme: text('national_id_scheme'),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
