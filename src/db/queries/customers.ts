import type pg from 'pg';
import { pgArrayOf } from '../array-literal';
import { copyRows } from '../copy-rows';
import type { Queryable } from '../queryable';
import { ACTIVE_CUSTOMER } from './active-customer';
import { distinctValues, probeEach } from './distinct-values';

/** Which of these customer ids exist, each with the customer it names now: a merged customer names its survivor. */
export async function resolveCustomerIds(db: Queryable, ids: number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ id: number; customerId: number }>(
    `SELECT c.id::float8 AS id, coalesce(c.merged_into, c.id)::float8 AS "customerId" FROM ${distinctValues('$1::bigint[]')} JOIN customers c ON c.id = u.v`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.customerId]));
}

/** Active relations of these legacy ids: id → customer (a merged customer's survivor). */
export async function activeRelations(
  db: Queryable,
  source: string,
  originalIds: string[],
): Promise<Map<string, number>> {
  if (originalIds.length === 0) return new Map();
  const { rows } = await db.query<{ originalId: string; customerId: number }>(
    `SELECT x.original_id AS "originalId", x.customer_id::float8 AS "customerId"
     FROM ${probeEach('$2::text[]', `SELECT r.original_id, ${ACTIVE_CUSTOMER('r.customer_id')} AS customer_id FROM customer_relations r WHERE r.source = $1 AND r.active AND r.original_id = u.v`)}`,
    [source, pgArrayOf(originalIds)],
  );
  return new Map(rows.map((r) => [r.originalId, r.customerId]));
}

/**
 * Takes n ids from the customers sequence in one round trip. The sequence is looked up once (an
 * init plan): written inline, pg_get_serial_sequence ran per row and tripled the statement's time.
 */
export async function allocateCustomerIds(db: Queryable, n: number): Promise<number[]> {
  if (n === 0) return [];
  const { rows } = await db.query<{ id: number }>(
    `SELECT nextval((SELECT pg_get_serial_sequence('customers', 'id'))::regclass)::float8 AS id FROM generate_series(1, $1)`,
    [n],
  );
  return rows.map((r) => r.id);
}

export interface NewCustomer {
  id: number;
  firstName: string;
  lastName: string;
  gender: string | null;
  dateOfBirth: string | null;
}

export async function insertCustomers(client: pg.PoolClient, importId: number, rows: NewCustomer[]): Promise<void> {
  await copyRows(client, 'customers (id, first_name, last_name, gender, date_of_birth, import_id)', rows, [
    (r) => r.id,
    (r) => r.firstName,
    (r) => r.lastName,
    (r) => r.gender,
    (r) => r.dateOfBirth,
    () => importId,
  ]);
}

export async function insertPhones(
  client: pg.PoolClient,
  importId: number,
  rows: { customerId: number; phone: string; extension: string | null }[],
): Promise<void> {
  await copyRows(client, 'customer_phones (customer_id, phone, extension, import_id)', rows, [
    (r) => r.customerId,
    (r) => r.phone,
    (r) => r.extension,
    () => importId,
  ]);
}

export async function insertEmails(
  client: pg.PoolClient,
  importId: number,
  rows: { customerId: number; email: string }[],
): Promise<void> {
  await copyRows(client, 'customer_emails (customer_id, email, import_id)', rows, [
    (r) => r.customerId,
    (r) => r.email,
    () => importId,
  ]);
}

export async function insertCompanies(
  client: pg.PoolClient,
  importId: number,
  rows: { customerId: number; name: string; position: number }[],
): Promise<void> {
  await copyRows(client, 'customer_companies (customer_id, name, position, import_id)', rows, [
    (r) => r.customerId,
    (r) => r.name,
    (r) => r.position,
    () => importId,
  ]);
}

/** Deactivates the active relations of these ids, tagged with the import so rollback can re-activate them. */
export async function deactivateRelations(
  db: Queryable,
  importId: number,
  source: string,
  originalIds: string[],
): Promise<void> {
  if (originalIds.length === 0) return;
  await db.query(
    `UPDATE customer_relations r SET active = false, deactivated_by_import_id = $1, deactivated_at = now()
     FROM ${probeEach('$3::text[]', 'SELECT a.id FROM customer_relations a WHERE a.source = $2 AND a.active AND a.original_id = u.v')} WHERE r.id = x.id`,
    [importId, source, pgArrayOf(originalIds)],
  );
}

export interface NewRelation {
  customerId: number;
  originalId: string;
  rowNumber: number;
  /** False for a pair a later record of the same import moved: kept, inactive, for the lineage. */
  active: boolean;
}

/**
 * A pair written inactive was moved by a later record of the same import: deactivated by it, at
 * the transaction's time, the now() every other statement of the batch writes.
 */
export async function insertRelations(
  client: pg.PoolClient,
  importId: number,
  source: string,
  rows: NewRelation[],
): Promise<void> {
  if (rows.length === 0) return;
  const deactivatedAt = rows.every((r) => r.active)
    ? null
    : (await client.query<{ now: string }>('SELECT now()::text AS now')).rows[0].now;
  await copyRows(
    client,
    'customer_relations (customer_id, source, original_id, import_id, row_number, active, deactivated_by_import_id, deactivated_at)',
    rows,
    [
      (r) => r.customerId,
      () => source,
      (r) => r.originalId,
      () => importId,
      (r) => r.rowNumber,
      (r) => r.active,
      (r) => (r.active ? null : importId),
      (r) => (r.active ? null : deactivatedAt),
    ],
  );
}

export interface ActiveRelation {
  customerId: number;
  importId: number | null;
  rowNumber: number | null;
}

/** Active relations of these legacy ids with the import and record that made them. */
export async function activeRelationDetails(
  db: Queryable,
  source: string,
  originalIds: string[],
): Promise<Map<string, ActiveRelation>> {
  if (originalIds.length === 0) return new Map();
  const { rows } = await db.query<ActiveRelation & { originalId: string }>(
    `SELECT x.original_id AS "originalId", x.customer_id::float8 AS "customerId", x.import_id::float8 AS "importId", x.row_number AS "rowNumber"
     FROM ${probeEach('$2::text[]', 'SELECT r.original_id, r.customer_id, r.import_id, r.row_number FROM customer_relations r WHERE r.source = $1 AND r.active AND r.original_id = u.v')}`,
    [source, pgArrayOf(originalIds)],
  );
  return new Map(rows.map(({ originalId, ...r }) => [originalId, r]));
}

export interface StoredCustomer {
  id: number;
  firstName: string;
  lastName: string;
  gender: string | null;
  dateOfBirth: string | null;
  importId: number | null;
  phones: string[];
  emails: string[];
  companies: string[];
}

/** Customers with their phones, emails and companies, for reading back what an import wrote. */
export async function loadCustomers(db: Queryable, ids: number[]): Promise<Map<number, StoredCustomer>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<StoredCustomer>(
    `SELECT c.id::float8 AS id, c.first_name AS "firstName", c.last_name AS "lastName", c.gender,
            to_char(c.date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth", c.import_id::float8 AS "importId",
            coalesce((SELECT array_agg(p.phone ORDER BY p.id) FROM customer_phones p WHERE p.customer_id = c.id), '{}') AS phones,
            coalesce((SELECT array_agg(e.email ORDER BY e.id) FROM customer_emails e WHERE e.customer_id = c.id), '{}') AS emails,
            coalesce((SELECT array_agg(n.name ORDER BY n.position) FROM customer_companies n WHERE n.customer_id = c.id), '{}') AS companies
     FROM ${distinctValues('$1::bigint[]')} JOIN customers c ON c.id = u.v`,
    [pgArrayOf(ids)],
  );
  return new Map(rows.map((r) => [r.id, r]));
}
