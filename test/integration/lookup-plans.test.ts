import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeRelationDetails, activeRelations } from '../../src/db/queries/customers';
import { phoneOwnerIds } from '../../src/sources/nana/nana-gap';
import { phoneOwners } from '../../src/db/queries/profiles';
import { findSyncHistory } from '../../src/db/queries/sync-history';
import type { Queryable } from '../../src/db/queryable';
import { createTestDatabase, dropTestDatabase } from '../support/test-database';

/**
 * The batch lookups must probe an index once per key even when the table's statistics are older
 * than its rows (autovacuum off, or behind during a long import). `key = ANY($1)` did not: with
 * statistics taken while sync_history was empty, PostgreSQL filtered the whole index range with
 * the array, so every batch of a large import read every row written before it.
 * Statistics are taken on empty tables, then 300k rows land; each lookup's real SQL is EXPLAINed.
 */
const ROWS = 300_000;
const KEYS = 5_000;

let pool: pg.Pool;
let dbName: string;

beforeAll(async () => {
  dbName = `ferry_plans_${randomBytes(4).toString('hex')}`;
  pool = new pg.Pool({ connectionString: await createTestDatabase(dbName), max: 2 });
  await pool.query('ANALYZE customers, customer_phones, customer_relations, sync_history');
  await pool.query(
    `INSERT INTO customers (id, first_name, last_name) SELECT g, 'F', 'L' FROM generate_series(1, ${ROWS}) g`,
  );
  await pool.query(
    `INSERT INTO customer_phones (customer_id, phone) SELECT g, '+6680' || lpad(g::text, 7, '0') FROM generate_series(1, ${ROWS}) g`,
  );
  await pool.query(
    `INSERT INTO customer_relations (customer_id, source, original_id) SELECT g, 'nana', 'N' || g FROM generate_series(1, ${ROWS}) g`,
  );
  await pool.query(
    `INSERT INTO sync_history (source, original_key, customer_id, hash) SELECT 'nana', 'N' || g, g, 'h' FROM generate_series(1, ${ROWS}) g`,
  );
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await dropTestDatabase(dbName);
});

/** The SQL and parameters a query function sends, captured without running it. */
async function capture(run: (db: Queryable) => Promise<unknown>): Promise<{ text: string; values: unknown[] }> {
  let sent: { text: string; values: unknown[] } | null = null;
  const recorder = { query: async (text: string, values: unknown[]) => ((sent = { text, values }), { rows: [] }) };
  await run(recorder as unknown as Queryable);
  return sent!;
}

interface PlanNode {
  'Index Cond'?: string;
  Filter?: string;
  'Recheck Cond'?: string;
  Plans?: PlanNode[];
}

async function planOf(q: { text: string; values: unknown[] }): Promise<PlanNode[]> {
  const { rows } = await pool.query(`EXPLAIN (FORMAT JSON) ${q.text}`, q.values);
  const nodes: PlanNode[] = [];
  const walk = (n: PlanNode) => (nodes.push(n), n.Plans?.forEach(walk));
  walk(rows[0]['QUERY PLAN'][0].Plan);
  return nodes;
}

const sample = (prefix: string, pad: boolean) =>
  Array.from({ length: KEYS }, (_, i) =>
    i % 2 ? `${prefix}${pad ? String(i * 7).padStart(7, '0') : i * 7}` : `${prefix}missing${i}`,
  );

describe('batch lookups with statistics older than the table', () => {
  const cases: [string, (db: Queryable) => Promise<unknown>, string][] = [
    ['sync history', (db) => findSyncHistory(db, 'nana', sample('N', false), 1), 'original_key'],
    ['phone owners', (db) => phoneOwnerIds(db, sample('+6680', true)), 'phone'],
    ['active relations', (db) => activeRelations(db, 'nana', sample('N', false)), 'original_id'],
    [
      'active relations with their import',
      (db) => activeRelationDetails(db, 'nana', sample('N', false)),
      'original_id',
    ],
    ['phone owners with names', (db) => phoneOwners(db, sample('+6680', true)), 'phone'],
  ];

  it.each(cases)(
    '%s: one index probe per key, never the array as a filter over the table',
    async (_name, run, column) => {
      const nodes = await planOf(await capture(run));
      const probes = nodes.filter((n) => n['Index Cond']?.includes(column));
      expect(probes.length).toBeGreaterThan(0);
      // A probe per key compares the column with one value; the bad plan compares it with the array.
      for (const p of probes) expect(p['Index Cond']).not.toMatch(/ANY/);
      for (const n of nodes)
        expect(`${n.Filter ?? ''}${n['Recheck Cond'] ?? ''}`).not.toMatch(new RegExp(`${column}.*ANY`));
    },
  );
});

describe('the sync history lookup', () => {
  it('reads the imports in progress once per lookup, not once per key, and flags the keys they wrote', async () => {
    // Many finished imports, one running, one the lookup's own; history rows written by each kind, and by none.
    const { rows: made } = await pool.query<{ id: number; status: string }>(
      `INSERT INTO imports (source, status, phase, file_name, file_sha256, file_bytes, encoding, header, options, created_by)
       SELECT 'nana', CASE WHEN g <= 200 THEN 'completed' ELSE 'running' END, 'importing', 'f.csv', 'x', 1, 'utf-8', '[]', '{}', 'test'
       FROM generate_series(1, 202) g RETURNING id::int, status`,
    );
    const [finished, running, own] = [made[0].id, made[200].id, made[201].id];
    await pool.query(
      `UPDATE sync_history SET import_id = CASE customer_id % 4 WHEN 1 THEN $1::bigint WHEN 2 THEN $2::bigint WHEN 3 THEN $3::bigint END WHERE customer_id <= 4000`,
      [finished, running, own],
    );
    const keys = Array.from({ length: 4000 }, (_, i) => `N${i + 1}`);
    const q = await capture((db) => findSyncHistory(db, 'nana', keys, own));
    const { rows } = await pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${q.text}`, q.values);
    const scans: { 'Relation Name'?: string; 'Actual Loops': number }[] = [];
    const walk = (n: { 'Relation Name'?: string; 'Actual Loops': number; Plans?: unknown[] }) => (
      scans.push(n),
      (n.Plans as (typeof n)[] | undefined)?.forEach(walk)
    );
    walk(rows[0]['QUERY PLAN'][0].Plan);
    const importScans = scans.filter((n) => n['Relation Name'] === 'imports');
    expect(importScans.length).toBeGreaterThan(0);
    for (const n of importScans) expect(n['Actual Loops']).toBeLessThanOrEqual(1);

    const found = await findSyncHistory(pool, 'nana', keys, own);
    expect(found.size).toBe(4000);
    const openOf = (customerId: number) => found.get(`N${customerId}`)!.open;
    expect([openOf(5), openOf(6), openOf(7), openOf(8)]).toEqual([false, true, true, false]); // finished, running, own, none
  });
});
