import type pg from 'pg';
import { withClient } from '../src/db/with-client';

/** Every table an import writes one or more rows per record into, in the order a batch writes them. */
const TABLES = [
  'import_rows',
  'import_errors',
  'customers',
  'customer_phones',
  'customer_emails',
  'customer_companies',
  'customer_relations',
  'sync_history',
  'import_outcomes',
];

/**
 * The write floor of the CRM's schema: the rows the import wrote, copied server-side into empty
 * copies of their tables with the same indexes and the same foreign keys to customers (the CRM's
 * earlier rows loaded first, untimed).
 * No network, no parsing, no rules: what PostgreSQL needs to store exactly that much data, so
 * Ferry's time can be read as this floor plus Ferry's own work.
 */
export async function schemaWriteFloor(
  databaseUrl: string,
  importId: number,
): Promise<{ seconds: number; rows: number; byTable: Record<string, number> }> {
  return withClient(databaseUrl, async (client) => {
    try {
      await client.query('DROP SCHEMA IF EXISTS bench_floor CASCADE');
      await client.query('CREATE SCHEMA bench_floor');
      const byTable: Record<string, number> = {};
      let seconds = 0;
      let rows = 0;
      for (const table of TABLES) {
        await client.query(
          `CREATE TABLE bench_floor.${table} (LIKE public.${table} INCLUDING DEFAULTS INCLUDING INDEXES)`,
        );
        await copyCustomerForeignKeys(client, table);
        await client.query(
          `INSERT INTO bench_floor.${table} SELECT * FROM public.${table} WHERE import_id IS DISTINCT FROM $1`,
          [importId],
        );
        await client.query('CHECKPOINT');
        const started = performance.now();
        const result = await client.query(
          `INSERT INTO bench_floor.${table} SELECT * FROM public.${table} WHERE import_id = $1`,
          [importId],
        );
        const s = (performance.now() - started) / 1000;
        byTable[table] = Math.round(s * 100) / 100;
        seconds += s;
        rows += result.rowCount ?? 0;
      }
      return { seconds, rows, byTable };
    } finally {
      await client.query('DROP SCHEMA IF EXISTS bench_floor CASCADE').catch(() => undefined);
    }
  });
}

/** LIKE copies no foreign keys; each row's check against customers is part of what the schema costs. */
async function copyCustomerForeignKeys(client: pg.Client, table: string): Promise<void> {
  const { rows } = await client.query<{ def: string }>(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'f' AND conrelid = $1::regclass AND confrelid = 'public.customers'::regclass`,
    [`public.${table}`],
  );
  for (const { def } of rows)
    await client.query(
      `ALTER TABLE bench_floor.${table} ADD ${def.replace(/REFERENCES (public\.)?customers\(/, 'REFERENCES bench_floor.customers(')}`,
    );
}
