import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/clock';
import { verifyImport } from '../../src/imports/verify-import';
import { getJson, importFile, outcomeCounts, post } from '../support/http';
import { csv, q } from '../support/sources';
import { startStack, TEST_NATIONAL_ID_KEY, type Stack } from '../support/stack';

const USERS = ['name', 'email', 'mobile', 'old_member_id'];
const POINTS = ['member_id', 'points', 'type', 'date', 'description'];
const PURCHASES = ['member_id', 'transaction_date', 'amount', 'store', 'items'];

const REWARD = { member_id: 'M100', points: '10', type: 'Credit', date: '2024-01-05', description: 'Purchase reward' };
const REDEEM = { member_id: 'M100', points: '3', type: 'Debit', date: '2024-01-06', description: 'Redeem' };

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
  const members = await importFile(
    stack,
    csv(USERS, [
      { name: 'Member Hundred', email: 'm100@example.com', mobile: '0891000100', old_member_id: 'M100' },
      { name: 'Member Two', email: 'm200@example.com', mobile: '0891000200', old_member_id: 'M200' },
    ]),
    { source: 'loyalty-users' },
  );
  expect(outcomeCounts(members)).toMatchObject({ created: 2 });
});
afterAll(async () => stack?.close());

// Batches of two records after a test batch of one: identical lines fall into different batches.
const SMALL_BATCHES = { testBatchSize: '1', batchSize: '2' };
const points = (rows: Record<string, string>[]) =>
  importFile(stack, csv(POINTS, rows), { source: 'loyalty-points', fields: SMALL_BATCHES });
const purchases = (rows: Record<string, string>[]) =>
  importFile(stack, csv(PURCHASES, rows), { source: 'loyalty-purchases', fields: SMALL_BATCHES });
const balanceOf = async (memberId: string) =>
  (
    await q(stack, `SELECT coalesce(sum(delta), 0)::text AS b FROM points_transactions WHERE member_id = $1`, [
      memberId,
    ])
  )[0].b;

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
    const matched = await q(
      stack,
      `SELECT row_number, matched_import_id::int AS import, matched_row_number AS row FROM import_outcomes WHERE import_id = $1 ORDER BY row_number`,
      [again.id],
    );
    expect(matched).toEqual([1, 2, 3].map((n) => ({ row_number: n, import: first.id, row: n })));
    // The records route says it by ids alone.
    const records = await getJson(stack, `/api/imports/${again.id}/records?outcome=skipped`);
    expect(records.body.items.map((r: any) => [r.rowNumber, r.reasons])).toEqual(
      [1, 2, 3].map((n) => [
        n,
        [
          {
            field: 'record',
            code: 'SAME_TRANSACTION',
            message: `the same transaction as row ${n} of import ${first.id}`,
          },
        ],
      ]),
    );
    expect(
      (await getJson(stack, `/api/imports/${first.id}/records`)).body.items.every((r: any) => r.reasons.length === 0),
    ).toBe(true);

    const superset = await points([REDEEM, REWARD, REWARD, REWARD]);
    expect(outcomeCounts(superset)).toMatchObject({ created: 1, skipped: 3 });
    expect(superset.verification.ok).toBe(true);
    expect(await balanceOf('M100')).toBe('27.00');
    const [added] = await q(
      stack,
      `SELECT row_number, occurrence FROM import_outcomes WHERE import_id = $1 AND outcome = 'created'`,
      [superset.id],
    );
    expect(added).toEqual({ row_number: 4, occurrence: 3 });

    // Rollback removes exactly that one transaction, and the same export imported again adds it back.
    await rollBack(superset.id);
    expect(await balanceOf('M100')).toBe('17.00');
    const redo = await points([REWARD, REWARD, REWARD, REDEEM]);
    expect(outcomeCounts(redo)).toMatchObject({ created: 1, skipped: 3 });
    expect(await balanceOf('M100')).toBe('27.00');

    // A shorter export deletes nothing, and says what it left in place.
    const shorter = await points([REWARD]);
    expect(outcomeCounts(shorter)).toMatchObject({ created: 0, skipped: 1 });
    expect(await balanceOf('M100')).toBe('27.00');
    expect(shorter.verification).toMatchObject({
      ok: true,
      transactionsNotInFile: 3,
      notes: ['3 transactions of earlier imports are not in this file'],
    });
    expect(redo.verification).toMatchObject({ transactionsNotInFile: 0, notes: [] });
  });

  it('two identical purchases are two purchases', async () => {
    const line = {
      member_id: 'M200',
      transaction_date: '2024-02-01',
      amount: '100.00',
      store: 'Siam',
      items: 'Shoes x1',
    };
    const done = await purchases([line, line]);
    expect(done.status).toBe('completed');
    expect(outcomeCounts(done)).toMatchObject({ created: 2, skipped: 0 });
    const rows = await q(stack, `SELECT amount::text FROM purchases WHERE member_id = 'M200' ORDER BY id`);
    expect(rows).toEqual([{ amount: '100.00' }, { amount: '100.00' }]);
    const [total] = await q(stack, `SELECT sum(amount)::text AS t FROM purchases WHERE member_id = 'M200'`);
    expect(total.t).toBe('200.00');
    expect(outcomeCounts(await purchases([line, line]))).toMatchObject({ created: 0, skipped: 2 });
  });
});

const verify = (importId: number) =>
  verifyImport({ pool: stack.pool, clock: systemClock, nationalIdKey: TEST_NATIONAL_ID_KEY }, importId);
const checkNamed = async (importId: number, start: string) =>
  (await verify(importId)).checks.find((c) => c.name.startsWith(start));

describe('verification of points and purchases', () => {
  it('sees two lines of one file merged into one transaction, and a member whose balance differs from the file', async () => {
    const line = { member_id: 'M200', points: '4', type: 'Credit', date: '2024-04-01', description: 'Verified twice' };
    const done = await points([line, line, { ...line, points: '1', type: 'Debit' }]);
    expect(done.verification.ok).toBe(true);
    const merged = 'each transaction of the file is synced once';
    expect(await checkNamed(done.id, merged)).toMatchObject({ ok: true, actual: 0 });

    // What identity by content alone did: the second line skipped as the first, its transaction never written.
    await q(stack, `DELETE FROM points_transactions WHERE import_id = $1 AND row_number = 2`, [done.id]);
    await q(
      stack,
      `UPDATE import_outcomes SET outcome = 'skipped', occurrence = 1 WHERE import_id = $1 AND row_number = 2`,
      [done.id],
    );
    expect(await checkNamed(done.id, merged)).toMatchObject({ ok: false, actual: 2 });

    await q(stack, `UPDATE points_transactions SET delta = 5 WHERE import_id = $1 AND row_number = 1`, [done.id]);
    expect(await checkNamed(done.id, "each member's points balance")).toMatchObject({
      ok: false,
      expected: 0,
      actual: 1,
    });
  });

  it('a purchase total that differs from the file fails the import in the workflow and rolls it back', async () => {
    // A CRM trigger that silently changes one amount as it is written.
    await q(
      stack,
      `CREATE FUNCTION double_amount() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.amount := NEW.amount * 2; RETURN NEW; END $$`,
    );
    await q(
      stack,
      `CREATE TRIGGER double_amount BEFORE INSERT ON purchases FOR EACH ROW WHEN (NEW.store = 'Tampered') EXECUTE FUNCTION double_amount()`,
    );
    try {
      const line = { member_id: 'M200', transaction_date: '2024-05-01', amount: '7.00', store: 'Plain', items: '' };
      const done = await purchases([line, line, { ...line, store: 'Tampered' }]);
      expect(done.status).toBe('rolled_back');
      expect(
        done.verification.checks.find((c: any) => c.name.startsWith("each member's purchase total")),
      ).toMatchObject({ ok: false, actual: 1 });
      expect(await q(stack, `SELECT count(*)::int AS n FROM purchases WHERE transaction_date = '2024-05-01'`)).toEqual([
        { n: 0 },
      ]);
    } finally {
      await q(stack, `DROP TRIGGER double_amount ON purchases`);
      await q(stack, `DROP FUNCTION double_amount()`);
    }
  });
});

/** Line kinds of the property's exports; two are for one member, so identical and different lines mix. */
const KINDS = [
  { member_id: 'M100', points: '10', type: 'Credit' },
  { member_id: 'M100', points: '3', type: 'Debit' },
  { member_id: 'M200', points: '10', type: 'Credit' },
];

/** A history (kinds in file order), the lengths of its successive exports, and how each export orders its lines. */
const histories = fc
  .array(fc.integer({ min: 0, max: KINDS.length - 1 }), { minLength: 1, maxLength: 6 })
  .chain((history) =>
    fc.tuple(
      fc.constant(history),
      fc.uniqueArray(fc.integer({ min: 1, max: history.length }), { maxLength: 2 }),
      fc.array(fc.nat(), { minLength: history.length * 3, maxLength: history.length * 3 }),
    ),
  );

let run = 0;

describe('successive exports of a growing history', () => {
  it("always leave exactly the last export's multiset of transactions in the tables", async () => {
    await fc.assert(
      fc.asyncProperty(histories, async ([history, cuts, shuffle]) => {
        const description = `property run ${++run}`;
        const lengths = [...new Set([...cuts.sort((a, b) => a - b), history.length])];
        let before = 0;
        for (const [i, length] of lengths.entries()) {
          // Each export holds the history's first `length` lines, in an order of its own.
          const order = history
            .slice(0, length)
            .map((kind, j) => ({ kind, sortKey: shuffle[i * history.length + j] }))
            .sort((a, b) => a.sortKey - b.sortKey);
          const done = await points(order.map(({ kind }) => ({ ...KINDS[kind], date: '2024-06-01', description })));
          expect(done.status).toBe('completed');
          expect(done.verification.ok).toBe(true);
          expect(outcomeCounts(done)).toMatchObject({ created: length - before, skipped: before, rejected: 0 });
          before = length;
        }
        const stored = await q(
          stack,
          `SELECT member_id, type, points::int AS points, count(*)::int AS n FROM points_transactions WHERE description = $1 GROUP BY 1, 2, 3`,
          [description],
        );
        const expected = KINDS.map((k, kind) => ({
          member_id: k.member_id,
          type: k.type.toLowerCase(),
          points: Number(k.points),
          n: history.filter((h) => h === kind).length,
        })).filter((k) => k.n > 0);
        expect(stored.sort((a, b) => `${a.member_id}${a.type}`.localeCompare(`${b.member_id}${b.type}`))).toEqual(
          expected.sort((a, b) => `${a.member_id}${a.type}`.localeCompare(`${b.member_id}${b.type}`)),
        );
      }),
      // Each run is a few real imports: a handful of runs keeps the file well under a minute; no shrinking on the real stack.
      { numRuns: 8, endOnFailure: true },
    );
  }, 120_000);
});
