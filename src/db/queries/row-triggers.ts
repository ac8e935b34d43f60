import type pg from 'pg';

/**
 * Every table a batch writes rows of its own new customers into (see src/sources/shared/new-customer-rows.ts):
 * the customers themselves, the rows that reference them, and the before-images sync history writes.
 */
export const NEW_CUSTOMER_TABLES = [
  'customers',
  'customer_phones',
  'customer_emails',
  'customer_companies',
  'customer_relations',
  'sync_history',
  'customer_identities',
  'customer_addresses',
  'customer_amounts',
  'customer_attributes',
  'import_before_images',
] as const;

/** SQL: whether the session may set session_replication_role (a superuser, or granted SET on it, PostgreSQL 15). */
export const MAY_SET_REPLICATION_ROLE = `(current_setting('is_superuser')::boolean OR has_parameter_privilege('session_replication_role', 'SET'))`;

/**
 * Whether this transaction may write to the new-customer tables with row triggers off
 * (session_replication_role = replica), skipping nothing but foreign-key checks that cannot fail.
 * The session must be allowed to set the parameter: a superuser, or a role granted
 * `SET ON PARAMETER session_replication_role` (PostgreSQL 15). Every enabled trigger on those tables
 * must be one of:
 * - the check of a key to customers or imports: the batch's rows point at customers it just inserted
 *   and at its own import, which exists before any batch runs and is never deleted;
 * - an action trigger on customers for a key that points at it, which fires on update and delete,
 *   never on the inserts the fast path makes.
 * Anything else (a CRM's audit trigger, a deferrable constraint, a key to another table) or any rule
 * turns the fast path off, so it is never skipped silently. Asked per batch: catalogs and grants may
 * change while a worker runs.
 */
export async function mayWriteWithoutRowTriggers(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(
    `WITH tables AS (SELECT unnest($1::regclass[]) AS oid)
     SELECT ${MAY_SET_REPLICATION_ROLE}
        AND NOT EXISTS (
          SELECT 1 FROM pg_trigger t JOIN tables ON tables.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid,
            LATERAL (SELECT p.proname IN ('RI_FKey_check_ins', 'RI_FKey_check_upd') AS key_check) k
          WHERE t.tgenabled <> 'D'
            AND NOT (t.tgisinternal AND k.key_check AND t.tgrelid <> 'customers'::regclass AND t.tgconstrrelid IN ('customers'::regclass, 'imports'::regclass))
            AND NOT (t.tgisinternal AND NOT k.key_check AND p.proname LIKE 'RI\\_FKey\\_%' AND t.tgrelid = 'customers'::regclass))
        AND NOT EXISTS (SELECT 1 FROM pg_rewrite r JOIN tables ON tables.oid = r.ev_class) AS ok`,
    [NEW_CUSTOMER_TABLES],
  );
  return rows[0].ok;
}

/** Row triggers off (replica) or back on (origin) for the rest of the transaction, or until set again. */
export async function setRowTriggers(client: pg.ClientBase, on: boolean): Promise<void> {
  await client.query(`SET LOCAL session_replication_role = ${on ? 'origin' : 'replica'}`);
}
