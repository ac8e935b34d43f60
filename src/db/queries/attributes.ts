import { pgArray, pgArrayOf } from '../array-literal';
import type { Queryable } from '../queryable';

export interface AttributeWrite {
  customerId: number;
  key: string;
  value: string;
}

/**
 * Sets custom attributes, the last value of the batch winning per customer and key (file order).
 * A value another import or the CRM wrote is kept as a before-image first (the first image of an
 * import wins), so rollback puts it back; an unchanged value is left alone, import id and all.
 */
export async function setAttributes(db: Queryable, importId: number, rows: AttributeWrite[]): Promise<void> {
  if (rows.length === 0) return;
  const last = [...new Map(rows.map((r) => [`${r.customerId}\u0000${r.key}`, r])).values()];
  const params = [
    importId,
    pgArray(last, (r) => r.customerId),
    pgArray(last, (r) => r.key),
    pgArray(last, (r) => r.value),
  ];
  await db.query(
    `INSERT INTO import_before_images (import_id, table_name, row_id, before)
     SELECT $1, 'customer_attributes', a.id, jsonb_build_object('value', a.value, 'import_id', a.import_id)
     FROM unnest($2::bigint[], $3::text[], $4::text[]) AS u(c, k, v)
     JOIN customer_attributes a ON a.customer_id = u.c AND a.key = u.k
     WHERE a.value IS DISTINCT FROM u.v AND a.import_id IS DISTINCT FROM $1
     ON CONFLICT DO NOTHING`,
    params,
  );
  await db.query(
    `INSERT INTO customer_attributes (customer_id, key, value, import_id)
     SELECT c, k, v, $1 FROM unnest($2::bigint[], $3::text[], $4::text[]) AS u(c, k, v)
     ON CONFLICT (customer_id, key) DO UPDATE SET value = excluded.value, import_id = excluded.import_id
     WHERE customer_attributes.value IS DISTINCT FROM excluded.value`,
    params,
  );
}

/** The custom attributes of these customers: customer → key → value. */
export async function attributesOf(db: Queryable, customerIds: number[]): Promise<Map<number, Map<string, string>>> {
  const byCustomer = new Map<number, Map<string, string>>();
  if (customerIds.length === 0) return byCustomer;
  const { rows } = await db.query<{ customerId: number; key: string; value: string }>(
    `SELECT a.customer_id::float8 AS "customerId", a.key, a.value FROM customer_attributes a WHERE a.customer_id = ANY($1::bigint[])`,
    [pgArrayOf(customerIds)],
  );
  for (const r of rows) byCustomer.set(r.customerId, (byCustomer.get(r.customerId) ?? new Map()).set(r.key, r.value));
  return byCustomer;
}
