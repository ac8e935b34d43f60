// Queries of Nana gap re-imports that customers.ts and profiles.ts do not have.
import { pgArray, pgArrayOf } from '../../db/array-literal';
import type { Queryable } from '../../db/queryable';
import { ACTIVE_CUSTOMER } from '../../db/queries/active-customer';
import { distinctValues, probeEach } from '../../db/queries/distinct-values';

/** The customers owning each of these E.164 phones (phones nobody owns are absent). */
export async function phoneOwnerIds(db: Queryable, phones: string[]): Promise<Map<string, number[]>> {
  if (phones.length === 0) return new Map();
  const { rows } = await db.query<{ phone: string; ids: number[] }>(
    `SELECT x.phone, array_agg(DISTINCT x.customer_id::float8) AS ids
     FROM ${probeEach('$1::text[]', `SELECT p.phone, ${ACTIVE_CUSTOMER('p.customer_id')} AS customer_id FROM customer_phones p WHERE p.phone = u.v`)} GROUP BY x.phone`,
    [pgArrayOf(phones)],
  );
  return new Map(rows.map((r) => [r.phone, r.ids]));
}

/**
 * Company names a customer does not have yet, appended after its last position in the order
 * given (rows are in file order; a name repeated for one customer is added once).
 */
export async function addCompanies(
  db: Queryable,
  importId: number,
  rows: { customerId: number; name: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `WITH u AS (SELECT c, n, min(ord) AS ord FROM unnest($2::bigint[], $3::text[]) WITH ORDINALITY AS u(c, n, ord) GROUP BY c, n),
     fresh AS (SELECT u.* FROM u WHERE NOT EXISTS (SELECT 1 FROM customer_companies x WHERE x.customer_id = u.c AND x.name = u.n))
     INSERT INTO customer_companies (customer_id, name, position, import_id)
     SELECT f.c, f.n, coalesce((SELECT max(x.position) FROM customer_companies x WHERE x.customer_id = f.c), -1) + row_number() OVER (PARTITION BY f.c ORDER BY f.ord), $1
     FROM fresh f`,
    [importId, pgArray(rows, (r) => r.customerId), pgArray(rows, (r) => r.name)],
  );
}

/** For these customers, the last record of the import that updated them (customers never updated are absent). */
export async function lastUpdatingRows(
  db: Queryable,
  importId: number,
  customerIds: number[],
): Promise<Map<number, number>> {
  if (customerIds.length === 0) return new Map();
  const { rows } = await db.query<{ customerId: number; rowNumber: number }>(
    `SELECT o.customer_id::float8 AS "customerId", max(o.row_number) AS "rowNumber" FROM ${distinctValues('$2::bigint[]')}
     JOIN import_outcomes o ON o.customer_id = u.v WHERE o.import_id = $1 AND o.outcome = 'updated' GROUP BY o.customer_id`,
    [importId, pgArrayOf(customerIds)],
  );
  return new Map(rows.map((r) => [r.customerId, r.rowNumber]));
}
