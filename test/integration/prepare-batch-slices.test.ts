import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPool } from '../../src/db/pool';
import { inTransaction } from '../../src/db/queryable';
import { insertRejections } from '../../src/db/queries/ledger';
import { systemClock, todayInBangkok } from '../../src/domain/clock';
import { findSource } from '../../src/sources';
import { prepareBatch, READ_SLICE } from '../../src/imports/prepare-batch';
import { stageQueuedNanaImport } from '../support/staged-import';
import { createTestDatabase, dropTestDatabase } from '../support/test-database';

// A batch's range is read READ_SLICE staged records at a time (the batch under the lock then gets its
// answers between the slices): every record of the range exactly once, in file order, across the
// slices' edges, and validation's rejections left out wherever they fall.
const name = `ferry_slices_${randomBytes(4).toString('hex')}`;
const RECORDS = 2 * READ_SLICE + 345;
const REJECTED_AT_VALIDATION = [READ_SLICE, READ_SLICE + 1, 2 * READ_SLICE];
const reads: string[] = [];
let pool: pg.Pool;
let importId: number;

beforeAll(async () => {
  pool = createPool(await createTestDatabase(name), 4, (label) => reads.push(label));
  const staged = await stageQueuedNanaImport(
    pool,
    Array.from({ length: RECORDS }, (_, i) => ({
      nana_cus_id: `SL-${i + 1}`,
      firstname: `First${i}`,
      lastname: 'Slices',
      phone: `0881${String(i).padStart(6, '0')}`,
    })),
  );
  importId = staged.id;
  const rejected = REJECTED_AT_VALIDATION.map((r) => ({
    rowNumber: r,
    lineNumber: r + 1,
    record: staged.rows[r - 1].record,
    errors: [{ field: 'phone', code: 'X', message: 'x' }],
  }));
  await inTransaction(pool, (client) => insertRejections(client, importId, 'validate', rejected));
});
afterAll(async () => {
  await pool?.end();
  await dropTestDatabase(name);
});

it('reads a range in slices and prepares each of its records once, in file order', async () => {
  reads.length = 0;
  const range = { firstRow: 2, lastRow: RECORDS };
  const prepared = await prepareBatch(
    pool,
    importId,
    findSource('nana')!,
    range,
    { today: todayInBangkok(systemClock), nationalIdKey: undefined },
    RECORDS,
  );

  const expected = Array.from({ length: RECORDS - 1 }, (_, i) => i + 2).filter(
    (r) => !REJECTED_AT_VALIDATION.includes(r),
  );
  expect(prepared.staged).toBe(RECORDS - 1);
  expect(prepared.valid.map((r) => r.rowNumber)).toEqual(expected);
  expect(prepared.valid.map((r) => r.record.nana_cus_id)).toEqual(expected.map((r) => `SL-${r}`));
  expect(prepared.invalid).toEqual([]);
  expect(
    reads.filter((l) => l === 'SELECT import_rows'),
    'one read per slice',
  ).toHaveLength(Math.ceil((RECORDS - 1) / READ_SLICE));
});
