import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPool } from '../../src/db/pool';
import { systemClock } from '../../src/domain/clock';
import { VALIDATION_CHUNK, validateImport } from '../../src/imports/validate-import';
import { stageQueuedNanaImport } from '../support/staged-import';
import { createTestDatabase, dropTestDatabase } from '../support/test-database';

// A whole-file validation writes a chunk's rejections while it checks the next one: every invalid
// record still ends in the report once, and a chunk is reported done (where a retry resumes) only
// after its rejections have committed.
const name = `ferry_validate_${randomBytes(4).toString('hex')}`;
const RECORDS = 2 * VALIDATION_CHUNK + 345;
const invalid = (row: number) => row % 997 === 0 || row === VALIDATION_CHUNK || row === VALIDATION_CHUNK + 1;
const INVALID_ROWS = Array.from({ length: RECORDS }, (_, i) => i + 1).filter(invalid);
let pool: pg.Pool;
let importId: number;

beforeAll(async () => {
  pool = createPool(await createTestDatabase(name), 4);
  const staged = await stageQueuedNanaImport(
    pool,
    Array.from({ length: RECORDS }, (_, i) => ({
      nana_cus_id: `VI-${i + 1}`,
      firstname: `First${i}`,
      lastname: 'Validate',
      phone: invalid(i + 1) ? '12' : `0882${String(i).padStart(6, '0')}`,
    })),
  );
  importId = staged.id;
});
afterAll(async () => {
  await pool?.end();
  await dropTestDatabase(name);
});

const rejectedBelow = async (row: number) =>
  (
    await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM import_errors WHERE import_id = $1 AND phase = 'validate' AND row_number < $2`,
      [importId, row],
    )
  ).rows[0].n;

it('records every invalid record once and reports a chunk done only once its rejections are committed', async () => {
  const reported: { nextRow: number; committed: Promise<number> }[] = [];
  const summary = await validateImport({ pool, clock: systemClock }, importId, { fromRow: 1 }, (nextRow) =>
    reported.push({ nextRow, committed: rejectedBelow(nextRow) }),
  );

  expect(summary).toEqual({
    total: RECORDS,
    valid: RECORDS - INVALID_ROWS.length,
    rejected: INVALID_ROWS.length,
    checkedThrough: RECORDS,
    stagingDone: true,
  });
  expect(reported.map((r) => r.nextRow)).toEqual([
    VALIDATION_CHUNK + 1,
    2 * VALIDATION_CHUNK + 1,
    3 * VALIDATION_CHUNK + 1,
  ]);
  for (const r of reported) expect(await r.committed).toBe(INVALID_ROWS.filter((row) => row < r.nextRow).length);
  const { rows } = await pool.query<{ row: number }>(
    `SELECT row_number::int AS row FROM import_errors WHERE import_id = $1 AND phase = 'validate' ORDER BY row_number`,
    [importId],
  );
  expect(rows.map((r) => r.row)).toEqual(INVALID_ROWS);
});
