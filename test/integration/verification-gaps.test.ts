import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerGaps } from '../../src/db/queries/verification';
import { createTestDatabase, dropTestDatabase } from '../support/test-database';

const name = `ferry_gaps_${process.pid}_${Date.now()}`;
let pool: pg.Pool;
beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase(name) });
});
afterAll(async () => {
  await pool?.end();
  await dropTestDatabase(name);
});

async function stage(importId: number, rows: number[], outcomes: number[]): Promise<void> {
  await pool.query(
    `INSERT INTO import_rows (import_id, row_number, line_number, record) SELECT $1, r, r + 1, '{}' FROM unnest($2::int[]) r`,
    [importId, rows],
  );
  await pool.query(
    `INSERT INTO import_outcomes (import_id, row_number, outcome, phase) SELECT $1, r, 'created', 'import' FROM unnest($2::int[]) r`,
    [importId, outcomes],
  );
}

describe('the ledger check of verification', () => {
  it('finds nothing when every staged record has its one outcome', async () => {
    await stage(1, [1, 2, 3, 4, 5], [1, 2, 3, 4, 5]);
    expect(await ledgerGaps(pool, 1)).toEqual({ withoutOutcome: 0, withoutRow: 0 });
  });

  it('counts records without an outcome and outcomes without a record, of this import only', async () => {
    await stage(2, [1, 2, 3, 4, 5, 6], [1, 3, 4, 7, 8]);
    await stage(3, [9], [2, 5, 6]);
    expect(await ledgerGaps(pool, 2)).toEqual({ withoutOutcome: 3, withoutRow: 2 });
    expect(await ledgerGaps(pool, 3)).toEqual({ withoutOutcome: 1, withoutRow: 3 });
    expect(await ledgerGaps(pool, 4)).toEqual({ withoutOutcome: 0, withoutRow: 0 });
  });
});
