import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, nanaCsv } from '../support/http';
import { mergeCustomersVia, plantCustomer } from '../support/merges';
import { csv, q } from '../support/sources';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let survivor: number;
let merged: number;
beforeAll(async () => {
  stack = await startStack();
  survivor = await plantCustomer(stack, 'Arunee', 'Meesri', '+66811230001', 'N-S');
  merged = await plantCustomer(stack, 'Arunee', 'Mesri', '+66811230002', 'N-M');
  await mergeCustomersVia(stack, survivor, [merged]);
}, 60_000);
afterAll(async () => stack?.close());

const outcomesOf = async (importId: number) =>
  q(
    stack,
    `SELECT outcome, customer_id::int AS c FROM import_outcomes WHERE import_id = $1 AND phase = 'import' ORDER BY row_number`,
    [importId],
  );

describe('imports after a merge land on the survivor', () => {
  it('links a Nana record whose careos_cus_id names the merged customer to the survivor', async () => {
    const done = await importFile(
      stack,
      nanaCsv([
        {
          careos_cus_id: String(merged),
          nana_cus_id: 'N-NEW',
          firstname: 'Arunee',
          lastname: 'Mesri',
          phone: '0811230002',
        },
      ]),
    );
    expect(done.status).toBe('completed');
    expect(await outcomesOf(done.id)).toEqual([{ outcome: 'linked', c: survivor }]);
    expect(
      await q(stack, `SELECT customer_id::int AS c FROM customer_relations WHERE original_id = 'N-NEW' AND active`),
    ).toEqual([{ c: survivor }]);
  });

  it('keeps the merged customer’s legacy ids on the survivor, so a record naming one lands there', async () => {
    expect(
      await q(stack, `SELECT original_id FROM customer_relations WHERE customer_id = $1 ORDER BY original_id`, [
        merged,
      ]),
    ).toEqual([]);
    const done = await importFile(
      stack,
      nanaCsv([{ nana_cus_id: 'N-M', firstname: 'Arunee', lastname: 'Mesri', phone: '0811230009' }]),
    );
    expect(await outcomesOf(done.id)).toEqual([{ outcome: 'skipped', c: survivor }]);
  });

  it('compares a Care Shop record with the survivor when another system wrote a phone on the merged customer', async () => {
    // A row written after the merge by a system that still knows the merged customer's id.
    await q(stack, `INSERT INTO customer_phones (customer_id, phone) VALUES ($1, '+66811230077')`, [merged]);
    const file = csv(
      ['careshop_id', 'firstname', 'lastname', 'mobile_phone', 'email'],
      [{ careshop_id: 'CS-A', firstname: 'Arunee', lastname: 'Meesri', mobile_phone: '0811230077' }],
    );
    const done = await importFile(stack, file, { source: 'careshop' });
    expect(await outcomesOf(done.id)).toEqual([{ outcome: 'skipped', c: survivor }]);
  });
});
