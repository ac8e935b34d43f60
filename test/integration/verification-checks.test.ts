import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/clock';
import { verifyImport } from '../../src/imports/verify-import';
import { freshNanaFile, importFile } from '../support/http';
import { startStack, TEST_NATIONAL_ID_KEY, type Stack } from '../support/stack';

// Verification after the fact, on an import whose rows someone changed: each check must see it.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

const verify = (importId: number) => verifyImport({ pool: stack.pool, clock: systemClock, nationalIdKey: TEST_NATIONAL_ID_KEY }, importId);
const linkCheck = async (importId: number) => (await verify(importId)).checks.find((c) => c.name === 'every legacy id links to its customer');

describe('the legacy-id check of verification', () => {
  it('counts a Nana id whose relation is gone and one that points at another customer, in either half of the file', async () => {
    const done = await importFile(stack, freshNanaFile(8));
    expect(done.status).toBe('completed');
    expect(await linkCheck(done.id)).toMatchObject({ ok: true, actual: 0 });

    const customerOf = async (row: number) => (await stack.pool.query(`SELECT customer_id FROM import_outcomes WHERE import_id = $1 AND row_number = $2`, [done.id, row])).rows[0].customer_id;
    // Row 2's relation deleted (first half), row 7's moved to row 1's customer (second half).
    await stack.pool.query(`DELETE FROM customer_relations WHERE import_id = $1 AND row_number = 2`, [done.id]);
    expect(await linkCheck(done.id)).toMatchObject({ ok: false, actual: 1 });
    await stack.pool.query(`UPDATE customer_relations SET customer_id = $2 WHERE import_id = $1 AND row_number = 7`, [done.id, await customerOf(1)]);
    expect(await linkCheck(done.id)).toMatchObject({ ok: false, actual: 2 });
  });
});
