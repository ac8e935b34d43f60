import { describe, expect, it } from 'vitest';
import { SCHEMA_TABLES, statementLabel } from '../../src/db/statement-label';
import { probeEach } from '../../src/db/queries/distinct-values';
import { findSyncHistory } from '../../src/db/queries/sync-history';
import type { Queryable } from '../../src/db/queryable';

/** The SQL text a query function sends, from a stand-in that only records it. */
async function sqlOf(run: (db: Queryable) => Promise<unknown>): Promise<string> {
  let text = '';
  await run({ query: async (sql: string) => ((text = sql), { rows: [] }) } as unknown as Queryable);
  return text;
}

describe('statementLabel', () => {
  it('names the command and the table a statement writes', () => {
    expect(statementLabel('COPY customer_phones (customer_id, phone, extension, import_id) FROM STDIN')).toBe(
      'COPY customer_phones',
    );
    expect(statementLabel('  INSERT INTO import_outcomes (import_id) SELECT 1')).toBe('INSERT import_outcomes');
    expect(statementLabel('UPDATE imports SET status = $2 WHERE id = $1')).toBe('UPDATE imports');
    expect(statementLabel('DELETE FROM customer_emails WHERE import_id = $1')).toBe('DELETE customer_emails');
    expect(
      statementLabel(
        'WITH u AS (SELECT c FROM unnest($1::bigint[]) AS u(c)) INSERT INTO customer_companies (customer_id) SELECT c FROM u',
      ),
    ).toBe('INSERT customer_companies');
    expect(
      statementLabel(
        'WITH old AS (SELECT id FROM imports ORDER BY id LIMIT 5 FOR UPDATE SKIP LOCKED) DELETE FROM import_rows WHERE import_id IN (SELECT id FROM old)',
      ),
    ).toBe('DELETE import_rows');
    expect(
      statementLabel(
        'WITH c AS (SELECT id FROM customers FOR NO KEY UPDATE) UPDATE customer_relations SET active = false',
      ),
    ).toBe('UPDATE customer_relations');
    expect(statementLabel('SELECT id FROM imports WHERE id = $1 FOR UPDATE')).toBe('SELECT imports');
  });

  it('reads quoted and schema-qualified names as drizzle writes them', () => {
    expect(statementLabel('select "id", "status" from "imports" where "imports"."id" = $1')).toBe('SELECT imports');
    expect(statementLabel('insert into "public"."import_events" ("import_id") values ($1)')).toBe(
      'INSERT import_events',
    );
  });

  it('names the table a lookup reads, past the FROM items that unnest its keys', () => {
    expect(
      statementLabel(
        `SELECT x.phone FROM ${probeEach('$1::text[]', 'SELECT p.phone FROM customer_phones p WHERE p.phone = u.v')}`,
      ),
    ).toBe('SELECT customer_phones');
  });

  it('names the table a query reads rather than one a subquery of its filter consults', async () => {
    // The sync-history lookup names the imports in progress before the table it probes.
    const sql = await sqlOf((db) => findSyncHistory(db, 'nana', ['k'], 1));
    expect(sql.indexOf('imports')).toBeLessThan(sql.indexOf('sync_history'));
    expect(statementLabel(sql)).toBe('SELECT sync_history');
    expect(statementLabel('SELECT a.id FROM imports a JOIN import_rows r ON r.import_id = a.id')).toBe(
      'SELECT imports',
    );
  });

  it('names the function a statement on no table calls, and never a quoted value', () => {
    expect(statementLabel('SELECT pg_advisory_xact_lock($1)')).toBe('SELECT pg_advisory_xact_lock');
    expect(
      statementLabel(
        `SELECT nextval((SELECT pg_get_serial_sequence('customers', 'id'))::regclass) FROM generate_series(1, $1)`,
      ),
    ).toBe('SELECT nextval');
    expect(statementLabel(`SELECT 'Somsri 0812345678' AS x`)).toBe('SELECT');
  });

  it('keeps the label set bounded: unknown tables and commands are not named', () => {
    expect(statementLabel('INSERT INTO somebody_elses_table VALUES (1)')).toBe('INSERT');
    expect(statementLabel('SELECT * FROM pg_stat_activity')).toBe('SELECT');
    expect(statementLabel('Somsri Jaidee 0812345678')).toBe('other');
    expect(statementLabel('BEGIN')).toBe('BEGIN');
    expect(statementLabel('SET LOCAL session_replication_role = replica')).toBe('SET');
  });

  it('knows every table of the schema', () => {
    for (const table of [
      'customers',
      'customer_phones',
      'customer_relations',
      'sync_history',
      'import_rows',
      'import_outcomes',
      'import_errors',
      'imports',
    ])
      expect(SCHEMA_TABLES.has(table)).toBe(true);
  });
});
