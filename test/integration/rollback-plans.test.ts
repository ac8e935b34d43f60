import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertImport } from '../../src/db/queries/imports';
import { systemClock } from '../../src/domain/clock';
import { rollbackImport, rollbackPreview } from '../../src/imports/rollback-import';
import { createTestDatabase, dropTestDatabase } from '../support/test-database';

/**
 * A rollback right after a large import meets statistics taken before it (autovacuum off, or not
 * yet round): they count the import's rows as none. PostgreSQL then planned the preview's counts as
 * a loop over every customer of the import for every phone of it, and after a 5M-record import the
 * preview ran for 9 minutes without an end. Here statistics are taken on 60,000 earlier customers,
 * then 60,000 customers of one import land, and preview and rollback must finish well inside a
 * statement timeout that the old plan (3.6 billion pairs) could never meet.
 */
const EXISTING = 60_000;
const CUSTOMERS = 60_000;

let pool: pg.Pool;
let dbName: string;
let importId: number;

beforeAll(async () => {
  dbName = `ferry_rollback_plans_${randomBytes(4).toString('hex')}`;
  const url = await createTestDatabase(dbName);
  pool = new pg.Pool({ connectionString: url, max: 2, options: '-c statement_timeout=20000' });
  // The CRM's earlier customers, analysed: no row of theirs names an import, so to the planner none ever will.
  await pool.query(
    `INSERT INTO customers (id, first_name, last_name) SELECT g, 'F', 'L' FROM generate_series(1, ${EXISTING}) g`,
  );
  await pool.query(
    `INSERT INTO customer_phones (customer_id, phone) SELECT g, '+6690' || lpad(g::text, 7, '0') FROM generate_series(1, ${EXISTING}) g`,
  );
  await pool.query('ANALYZE');
  ({ id: importId } = await insertImport(pool, {
    source: 'nana',
    fileName: 'big.csv',
    fileSha256: 'f'.repeat(64),
    fileBytes: 1,
    encoding: 'utf-8',
    header: [],
    options: {},
    createdBy: 'test',
  }));
  await pool.query(`UPDATE imports SET status = 'completed', phase = 'done', total = $2 WHERE id = $1`, [
    importId,
    CUSTOMERS,
  ]);
  await pool.query(
    `INSERT INTO customers (id, first_name, last_name, import_id) SELECT g, 'F', 'L', $1 FROM generate_series(${EXISTING} + 1, ${EXISTING + CUSTOMERS}) g`,
    [importId],
  );
  await pool.query(
    `INSERT INTO customer_phones (customer_id, phone, import_id) SELECT g, '+6680' || lpad(g::text, 7, '0'), $1 FROM generate_series(${EXISTING} + 1, ${EXISTING + CUSTOMERS}) g`,
    [importId],
  );
  await pool.query(
    `INSERT INTO customer_emails (customer_id, email, import_id) SELECT g, 'u' || g || '@example.com', $1 FROM generate_series(${EXISTING} + 1, ${EXISTING + CUSTOMERS}) g`,
    [importId],
  );
  await pool.query(
    `INSERT INTO customer_relations (customer_id, source, original_id, import_id) SELECT g, 'nana', 'N' || g, $1 FROM generate_series(${EXISTING} + 1, ${EXISTING + CUSTOMERS}) g`,
    [importId],
  );
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await dropTestDatabase(dbName);
});

describe('rollback with statistics older than the import', () => {
  const deps = () => ({ pool, clock: systemClock });

  it('previews the whole import', async () => {
    const preview = await rollbackPreview(deps(), importId);
    expect(preview.remove).toEqual({
      customers: CUSTOMERS,
      phones: CUSTOMERS,
      emails: CUSTOMERS,
      companies: 0,
      relations: CUSTOMERS,
    });
    expect(preview.keep.customers).toBe(0);
  }, 60_000);

  it('removes every row of the import and nothing else', async () => {
    await rollbackImport(deps(), importId, { actor: 'test' });
    const { rows } = await pool.query(
      `SELECT (SELECT count(*) FROM customers)::int AS customers, (SELECT count(*) FROM customer_phones)::int AS phones,
              (SELECT count(*) FROM customer_emails)::int AS emails, (SELECT count(*) FROM customer_relations)::int AS relations,
              (SELECT status FROM imports WHERE id = $1) AS status`,
      [importId],
    );
    expect(rows[0]).toEqual({ customers: EXISTING, phones: EXISTING, emails: 0, relations: 0, status: 'rolled_back' });
  }, 120_000);
});
