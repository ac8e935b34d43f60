import { afterAll, beforeAll, expect, it } from 'vitest';
import { importFile, outcomeCounts, post } from '../support/http';
import { csv, customersByName, q } from '../support/sources';
import { startStack, type Stack } from '../support/stack';

const USERS = ['name', 'email', 'mobile', 'city', 'old_member_id'];
let stack: Stack;

/** Waits on the rollback workflow itself (polling the api would race its stranded-workflow reconciler). */
async function rolledBack(id: number) {
  await stack.client.workflow.getHandle(`rollback-${id}`).result();
  const [row] = await q(stack, `SELECT status FROM imports WHERE id = $1`, [id]);
  expect(row.status).toBe('rolled_back');
}
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

const member = (i: number, city = 'Bangkok') => ({
  name: `Member${i} Gap`,
  email: `m${i}@example.com`,
  mobile: `08${String(10000000 + i)}`,
  city,
  old_member_id: `G-${i}`,
});

it('a gap re-import with 5% changed and 5% new records applies exactly those, and its rollback restores the previous values', async () => {
  const first = await importFile(
    stack,
    csv(
      USERS,
      Array.from({ length: 100 }, (_, i) => member(i)),
    ),
    { source: 'loyalty-users' },
  );
  expect(outcomeCounts(first)).toMatchObject({ created: 100, rejected: 0 });
  const before = await customersByName(stack);
  const changed = new Set([3, 17, 42, 66, 99]);
  const later = Array.from({ length: 100 }, (_, i) =>
    changed.has(i) ? { ...member(i, 'Phuket'), name: `Member${i} Moved` } : member(i),
  );
  for (let i = 100; i < 105; i++) later.push(member(i));
  const gap = await importFile(stack, csv(USERS, later), {
    source: 'loyalty-users',
    fields: { testBatchSize: '7', batchSize: '30' },
  });
  expect(gap.status).toBe('completed');
  expect(outcomeCounts(gap)).toEqual({ created: 5, linked: 0, updated: 5, skipped: 95, rejected: 0 });
  const moved = await q(stack, `SELECT c.first_name FROM customers c WHERE c.last_name = 'Moved' ORDER BY c.id`);
  expect(moved.map((m) => m.first_name)).toEqual([...changed].map((i) => `Member${i}`));
  const touched = await q(stack, `SELECT count(*)::int AS n FROM sync_history WHERE import_id = $1`, [gap.id]);
  expect(touched[0].n).toBe(10);

  await post(stack, `/api/imports/${gap.id}/rollback`);
  await rolledBack(gap.id);
  expect(await customersByName(stack)).toEqual(before);
  const history = await q(
    stack,
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE import_id = $1)::int AS mine FROM sync_history`,
    [first.id],
  );
  expect(history[0]).toEqual({ n: 100, mine: 100 });
  const again = await importFile(stack, csv(USERS, later), { source: 'loyalty-users' });
  expect(outcomeCounts(again)).toMatchObject({ created: 5, updated: 5, skipped: 95 });
});
