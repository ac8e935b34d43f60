import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/clock';
import { verifyImport } from '../../src/imports/verify-import';
import { crmSnapshot } from '../support/db-state';
import { freshNanaFile, importFile, nanaCsv } from '../support/http';
import { startStack, TEST_NATIONAL_ID_KEY, type Stack } from '../support/stack';

// Verification after the fact, on an import whose rows someone changed: each check must see it.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const verify = (importId: number) =>
  verifyImport({ pool: stack.pool, clock: systemClock, nationalIdKey: TEST_NATIONAL_ID_KEY }, importId);
const check = async (importId: number, name: string) => (await verify(importId)).checks.find((c) => c.name === name);
const linkCheck = (importId: number) => check(importId, 'every legacy id links to its customer');

describe('the legacy-id check of verification', () => {
  it('counts a Nana id whose relation is gone and one that points at another customer, in either half of the file', async () => {
    const done = await importFile(stack, freshNanaFile(8));
    expect(done.status).toBe('completed');
    expect(await linkCheck(done.id)).toMatchObject({ ok: true, actual: 0 });

    const customerOf = async (row: number) =>
      (
        await stack.pool.query(`SELECT customer_id FROM import_outcomes WHERE import_id = $1 AND row_number = $2`, [
          done.id,
          row,
        ])
      ).rows[0].customer_id;
    // Row 2's relation deleted (first half), row 7's moved to row 1's customer (second half).
    await stack.pool.query(`DELETE FROM customer_relations WHERE import_id = $1 AND row_number = 2`, [done.id]);
    expect(await linkCheck(done.id)).toMatchObject({ ok: false, actual: 1 });
    await stack.pool.query(`UPDATE customer_relations SET customer_id = $2 WHERE import_id = $1 AND row_number = 7`, [
      done.id,
      await customerOf(1),
    ]);
    expect(await linkCheck(done.id)).toMatchObject({ ok: false, actual: 2 });
  });
});

describe('the other checks of verification', () => {
  it("see a lost outcome, a created customer no longer marked as the import's, and a sampled record changed after its write", async () => {
    const done = await importFile(stack, freshNanaFile(6));
    expect(done.status).toBe('completed');
    expect((await verify(done.id)).ok).toBe(true);

    await stack.pool.query(
      `UPDATE customers SET first_name = 'Changed' WHERE id = (SELECT customer_id FROM import_outcomes WHERE import_id = $1 AND row_number = 3)`,
      [done.id],
    );
    // Six records, a sample of up to 100: every record is read back.
    expect(await check(done.id, 'sampled records match the source')).toMatchObject({ ok: false, actual: 1 });

    await stack.pool.query(
      `UPDATE customers SET import_id = NULL WHERE id = (SELECT customer_id FROM import_outcomes WHERE import_id = $1 AND row_number = 4)`,
      [done.id],
    );
    expect(await check(done.id, 'customers created match created outcomes')).toMatchObject({
      ok: false,
      expected: 6,
      actual: 5,
    });

    await stack.pool.query(`DELETE FROM import_outcomes WHERE import_id = $1 AND row_number = 6`, [done.id]);
    const report = await verify(done.id);
    expect(report.checks.find((c) => c.name === 'every record has one outcome')).toMatchObject({
      ok: false,
      actual: 1,
    });
    expect(report.checks.find((c) => c.name === 'outcomes add up to the records in the file')).toMatchObject({
      ok: false,
      expected: 6,
      actual: 5,
    });
  });

  it('a failed verification in the workflow rolls the whole import back', async () => {
    const before = await crmSnapshot(stack.pool);
    // A CRM trigger that silently rewrites one record after the test batch: only verification can see it.
    await stack.pool.query(
      `CREATE FUNCTION rename_altered() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.first_name := 'Someone'; RETURN NEW; END $$`,
    );
    await stack.pool.query(
      `CREATE TRIGGER rename_altered BEFORE INSERT ON customers FOR EACH ROW WHEN (NEW.last_name = 'Altered') EXECUTE FUNCTION rename_altered()`,
    );
    try {
      const rows = Array.from({ length: 6 }, (_, i) => ({
        nana_cus_id: `VF-${i}`,
        firstname: `Row${i}`,
        lastname: i === 4 ? 'Altered' : 'Fine',
        phone: `08200000${10 + i}`,
        email: `v${i}@example.com`,
      }));
      const done = await importFile(stack, nanaCsv(rows), { fields: { testBatchSize: '2', batchSize: '2' } });
      expect(done.status).toBe('rolled_back');
      expect(done.failure).toMatchObject({
        code: 'VERIFICATION_FAILED',
        message: expect.stringContaining('sampled records match the source'),
      });
      expect(done.verification).toMatchObject({ ok: false, mismatches: [{ rowNumber: 5, field: 'firstname' }] });
      expect(await crmSnapshot(stack.pool)).toEqual(before);
    } finally {
      await stack.pool.query(`DROP TRIGGER rename_altered ON customers; DROP FUNCTION rename_altered()`);
    }
  });
});
