import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRows } from '../../src/db/copy-rows';
import { createPool } from '../../src/db/pool';
import { inTransaction } from '../../src/db/queryable';
import { createTestDatabase, dropTestDatabase } from '../support/test-database';

// The worker's statement metrics (createPool's observer) against the real server: every way pg
// answers a statement is timed until the server has answered, and answers pass through unchanged.
const name = `ferry_stmt_${randomBytes(4).toString('hex')}`;
const seen: { label: string; seconds: number }[] = [];
let pool: pg.Pool;

beforeAll(async () => {
  pool = createPool(await createTestDatabase(name), 2, (label, seconds) => seen.push({ label, seconds }));
  // Each COPY into it waits 0.3 s on the server, once, after its rows are in.
  await pool.query(`CREATE TABLE slow_copy (t text);
    CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$;
    CREATE TRIGGER slow AFTER INSERT ON slow_copy FOR EACH STATEMENT EXECUTE FUNCTION slow();`);
});
afterAll(async () => {
  await pool?.end();
  await dropTestDatabase(name);
});

const take = () => seen.splice(0, seen.length);

describe('statements timed by createPool', () => {
  it('times a pool query (pg answers it by callback) until its answer, and returns its rows', async () => {
    take();
    const { rows } = await pool.query<{ n: number; slept: string }>(
      'SELECT count(*)::int AS n, pg_sleep(0.2)::text AS slept FROM imports',
    );
    expect(rows).toEqual([{ n: 0, slept: '' }]);
    const [one, ...more] = take();
    expect(more).toEqual([]);
    expect(one.label).toBe('SELECT imports');
    expect(one.seconds).toBeGreaterThanOrEqual(0.2);
  });

  it('times a statement whose callback comes inside its config', async () => {
    take();
    const client = await pool.connect();
    try {
      const rows = await new Promise((resolve, reject) => {
        void client.query({
          text: 'SELECT pg_sleep(0.1)::text AS slept',
          callback: (err: Error | null, res: pg.QueryResult) => (err ? reject(err) : resolve(res.rows)),
        } as unknown as string);
      });
      expect(rows).toEqual([{ slept: '' }]);
    } finally {
      client.release();
    }
    const [one, ...more] = take();
    expect(more).toEqual([]);
    expect(one).toMatchObject({ label: 'SELECT pg_sleep' });
    expect(one.seconds).toBeGreaterThanOrEqual(0.1);
  });

  it('times each statement of a transaction on a checked-out client, the COPY until the server has run it', async () => {
    take();
    await inTransaction(pool, async (client) => {
      await copyRows(client, 'slow_copy (t)', [{ t: 'a' }, { t: 'b' }], [(r) => r.t]);
      await client.query('SELECT pg_advisory_xact_lock($1)', [7]);
    });
    const got = take();
    expect(got.map((s) => s.label)).toEqual(['BEGIN', 'COPY', 'SELECT pg_advisory_xact_lock', 'COMMIT']);
    expect(
      got[1].seconds,
      'the COPY is done when its trigger has run, not when its data is sent',
    ).toBeGreaterThanOrEqual(0.3);
    expect((await pool.query('SELECT count(*)::int AS n FROM slow_copy')).rows[0].n).toBe(2);
  });

  it('times failed statements too, and passes their errors on unchanged', async () => {
    take();
    await expect(pool.query('SELECT nope FROM imports')).rejects.toMatchObject({ code: '42703' });
    const client = await pool.connect();
    try {
      await expect(client.query('SELEC 1')).rejects.toMatchObject({ code: '42601' });
      await client.query('BEGIN');
      // A value COPY cannot store: the stream fails, and pipeline gets the server's error.
      await expect(copyRows(client, 'imports (id)', [{ id: 'not a number' }], [(r) => r.id])).rejects.toMatchObject({
        code: '22P02',
      });
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(take().map((s) => s.label)).toEqual(['SELECT imports', 'other', 'BEGIN', 'COPY imports', 'ROLLBACK']);
  });
});
