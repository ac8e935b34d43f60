import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { insertImport } from '../../src/db/queries/imports';
import { deleteCustomerChunk } from '../../src/db/queries/rollback-customers';
import { systemClock } from '../../src/domain/clock';
import { ROLLBACK_CHUNK, rollbackImport } from '../../src/imports/rollback-import';
import { createTestDatabase, dropTestDatabase } from '../support/test-database';

/**
 * A rollback deletes an import's customers with row triggers off once it has checked, itself, that
 * nothing references them (src/db/queries/rollback-customers.ts). These are the cases where that
 * check or the triggers must still do their work: a CRM table Ferry does not know pointing at a
 * customer, a CRM trigger on customers, and a key that cascades.
 */
const CUSTOMERS = 30;

let pool: pg.Pool;
let dbName: string;
let nextId = 1;

beforeAll(async () => {
  dbName = `ferry_rollback_refs_${randomBytes(4).toString('hex')}`;
  pool = new pg.Pool({ connectionString: await createTestDatabase(dbName), max: 3 });
});

afterEach(async () => {
  await pool.query(`DROP TABLE IF EXISTS crm_notes, crm_audit; DROP FUNCTION IF EXISTS crm_audit_delete() CASCADE`);
});

afterAll(async () => {
  await pool?.end();
  await dropTestDatabase(dbName);
});

/** A completed import of CUSTOMERS customers, each with a phone; returns its id and its customers' ids. */
async function seedImport(): Promise<{ importId: number; ids: number[] }> {
  const { id: importId } = await insertImport(pool, {
    source: 'nana',
    fileName: 'n.csv',
    fileSha256: 'a'.repeat(64),
    fileBytes: 1,
    encoding: 'utf-8',
    header: [],
    options: {},
    createdBy: 'test',
  });
  await pool.query(`UPDATE imports SET status = 'completed', phase = 'done', total = $2 WHERE id = $1`, [
    importId,
    CUSTOMERS,
  ]);
  const first = nextId;
  nextId += CUSTOMERS;
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO customers (id, first_name, last_name, import_id) SELECT g, 'F', 'L', $1 FROM generate_series($2::int, $3::int) g RETURNING id::int`,
    [importId, first, nextId - 1],
  );
  await pool.query(
    `INSERT INTO customer_phones (customer_id, phone, import_id) SELECT g, '+66812' || lpad(g::text, 6, '0'), $1 FROM generate_series($2::int, $3::int) g`,
    [importId, first, nextId - 1],
  );
  return { importId, ids: rows.map((r) => r.id) };
}

const customersOf = async (importId: number) =>
  (await pool.query(`SELECT count(*)::int AS n FROM customers WHERE import_id = $1`, [importId])).rows[0].n;
const deps = () => ({ pool, clock: systemClock });

describe('deleting a chunk of customers', () => {
  /** Scans of the tables that point at customers, by this transaction. */
  const referenceProbes = async (client: pg.PoolClient) =>
    (
      await client.query(
        `SELECT coalesce(sum(coalesce(s.seq_scan, 0) + coalesce(s.idx_scan, 0)), 0)::int AS n FROM pg_stat_xact_user_tables s
        WHERE s.relid IN (SELECT conrelid FROM pg_constraint WHERE confrelid = 'customers'::regclass AND contype = 'f')`,
      )
    ).rows[0].n;

  it('checks the keys pointing at them with one probe per table, not one per customer and table', async () => {
    const { ids } = await seedImport();
    await pool.query(`DELETE FROM customer_phones WHERE customer_id = ANY($1::bigint[])`, [ids]);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const before = await referenceProbes(client);
      await deleteCustomerChunk(client, ids.map(String));
      const probes = (await referenceProbes(client)) - before;
      const {
        rows: [keys],
      } = await client.query(
        `SELECT count(*)::int AS n FROM pg_constraint WHERE confrelid = 'customers'::regclass AND contype = 'f'`,
      );
      expect(probes).toBeLessThanOrEqual(keys.n);
      expect(
        (await client.query(`SELECT count(*)::int AS n FROM customers WHERE id = ANY($1::bigint[])`, [ids])).rows[0].n,
      ).toBe(0);
      expect((await client.query(`SHOW session_replication_role`)).rows[0].session_replication_role).toBe('origin');
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

describe('rollback of customers that something else still points at', () => {
  it('fails on a reference from a table Ferry does not know, deletes nothing of that chunk, and finishes once it is gone', async () => {
    expect(CUSTOMERS).toBeLessThan(ROLLBACK_CHUNK);
    const { importId, ids } = await seedImport();
    await pool.query(
      `CREATE TABLE crm_notes (id serial PRIMARY KEY, customer_id bigint REFERENCES customers (id), note text)`,
    );
    await pool.query(`INSERT INTO crm_notes (customer_id, note) VALUES ($1, 'called back')`, [ids[7]]);

    await expect(rollbackImport(deps(), importId, { actor: 'test' })).rejects.toThrow(/crm_notes/);
    expect(await customersOf(importId)).toBe(CUSTOMERS);
    expect(
      (await pool.query(`SELECT count(*)::int AS n FROM crm_notes n JOIN customers c ON c.id = n.customer_id`)).rows[0]
        .n,
    ).toBe(1);

    await pool.query(`DELETE FROM crm_notes`);
    await rollbackImport(deps(), importId, { actor: 'test' });
    expect(await customersOf(importId)).toBe(0);
    expect((await pool.query(`SELECT status FROM imports WHERE id = $1`, [importId])).rows[0].status).toBe(
      'rolled_back',
    );
  });

  it('fires a CRM trigger on customers for every customer it deletes', async () => {
    const { importId } = await seedImport();
    await pool.query(`CREATE TABLE crm_audit (customer_id bigint)`);
    await pool.query(
      `CREATE FUNCTION crm_audit_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO crm_audit VALUES (OLD.id); RETURN OLD; END $$`,
    );
    await pool.query(
      `CREATE TRIGGER crm_audit_delete AFTER DELETE ON customers FOR EACH ROW EXECUTE FUNCTION crm_audit_delete()`,
    );

    await rollbackImport(deps(), importId, { actor: 'test' });
    expect(await customersOf(importId)).toBe(0);
    expect((await pool.query(`SELECT count(*)::int AS n FROM crm_audit`)).rows[0].n).toBe(CUSTOMERS);
  });

  it('lets a key that cascades remove the rows pointing at the deleted customers', async () => {
    const { importId, ids } = await seedImport();
    await pool.query(
      `CREATE TABLE crm_notes (id serial PRIMARY KEY, customer_id bigint REFERENCES customers (id) ON DELETE CASCADE, note text)`,
    );
    await pool.query(`INSERT INTO crm_notes (customer_id, note) SELECT unnest($1::bigint[]), 'n'`, [ids.slice(0, 5)]);

    await rollbackImport(deps(), importId, { actor: 'test' });
    expect(await customersOf(importId)).toBe(0);
    expect((await pool.query(`SELECT count(*)::int AS n FROM crm_notes`)).rows[0].n).toBe(0);
  });
});
