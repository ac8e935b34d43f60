import type pg from 'pg';
import type { CustomerFields, MergeableField } from '../../domain/dedupe/survivor-fields';

/*
 * A merge's writes, each with the row's image before and after it in merge_changes; an undo puts
 * `before` back wherever the row is still exactly `after`, and leaves what later work changed.
 */

export interface ReferencingTable {
  table: string;
  hasImportId: boolean;
}

/**
 * Every table with a foreign key to customers: what a merge moves to the survivor (phones, e-mails,
 * companies, legacy ids, points, purchases, and any table added later). Each must have an `id`.
 */
export async function referencingTables(db: pg.ClientBase): Promise<ReferencingTable[]> {
  const { rows } = await db.query<{ table: string; has_id: boolean; has_import_id: boolean }>(
    `SELECT DISTINCT k.conrelid::regclass::text AS table,
            EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = k.conrelid AND a.attname = 'id' AND NOT a.attisdropped) AS has_id,
            EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = k.conrelid AND a.attname = 'import_id' AND NOT a.attisdropped) AS has_import_id
     FROM pg_constraint k
     WHERE k.contype = 'f' AND k.confrelid = 'customers'::regclass AND k.conrelid <> 'customers'::regclass
       AND (SELECT attname FROM pg_attribute WHERE attrelid = k.conrelid AND attnum = k.conkey[1]) = 'customer_id'
     ORDER BY 1`,
  );
  const noId = rows.filter((r) => !r.has_id).map((r) => r.table);
  if (noId.length > 0)
    throw new Error(`tables referencing customers without an id column cannot be merged: ${noId.join(', ')}`);
  return rows.map((r) => ({ table: r.table, hasImportId: r.has_import_id }));
}

/** Values a survivor already has (or an earlier merged row has): the merged copies are deleted, not moved. */
const DUPLICATE_KEYS: Record<string, (alias: string) => string> = {
  customer_phones: (t) => `${t}.phone`,
  customer_emails: (t) => `lower(${t}.email)`,
  customer_identities: (t) => `${t}.kind || ':' || ${t}.id_hash`,
};

/** Deletes the merged customers' copies of a phone, e-mail or id the survivor will have; returns how many. */
export async function deleteDuplicateValues(
  db: pg.ClientBase,
  mergeId: number,
  table: string,
  survivorId: number,
  mergedIds: readonly number[],
): Promise<number> {
  const key = DUPLICATE_KEYS[table];
  if (!key) return 0;
  const { rowCount } = await db.query(
    `WITH gone AS (
       DELETE FROM ${table} t WHERE t.customer_id = ANY($3::bigint[])
         AND EXISTS (SELECT 1 FROM ${table} o WHERE (o.customer_id = $2 OR (o.customer_id = ANY($3::bigint[]) AND o.id < t.id)) AND ${key('o')} = ${key('t')})
       RETURNING t.id, to_jsonb(t) AS before)
     INSERT INTO merge_changes (merge_id, table_name, row_id, before, after) SELECT $1, '${table}', id, before, NULL FROM gone`,
    [mergeId, survivorId, mergedIds],
  );
  return rowCount ?? 0;
}

/** Points `column` of every row of `table` that names one of `fromIds` at `toId`; returns how many. */
export async function repointRows(
  db: pg.ClientBase,
  mergeId: number,
  table: string,
  column: 'customer_id' | 'merged_into',
  fromIds: readonly number[],
  toId: number,
): Promise<number> {
  const { rowCount } = await db.query(
    `WITH moved AS (
       UPDATE ${table} t SET ${column} = $2 FROM (SELECT x.id, to_jsonb(x) AS before FROM ${table} x WHERE x.${column} = ANY($3::bigint[])) b
       WHERE t.id = b.id RETURNING t.id, b.before, to_jsonb(t) AS after)
     INSERT INTO merge_changes (merge_id, table_name, row_id, before, after) SELECT $1, '${table}', id, before, after FROM moved`,
    [mergeId, toId, fromIds],
  );
  return rowCount ?? 0;
}

const FIELD_COLUMNS: Record<MergeableField, string> = {
  firstName: 'first_name',
  lastName: 'last_name',
  gender: 'gender',
  dateOfBirth: 'date_of_birth',
};

export async function readCustomerFields(db: pg.ClientBase, ids: readonly number[]): Promise<CustomerFields[]> {
  const { rows } = await db.query<CustomerFields>(
    `SELECT c.id::float8 AS id, first_name AS "firstName", last_name AS "lastName", gender, date_of_birth::text AS "dateOfBirth"
     FROM unnest($1::bigint[]) WITH ORDINALITY AS i(id, n) JOIN customers c ON c.id = i.id ORDER BY i.n FOR UPDATE OF c`,
    [ids],
  );
  return rows;
}

/** Writes the survivor's filled fields with its before-image. */
export async function updateSurvivor(
  db: pg.ClientBase,
  mergeId: number,
  survivorId: number,
  changes: Partial<Record<MergeableField, string | null>>,
): Promise<void> {
  const fields = Object.keys(changes) as MergeableField[];
  if (fields.length === 0) return;
  const sets = fields.map((f, i) => `${FIELD_COLUMNS[f]} = $${i + 3}`).join(', ');
  await db.query(
    `WITH b AS (SELECT to_jsonb(c) AS before FROM customers c WHERE c.id = $2),
          u AS (UPDATE customers c SET ${sets} WHERE c.id = $2 RETURNING to_jsonb(c) AS after)
     INSERT INTO merge_changes (merge_id, table_name, row_id, before, after) SELECT $1, 'customers', $2, b.before, u.after FROM b, u`,
    [mergeId, survivorId, ...fields.map((f) => changes[f] ?? null)],
  );
}

/** Marks the merged customers as folded into the survivor, with their before-images. */
export async function markMerged(
  db: pg.ClientBase,
  mergeId: number,
  mergedIds: readonly number[],
  survivorId: number,
): Promise<number> {
  const { rowCount } = await db.query(
    `WITH b AS (SELECT c.id, to_jsonb(c) AS before FROM customers c WHERE c.id = ANY($3::bigint[])),
          u AS (UPDATE customers c SET merged_into = $2 FROM b WHERE c.id = b.id RETURNING c.id, b.before, to_jsonb(c) AS after)
     INSERT INTO merge_changes (merge_id, table_name, row_id, before, after) SELECT $1, 'customers', id, before, after FROM u`,
    [mergeId, survivorId, mergedIds],
  );
  return rowCount ?? 0;
}
