import { expect } from 'vitest';
import type pg from 'pg';

/**
 * What an import left in the database, independent of generated ids: per record its outcome and
 * the customer it points to (names, phones, emails, companies, active Nana ids), plus table totals.
 * Two runs of the same file must give equal states.
 */
export async function importState(pool: pg.Pool, importId: number) {
  const { rows: records } = await pool.query(
    `SELECT o.row_number, o.outcome, c.first_name, c.last_name, c.gender, to_char(c.date_of_birth, 'YYYY-MM-DD') AS dob,
       (SELECT array_agg(phone ORDER BY phone) FROM customer_phones p WHERE p.customer_id = c.id) AS phones,
       (SELECT array_agg(email ORDER BY email) FROM customer_emails e WHERE e.customer_id = c.id) AS emails,
       (SELECT array_agg(name ORDER BY position) FROM customer_companies n WHERE n.customer_id = c.id) AS companies,
       (SELECT array_agg(original_id ORDER BY original_id) FROM customer_relations r WHERE r.customer_id = c.id AND r.active) AS nana_ids
     FROM import_outcomes o LEFT JOIN customers c ON c.id = o.customer_id
     WHERE o.import_id = $1 ORDER BY o.row_number`,
    [importId],
  );
  const {
    rows: [totals],
  } = await pool.query(
    `SELECT (SELECT count(*)::int FROM customers) AS customers, (SELECT count(*)::int FROM customer_phones) AS phones,
       (SELECT count(*)::int FROM customer_emails) AS emails, (SELECT count(*)::int FROM customer_companies) AS companies,
       (SELECT count(*)::int FROM customer_relations) AS relations, (SELECT count(*)::int FROM import_errors) AS errors,
       (SELECT count(*)::int FROM import_outcomes) AS outcomes`,
  );
  return { records, totals };
}

/** Tables with a customer_id, whose every row must point at an existing customer. */
const CUSTOMER_ROW_TABLES = [
  'customer_phones',
  'customer_emails',
  'customer_companies',
  'customer_relations',
  'sync_history',
  'customer_identities',
  'customer_addresses',
  'customer_amounts',
  'customer_attributes',
  'points_transactions',
  'purchases',
];

/** Rows anywhere that name a customer who does not exist: the foreign keys' promise, whoever wrote the row. */
export async function orphanRows(pool: pg.Pool): Promise<Record<string, number>> {
  const {
    rows: [counts],
  } = await pool.query<Record<string, number>>(
    `SELECT ${CUSTOMER_ROW_TABLES.map((t) => `(SELECT count(*)::int FROM ${t} x WHERE x.customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = x.customer_id)) AS ${t}`).join(', ')}`,
  );
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));
}

const CRM_TABLES = [
  'customers',
  'customer_phones',
  'customer_emails',
  'customer_companies',
  'customer_relations',
  'sync_history',
];

/** Every row of every CRM table, in id order: a rollback must bring this back exactly. */
export async function crmSnapshot(pool: pg.Pool): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const table of CRM_TABLES) {
    const { rows } = await pool.query(`SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY id`);
    snapshot[table] = rows.map((r) => r.row);
  }
  return snapshot;
}

/**
 * The interrupted import must leave the database exactly as the same file imported without
 * trouble on a fresh stack: the same counts, the same records, the same table totals.
 */
export async function expectSameAsUninterrupted(
  interrupted: { pool: pg.Pool; importId: number; counts: unknown },
  uninterrupted: { pool: pg.Pool; importId: number; counts: unknown },
): Promise<void> {
  expect(interrupted.counts).toEqual(uninterrupted.counts);
  const [a, b] = await Promise.all([
    importState(interrupted.pool, interrupted.importId),
    importState(uninterrupted.pool, uninterrupted.importId),
  ]);
  expect(a.records).toEqual(b.records);
  expect(a.totals).toEqual(b.totals);
}
