import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertImport } from '../../src/db/queries/imports';
import { systemClock } from '../../src/domain/clock';
import { rollbackImport, rollbackPreview } from '../../src/imports/rollback-import';
import { createTestDatabase, dropTestDatabase } from '../support/test-database';

/**
 * The rollback's chunked steps walk their rows in key order (src/db/queries/rollback.ts). With
 * chunks of 4 rows every step here crosses several chunk boundaries, and a chunk ends between rows
 * it changes and rows it must leave alone.
 */
const CHUNK = 4;
const N = 25;

let pool: pg.Pool;
let dbName: string;

beforeAll(async () => {
  dbName = `ferry_rollback_chunks_${randomBytes(4).toString('hex')}`;
  pool = new pg.Pool({ connectionString: await createTestDatabase(dbName), max: 3 });
});

afterAll(async () => {
  await pool?.end();
  await dropTestDatabase(dbName);
});

const deps = () => ({ pool, clock: systemClock });
const rows = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
  (await pool.query<T>(sql, params)).rows;

async function completedImport(): Promise<number> {
  const { id } = await insertImport(pool, {
    source: 'nana',
    fileName: 'n.csv',
    fileSha256: 'a'.repeat(64),
    fileBytes: 1,
    encoding: 'utf-8',
    header: [],
    options: {},
    createdBy: 'test',
  });
  await pool.query(`UPDATE imports SET status = 'completed', phase = 'done', total = $2 WHERE id = $1`, [id, N]);
  return id;
}

describe('rolling back an import that changed earlier rows, chunk by chunk', () => {
  it('restores every before-image and every pair it deactivated, except the pairs a later import took over', async () => {
    const first = await completedImport();
    await pool.query(
      `INSERT INTO customers (id, first_name, last_name, import_id) SELECT g, 'First' || g, 'Last' || g, $1 FROM generate_series(1, $2::int) g`,
      [first, N],
    );
    await pool.query(
      `INSERT INTO sync_history (source, original_key, customer_id, import_id, hash) SELECT 'nana', 'K' || g, g, $1, 'h' || g FROM generate_series(1, $2::int) g`,
      [first, N],
    );
    await pool.query(
      `INSERT INTO customer_relations (customer_id, source, original_id, import_id) SELECT g, 'nana', 'NB' || g, $1 FROM generate_series(1, $2::int) g`,
      [first, N],
    );

    // The re-import: new names and hashes over before-images, and every pair of the first import deactivated.
    const second = await completedImport();
    await pool.query(
      `INSERT INTO import_before_images (import_id, table_name, row_id, before)
       SELECT $1, 'customers', id, jsonb_build_object('first_name', first_name, 'last_name', last_name, 'gender', gender, 'date_of_birth', date_of_birth) FROM customers`,
      [second],
    );
    await pool.query(
      `INSERT INTO import_before_images (import_id, table_name, row_id, before)
       SELECT $1, 'sync_history', id, jsonb_build_object('customer_id', customer_id, 'hash', hash, 'import_id', import_id, 'synced_at', synced_at) FROM sync_history`,
      [second],
    );
    await pool.query(`UPDATE customers SET first_name = 'New', last_name = 'Name'`);
    await pool.query(`UPDATE sync_history SET hash = 'changed', import_id = $1`, [second]);
    await pool.query(
      `UPDATE customer_relations SET active = false, deactivated_by_import_id = $1, deactivated_at = now()`,
      [second],
    );
    // A third import took over every third of those ids: those pairs stay deactivated.
    const third = await completedImport();
    await pool.query(
      `INSERT INTO customer_relations (customer_id, source, original_id, import_id) SELECT 1, 'nana', 'NB' || g, $1 FROM generate_series(3, $2::int, 3) g`,
      [third, N],
    );
    const takenOver = Math.floor(N / 3);

    const steps: string[] = [];
    await rollbackImport(deps(), second, { actor: 'test' }, (step) => steps.push(step), CHUNK);

    const names = await rows<{ first_name: string; last_name: string }>(
      `SELECT first_name, last_name FROM customers ORDER BY id`,
    );
    expect(names).toEqual(
      Array.from({ length: N }, (_, i) => ({ first_name: `First${i + 1}`, last_name: `Last${i + 1}` })),
    );
    const history = await rows<{ hash: string; import_id: number }>(
      `SELECT hash, import_id::int FROM sync_history ORDER BY id`,
    );
    expect(history).toEqual(Array.from({ length: N }, (_, i) => ({ hash: `h${i + 1}`, import_id: first })));
    expect(await rows(`SELECT * FROM import_before_images`)).toEqual([]);

    const pairs = await rows<{ original_id: string; active: boolean; by: number | null }>(
      `SELECT original_id, active, deactivated_by_import_id::int AS by FROM customer_relations WHERE import_id = $1 ORDER BY id`,
      [first],
    );
    expect(pairs.filter((p) => p.active).length).toBe(N - takenOver);
    for (const [i, p] of pairs.entries()) {
      const taken = (i + 1) % 3 === 0;
      expect(p).toEqual({ original_id: `NB${i + 1}`, active: !taken, by: taken ? second : null });
    }
    // Each restore step took several chunks: the walk went on past chunks that restored nothing.
    expect(steps.filter((s) => s === 'restore customers').length).toBeGreaterThanOrEqual(Math.ceil(N / CHUNK));
    expect(steps.filter((s) => s === 'restore relations').length).toBeGreaterThanOrEqual(Math.ceil(N / CHUNK));
  });
});

describe('the plan of a rollback that restores the pairs it moved', () => {
  it('counts as not restored exactly the pairs it leaves: taken over by a later import, or held by a customer it keeps', async () => {
    // Customers 101..125 and their ids NK101..NK125 come from the first import.
    const first = await completedImport();
    await pool.query(
      `INSERT INTO customers (id, first_name, last_name, import_id) SELECT g, 'F', 'L', $1 FROM generate_series(101, 125) g`,
      [first],
    );
    await pool.query(
      `INSERT INTO customer_relations (customer_id, source, original_id, import_id) SELECT g, 'nana', 'NK' || g, $1 FROM generate_series(101, 125) g`,
      [first],
    );
    // The second import moved every id to a customer of its own (201..225): its pairs go before the
    // old ones are restored, so those come back.
    const second = await completedImport();
    await pool.query(
      `UPDATE customer_relations SET active = false, deactivated_by_import_id = $1, deactivated_at = now() WHERE import_id = $2`,
      [second, first],
    );
    await pool.query(
      `INSERT INTO customers (id, first_name, last_name, import_id) SELECT g + 100, 'S', 'L', $1 FROM generate_series(101, 125) g`,
      [second],
    );
    await pool.query(
      `INSERT INTO customer_relations (customer_id, source, original_id, import_id) SELECT g + 100, 'nana', 'NK' || g, $1 FROM generate_series(101, 125) g`,
      [second],
    );
    // A third import added a phone to customer 201, which is kept with its pair: NK101 stays with it.
    // It also took every third id over from the second import's customers.
    const third = await completedImport();
    await pool.query(`INSERT INTO customer_phones (customer_id, phone, import_id) VALUES (201, '0812345678', $1)`, [
      third,
    ]);
    const takenIds = Array.from({ length: 8 }, (_, i) => `NK${103 + 3 * i}`);
    await pool.query(
      `UPDATE customer_relations SET active = false, deactivated_by_import_id = $1, deactivated_at = now() WHERE import_id = $2 AND original_id = ANY($3)`,
      [third, second, takenIds],
    );
    await pool.query(
      `INSERT INTO customer_relations (customer_id, source, original_id, import_id) SELECT 101, 'nana', id, $1 FROM unnest($2::text[]) id`,
      [third, takenIds],
    );
    const left = ['NK101', ...takenIds].sort();

    const expected = {
      restore: { relations: 25 - left.length },
      keep: { customers: 1, customerIds: [201], relationsNotRestored: left.length },
    };
    expect(await rollbackPreview(deps(), second)).toMatchObject(expected);
    expect(await rollbackImport(deps(), second, { actor: 'test' }, () => {}, CHUNK)).toMatchObject(expected);

    const stillOff = await rows<{ original_id: string }>(
      `SELECT original_id FROM customer_relations WHERE deactivated_by_import_id = $1 ORDER BY original_id`,
      [second],
    );
    expect(stillOff.map((r) => r.original_id)).toEqual(left);
    const active = await rows<{ original_id: string; customer_id: number }>(
      `SELECT original_id, customer_id::int FROM customer_relations WHERE active AND original_id LIKE 'NK%' ORDER BY original_id`,
    );
    expect(active).toHaveLength(25);
    for (const pair of active) {
      const g = Number(pair.original_id.slice(2));
      expect(pair.customer_id).toBe(pair.original_id === 'NK101' ? 201 : takenIds.includes(pair.original_id) ? 101 : g);
    }
  });
});

describe('rolling back an import whose import phase rejected records, chunk by chunk', () => {
  it("removes the import phase's errors and outcomes and keeps what validation found", async () => {
    const id = await completedImport();
    // Rows 1..N alternate between validation rejections and import-phase rejections.
    await pool.query(
      `INSERT INTO import_errors (import_id, row_number, line_number, record, errors, phase)
       SELECT $1, g, g + 1, '{}', '[]', CASE WHEN g % 2 = 0 THEN 'import' ELSE 'validate' END FROM generate_series(1, $2::int) g`,
      [id, N],
    );
    await pool.query(
      `INSERT INTO import_outcomes (import_id, row_number, outcome, phase)
       SELECT $1, g, 'rejected', CASE WHEN g % 2 = 0 THEN 'import' ELSE 'validate' END FROM generate_series(1, $2::int) g`,
      [id, N],
    );

    await rollbackImport(deps(), id, { actor: 'test' }, () => {}, CHUNK);

    const odd = Array.from({ length: Math.ceil(N / 2) }, (_, i) => 2 * i + 1);
    expect(
      (
        await rows<{ row_number: number }>(`SELECT row_number FROM import_errors WHERE import_id = $1 ORDER BY 1`, [id])
      ).map((r) => r.row_number),
    ).toEqual(odd);
    expect(
      (
        await rows<{ row_number: number }>(`SELECT row_number FROM import_outcomes WHERE import_id = $1 ORDER BY 1`, [
          id,
        ])
      ).map((r) => r.row_number),
    ).toEqual(odd);
  });
});
