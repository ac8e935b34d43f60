import { pgArrayOf } from '../array-literal';
import type pg from 'pg';
import { MAY_SET_REPLICATION_ROLE, setRowTriggers } from './row-triggers';

/**
 * Deleting an import's customers is most of its rollback when it fires the foreign-key triggers:
 * one per deleted customer and per table that references customers, each its own query even on an
 * empty table. By then the rollback has removed the import's own rows from those tables, so a chunk
 * checks them all at once instead, one indexed `= ANY` probe per referencing table, and deletes with
 * row triggers off.
 *
 * The chunk's customers are locked first (FOR UPDATE), so a session about to add a row pointing at
 * one of them has either committed it (the check, a later statement, sees it) or waits on the lock
 * and then fails its own key check, as it would against the triggers. A chunk with any reference
 * left is deleted with the triggers on, and PostgreSQL's own foreign-key error stops the rollback.
 */
export async function deleteCustomerChunk(db: pg.PoolClient, ids: readonly string[]): Promise<void> {
  const keys = await customerReferences(db);
  const literal = pgArrayOf(ids);
  const checkedHere = keys !== null && !(await anyReferenced(db, keys, literal));
  if (checkedHere) await setRowTriggers(db, false);
  await db.query(`DELETE FROM customers WHERE id = ANY($1::bigint[])`, [literal]);
  if (checkedHere) await setRowTriggers(db, true);
}

interface ReferenceKey {
  table: string;
  column: string;
}

/**
 * Every (table, column) whose foreign key points at customers, or null when the triggers must stay
 * on: a key of several columns, a key that cascades or sets null (its action would be skipped), any
 * trigger on customers but foreign-key ones (a CRM's audit trigger), a rule, or a session not allowed
 * to set session_replication_role. Asked per chunk, from the catalogs: they may change mid-rollback.
 */
async function customerReferences(db: pg.PoolClient): Promise<ReferenceKey[] | null> {
  // One round trip: the gate and the key list together.
  const {
    rows: [r],
  } = await db.query<{ ok: boolean; keys: ReferenceKey[] }>(
    `SELECT ${MAY_SET_REPLICATION_ROLE}
        AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE confrelid = 'customers'::regclass AND contype = 'f'
                          AND (cardinality(conkey) <> 1 OR confdeltype NOT IN ('a', 'r')))
        AND NOT EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                          WHERE t.tgrelid = 'customers'::regclass AND t.tgenabled <> 'D' AND NOT (t.tgisinternal AND p.proname LIKE 'RI\\_FKey\\_%'))
        AND NOT EXISTS (SELECT 1 FROM pg_rewrite WHERE ev_class = 'customers'::regclass) AS ok,
            (SELECT coalesce(json_agg(json_build_object('table', k.table, 'column', k.column) ORDER BY k.table, k.column), '[]')
               FROM (SELECT c.conrelid::regclass::text AS table, quote_ident(a.attname) AS column
                       FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
                      WHERE c.confrelid = 'customers'::regclass AND c.contype = 'f') k) AS keys`,
  );
  return r.ok ? r.keys : null;
}

async function anyReferenced(db: pg.PoolClient, keys: readonly ReferenceKey[], idsLiteral: string): Promise<boolean> {
  if (keys.length === 0) return false;
  const probes = keys
    .map((k) => `EXISTS (SELECT 1 FROM ${k.table} WHERE ${k.column} = ANY($1::bigint[]))`)
    .join(' OR ');
  const {
    rows: [r],
  } = await db.query<{ referenced: boolean }>(`SELECT ${probes} AS referenced`, [idsLiteral]);
  return r.referenced;
}
