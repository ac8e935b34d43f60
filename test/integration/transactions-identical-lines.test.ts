import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, outcomeCounts, post } from '../support/http';
import { csv, q } from '../support/sources';
import { startStack, type Stack } from '../support/stack';

const USERS = ['name', 'email', 'mobile', 'old_member_id'];
const POINTS = ['member_id', 'points', 'type', 'date', 'description'];
const PURCHASES = ['member_id', 'transaction_date', 'amount', 'store', 'items'];

const REWARD = { member_id: 'M100', points: '10', type: 'Credit', date: '2024-01-05', description: 'Purchase reward' };
const REDEEM = { member_id: 'M100', points: '3', type: 'Debit', date: '2024-01-06', description: 'Redeem' };

let stack: Stack;

beforeAll(async () => {
  // Batches of two records after a test batch of one: identical lines fall into different batches.
  stack = await startStack({ workflowDefaults: { testBatchSize: 1, batchSize: 2 } });
  const members = await importFile(stack, csv(USERS, [
    { name: 'Member Hundred', email: 'm100@example.com', mobile: '0891000100', old_member_id: 'M100' },
    { name: 'Member Two', email: 'm200@example.com', mobile: '0891000200', old_member_id: 'M200' },
  ]), { source: 'loyalty-users' });
  expect(outcomeCounts(members)).toMatchObject({ created: 2 });
});
afterAll(async () => stack?.close());

const points = (rows: Record<string, string>[]) => importFile(stack, csv(POINTS, rows), { source: 'loyalty-points' });
const balanceOf = async (memberId: string) => (await q(stack, `SELECT coalesce(sum(delta), 0)::text AS b FROM points_transactions WHERE member_id = $1`, [memberId]))[0].b;

/** Waits on the rollback workflow itself (polling the api would race its stranded-workflow reconciler). */
async function rollBack(id: number) {
  expect((await post(stack, `/api/imports/${id}/rollback`)).status).toBeLessThan(300);
  await stack.client.workflow.getHandle(`rollback-${id}`).result();
  const [row] = await q(stack, `SELECT status FROM imports WHERE id = $1`, [id]);
  expect(row.status).toBe('rolled_back');
}

describe('identical lines of one export', () => {
  it('are each a transaction; importing the export again changes nothing; one more identical line adds one', async () => {
    const first = await points([REWARD, REWARD, REDEEM]);
    expect(first.status).toBe('completed');
    expect(first.verification.ok).toBe(true);
    expect(outcomeCounts(first)).toEqual({ created: 3, linked: 0, updated: 0, skipped: 0, rejected: 0 });
    expect(await balanceOf('M100')).toBe('17.00');

    const again = await points([REWARD, REWARD, REDEEM]);
    expect(outcomeCounts(again)).toEqual({ created: 0, linked: 0, updated: 0, skipped: 3, rejected: 0 });
    expect(await balanceOf('M100')).toBe('17.00');
    // Each skipped line names the earlier import and row holding its transaction.
    const matched = await q(stack, `SELECT row_number, matched_import_id::int AS import, matched_row_number AS row FROM import_outcomes WHERE import_id = $1 ORDER BY row_number`, [again.id]);
    expect(matched).toEqual([1, 2, 3].map((n) => ({ row_number: n, import: first.id, row: n })));

    const superset = await points([REDEEM, REWARD, REWARD, REWARD]);
    expect(outcomeCounts(superset)).toMatchObject({ created: 1, skipped: 3 });
    expect(superset.verification.ok).toBe(true);
    expect(await balanceOf('M100')).toBe('27.00');
    const [added] = await q(stack, `SELECT row_number, occurrence FROM import_outcomes WHERE import_id = $1 AND outcome = 'created'`, [superset.id]);
    expect(added).toEqual({ row_number: 4, occurrence: 3 });

    // Rollback removes exactly that one transaction, and the same export imported again adds it back.
    await rollBack(superset.id);
    expect(await balanceOf('M100')).toBe('17.00');
    const redo = await points([REWARD, REWARD, REWARD, REDEEM]);
    expect(outcomeCounts(redo)).toMatchObject({ created: 1, skipped: 3 });
    expect(await balanceOf('M100')).toBe('27.00');

    // A shorter export deletes nothing.
    const shorter = await points([REWARD]);
    expect(outcomeCounts(shorter)).toMatchObject({ created: 0, skipped: 1 });
    expect(await balanceOf('M100')).toBe('27.00');
  });

  it('two identical purchases are two purchases', async () => {
    const line = { member_id: 'M200', transaction_date: '2024-02-01', amount: '100.00', store: 'Siam', items: 'Shoes x1' };
    const done = await importFile(stack, csv(PURCHASES, [line, line]), { source: 'loyalty-purchases' });
    expect(done.status).toBe('completed');
    expect(outcomeCounts(done)).toMatchObject({ created: 2, skipped: 0 });
    const rows = await q(stack, `SELECT amount::text FROM purchases WHERE member_id = 'M200' ORDER BY id`);
    expect(rows).toEqual([{ amount: '100.00' }, { amount: '100.00' }]);
    const [total] = await q(stack, `SELECT sum(amount)::text AS t FROM purchases WHERE member_id = 'M200'`);
    expect(total.t).toBe('200.00');
    expect(outcomeCounts(await importFile(stack, csv(PURCHASES, [line, line]), { source: 'loyalty-purchases' }))).toMatchObject({ created: 0, skipped: 2 });
  });
});
