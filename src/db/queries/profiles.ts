import type pg from 'pg';
import { pgArray, pgArrayOf } from '../array-literal';
import { copyRows } from '../copy-rows';
import type { Queryable } from '../queryable';
import { ACTIVE_CUSTOMER } from './active-customer';
import { distinctValues, probeEach } from './distinct-values';

/** A customer who owns a phone, with the names a profile rule compares. */
export interface PhoneOwner {
  customerId: number;
  firstName: string;
  lastName: string;
}

/** Customers owning these phones, with their names (Care Shop compares names). */
export async function phoneOwners(db: Queryable, phones: string[]): Promise<Map<string, PhoneOwner[]>> {
  if (phones.length === 0) return new Map();
  const { rows } = await db.query<PhoneOwner & { phone: string }>(
    `SELECT DISTINCT x.phone, x.id::float8 AS "customerId", x.first_name AS "firstName", x.last_name AS "lastName"
     FROM ${probeEach('$1::text[]', `SELECT p.phone, c.id, c.first_name, c.last_name FROM customer_phones p JOIN customers c ON c.id = ${ACTIVE_CUSTOMER('p.customer_id')} WHERE p.phone = u.v`)} ORDER BY 2`,
    [pgArrayOf(phones)],
  );
  return group(
    rows,
    (r) => r.phone,
    ({ phone: _p, ...o }) => o,
  );
}

export async function emailOwners(db: Queryable, emails: string[]): Promise<Map<string, number[]>> {
  if (emails.length === 0) return new Map();
  const { rows } = await db.query<{ email: string; customerId: number }>(
    `SELECT DISTINCT x.email, x.customer_id::float8 AS "customerId"
     FROM ${probeEach('$1::text[]', `SELECT e.email, ${ACTIVE_CUSTOMER('e.customer_id')} AS customer_id FROM customer_emails e WHERE e.email = u.v`)} ORDER BY 2`,
    [pgArrayOf(emails)],
  );
  return group(
    rows,
    (r) => r.email,
    (r) => r.customerId,
  );
}

/** A national id digest and the kind (scheme) it was checked under; duplicates are only looked for within a kind. */
export interface NationalIdRef {
  kind: string;
  hash: string;
}

export async function nationalIdOwners(db: Queryable, ids: NationalIdRef[]): Promise<Map<string, number[]>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ hash: string; customerId: number }>(
    `SELECT DISTINCT x.id_hash AS hash, x.customer_id::float8 AS "customerId"
     FROM (SELECT DISTINCT k, v FROM unnest($1::text[], $2::text[]) AS d(k, v)) AS u(k, v)
     CROSS JOIN LATERAL (SELECT i.id_hash, ${ACTIVE_CUSTOMER('i.customer_id')} AS customer_id FROM customer_identities i WHERE i.kind = u.k AND i.id_hash = u.v OFFSET 0) AS x ORDER BY 2`,
    [pgArray(ids, (i) => i.kind), pgArray(ids, (i) => i.hash)],
  );
  return group(
    rows,
    (r) => r.hash,
    (r) => r.customerId,
  );
}

export interface ProfileUpdate {
  customerId: number;
  firstName: string;
  lastName: string;
  gender: string | null;
  dateOfBirth: string | null;
}

/**
 * The file's values for the fields it fills (gender and birth date only when given), after the
 * customer's previous values are kept as a before-image (the first image of an import wins).
 */
export async function updateCustomers(db: Queryable, importId: number, rows: ProfileUpdate[]): Promise<void> {
  if (rows.length === 0) return;
  const last = [...new Map(rows.map((r) => [r.customerId, r])).values()];
  const ids = last.map((r) => r.customerId);
  await db.query(
    `INSERT INTO import_before_images (import_id, table_name, row_id, before)
     SELECT $1, 'customers', c.id, jsonb_build_object('first_name', c.first_name, 'last_name', c.last_name, 'gender', c.gender, 'date_of_birth', c.date_of_birth)
     FROM ${distinctValues('$2::bigint[]')} JOIN customers c ON c.id = u.v WHERE c.import_id IS DISTINCT FROM $1
     ON CONFLICT DO NOTHING`,
    [importId, pgArrayOf(ids)],
  );
  await db.query(
    `UPDATE customers c SET first_name = u.f, last_name = u.l, gender = coalesce(u.g, c.gender), date_of_birth = coalesce(u.d, c.date_of_birth)
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::date[]) AS u(id, f, l, g, d) WHERE c.id = u.id`,
    [
      pgArrayOf(ids),
      pgArray(last, (r) => r.firstName),
      pgArray(last, (r) => r.lastName),
      pgArray(last, (r) => r.gender),
      pgArray(last, (r) => r.dateOfBirth),
    ],
  );
}

/** Phones the customer does not have yet. */
export async function addPhones(
  db: Queryable,
  importId: number,
  rows: { customerId: number; phone: string; extension: string | null }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO customer_phones (customer_id, phone, extension, import_id)
     SELECT DISTINCT ON (c, p) c, p, e, $1 FROM unnest($2::bigint[], $3::text[], $4::text[]) AS u(c, p, e)
     WHERE NOT EXISTS (SELECT 1 FROM customer_phones x WHERE x.customer_id = u.c AND x.phone = u.p)`,
    [importId, pgArray(rows, (r) => r.customerId), pgArray(rows, (r) => r.phone), pgArray(rows, (r) => r.extension)],
  );
}

export async function addEmails(
  db: Queryable,
  importId: number,
  rows: { customerId: number; email: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO customer_emails (customer_id, email, import_id)
     SELECT DISTINCT ON (c, e) c, e, $1 FROM unnest($2::bigint[], $3::text[]) AS u(c, e)
     WHERE NOT EXISTS (SELECT 1 FROM customer_emails x WHERE x.customer_id = u.c AND x.email = u.e)`,
    [importId, pgArray(rows, (r) => r.customerId), pgArray(rows, (r) => r.email)],
  );
}

export async function addNationalIds(
  db: Queryable,
  importId: number,
  rows: ({ customerId: number } & NationalIdRef)[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `INSERT INTO customer_identities (customer_id, kind, id_hash, import_id)
     SELECT DISTINCT ON (c, k, h) c, k, h, $1 FROM unnest($2::bigint[], $3::text[], $4::text[]) AS u(c, k, h)
     WHERE NOT EXISTS (SELECT 1 FROM customer_identities x WHERE x.customer_id = u.c AND x.kind = u.k AND x.id_hash = u.h)`,
    [importId, pgArray(rows, (r) => r.customerId), pgArray(rows, (r) => r.kind), pgArray(rows, (r) => r.hash)],
  );
}

export async function insertAddresses(
  client: pg.PoolClient,
  importId: number,
  rows: { customerId: number; address: string | null; city: string | null; postcode: string | null }[],
): Promise<void> {
  await copyRows(client, 'customer_addresses (customer_id, address, city, postcode, import_id)', rows, [
    (r) => r.customerId,
    (r) => r.address,
    (r) => r.city,
    (r) => r.postcode,
    () => importId,
  ]);
}

export interface AmountRow {
  customerId: number;
  name: string;
  amount: string;
  currency?: string | null;
  conversion?: { rate: string; amount: string; currency: string };
}

export async function insertAmounts(client: pg.PoolClient, importId: number, rows: AmountRow[]): Promise<void> {
  await copyRows(
    client,
    'customer_amounts (customer_id, name, amount, currency, rate, converted_amount, converted_currency, import_id)',
    rows,
    [
      (r) => r.customerId,
      (r) => r.name,
      (r) => r.amount,
      (r) => r.currency ?? null,
      (r) => r.conversion?.rate ?? null,
      (r) => r.conversion?.amount ?? null,
      (r) => r.conversion?.currency ?? null,
      () => importId,
    ],
  );
}

function group<R, V>(rows: R[], key: (r: R) => string, value: (r: R) => V): Map<string, V[]> {
  const map = new Map<string, V[]>();
  for (const r of rows) map.set(key(r), [...(map.get(key(r)) ?? []), value(r)]);
  return map;
}
