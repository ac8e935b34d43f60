import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balances, getJson, importFile, nanaCsv, post, upload, waitForImport } from '../support/http';
import { startStack, type Stack } from '../support/stack';

// Validation checks only the prefix that holds the test batch; each batch checks the rest of its rows
// and records the invalid ones as validation's rejections, in its own transaction.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

/** Records 5, 10, …, 30 are invalid, each for one reason of its own; the others are new customers. */
const INVALID = [
  { row: 5, field: 'phone', code: 'INVALID_PHONE' },
  { row: 10, field: 'gender', code: 'INVALID_GENDER' },
  { row: 15, field: 'date_of_birth', code: 'INVALID_DATE' },
  { row: 20, field: 'email', code: 'INVALID_EMAIL' },
  { row: 25, field: 'firstname', code: 'REQUIRED' },
  { row: 30, field: 'force_create', code: 'INVALID_FORCE_CREATE' },
];
const BREAK: Record<string, Record<string, string>> = {
  phone: { phone: '12345' },
  gender: { gender: 'X' },
  date_of_birth: { date_of_birth: '1990-13-01' },
  email: { email: 'not-an-email' },
  firstname: { firstname: '' },
  force_create: { force_create: 'maybe' },
};
let files = 0;
function mixedFile(): string {
  files += 1;
  return nanaCsv(
    Array.from({ length: 30 }, (_, i) => {
      const record = {
        nana_cus_id: `VB${files}-${i}`,
        firstname: `Valid${i}`,
        lastname: `Batch${files}`,
        phone: `088${String(files * 1000 + i).padStart(7, '0')}`,
      };
      const invalid = INVALID.find((x) => x.row === i + 1);
      return invalid ? { ...record, ...BREAK[invalid.field] } : record;
    }),
  );
}

async function errorReport(id: number) {
  const { body } = await getJson(stack, `/api/imports/${id}/errors?pageSize=100`);
  return body.items.map((e: any) => ({ row: e.rowNumber, field: e.errors[0].field, code: e.errors[0].code }));
}

/** Per rejected row: its phase, and whether it committed in the transaction of the batch that covers it. */
async function rejectionsByWriter(id: number) {
  const { rows } = await stack.pool.query(
    `SELECT e.row_number AS row, e.phase, (b.xmin::text = e.xmin::text) AS "inBatch"
       FROM import_errors e LEFT JOIN import_batches b ON b.import_id = e.import_id AND e.row_number BETWEEN b.first_row AND b.last_row
      WHERE e.import_id = $1 ORDER BY e.row_number`,
    [id],
  );
  return rows;
}

describe('validation of the records past the test batch', () => {
  it('happens in the batch that imports them: each invalid record is rejected once, with its reasons, as validation', async () => {
    const done = await importFile(stack, mixedFile(), { fields: { testBatchSize: '2', batchSize: '4' } });
    expect(done.status).toBe('completed');
    expect(done.counts).toMatchObject({ total: 30, valid: 24, created: 24, rejected: 6 });
    expect(balances(done)).toBe(true);
    expect(done.verification.ok).toBe(true);
    expect(await errorReport(done.id)).toEqual(INVALID);
    // The test batch is rows 1-2; every invalid record lies past it and was written by its batch.
    expect(await rejectionsByWriter(done.id)).toEqual(
      INVALID.map(({ row }) => ({ row, phase: 'validate', inBatch: true })),
    );
  }, 60_000);

  it('happens before anything is written when the import waits for approval, so the approver sees the whole report', async () => {
    const res = await upload(stack, mixedFile(), {
      fields: { testBatchSize: '2', batchSize: '4', requireApproval: 'true' },
    });
    expect(res.status).toBe(202);
    const waiting = await waitForImport(stack, res.body.id, ['awaiting_approval'], 30_000);
    expect(waiting.counts.valid).toBe(24);
    expect(await errorReport(waiting.id)).toEqual(INVALID);
    expect((await rejectionsByWriter(waiting.id)).every((r: any) => r.phase === 'validate' && !r.inBatch)).toBe(true);
    expect((await post(stack, `/api/imports/${waiting.id}/cancel`)).status).toBe(202);
    expect((await waitForImport(stack, waiting.id)).status).toBe('rolled_back');
  }, 60_000);

  it('still covers the whole file when an operator cancels mid-import: the report lists the records no batch reached', async () => {
    // Slow every batch down so the cancel lands with most of the file unread.
    await stack.pool.query(
      `CREATE FUNCTION slow_batch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$`,
    );
    await stack.pool.query(
      `CREATE TRIGGER slow_batch AFTER INSERT ON import_batches FOR EACH STATEMENT EXECUTE FUNCTION slow_batch()`,
    );
    try {
      const res = await upload(stack, mixedFile(), { fields: { testBatchSize: '2', batchSize: '4' } });
      expect(res.status).toBe(202);
      for (let i = 0; i < 100; i++) {
        const { rows } = await stack.pool.query(`SELECT count(*)::int AS n FROM import_batches WHERE import_id = $1`, [
          res.body.id,
        ]);
        if (rows[0].n >= 2) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await post(stack, `/api/imports/${res.body.id}/cancel`)).status).toBe(202);
      const done = await waitForImport(stack, res.body.id);
      expect(done.status).toBe('rolled_back');
      expect(done.counts.valid).toBe(24);
      expect(await errorReport(done.id)).toEqual(INVALID);
      const { rows } = await stack.pool.query(`SELECT count(*)::int AS n FROM customers WHERE import_id = $1`, [
        done.id,
      ]);
      expect(rows[0].n).toBe(0);
    } finally {
      await stack.pool.query(`DROP TRIGGER slow_batch ON import_batches; DROP FUNCTION slow_batch()`);
    }
  }, 60_000);
});
