import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/clock';
import { checkCommittedRange } from '../../src/imports/check-committed-range';
import { verifyImport } from '../../src/imports/verify-import';
import { importState } from '../support/db-state';
import { nanaFile } from '../support/generate-nana';
import { balances, importFile, post, waitForImport } from '../support/http';
import { csv, q } from '../support/sources';
import { startStack, TEST_NATIONAL_ID_KEY, type Stack } from '../support/stack';

// Committed rows are checked range by range while later batches write; verification at the end
// reads only the rows no clean range holds.
const file = nanaFile({ records: 600, seed: 23 });
const fields = { batchSize: '40', testBatchSize: '20' };

let ranged: Stack;
let plain: Stack;
beforeAll(async () => {
  [ranged, plain] = await Promise.all([
    startStack({ workflowDefaults: { rangeCheckRows: 100, maxBatchesPerRun: 3 } }),
    startStack(),
  ]);
});
afterAll(async () => Promise.all([ranged?.close(), plain?.close()]));

const deps = () => ({ pool: ranged.pool, clock: systemClock, nationalIdKey: TEST_NATIONAL_ID_KEY });
const rangesOf = (stack: Stack, id: number) =>
  q<{ first_row: number; last_row: number; found: Record<string, number> }>(
    stack,
    `SELECT first_row, last_row, found FROM import_range_checks WHERE import_id = $1 ORDER BY first_row`,
    [id],
  );

describe('range checks while the batches write', () => {
  let importId: number;

  it('check every committed range once, in order, across runs, and end as an import without them', async () => {
    const [a, b] = await Promise.all([importFile(ranged, file, { fields }), importFile(plain, file, { fields })]);
    expect(a.status).toBe('completed');
    expect(balances(a)).toBe(true);
    expect(a.counts).toEqual(b.counts);
    importId = a.id;

    const ranges = await rangesOf(ranged, a.id);
    // 600 records in batches of 40 after the test batch, a check per 100 rows or more.
    expect(ranges.length).toBeGreaterThanOrEqual(4);
    expect(ranges[0].first_row).toBe(1);
    ranges.slice(1).forEach((r, i) => expect(r.first_row, 'contiguous, no row twice').toBe(ranges[i].last_row + 1));
    for (const r of ranges) {
      expect(r.last_row - r.first_row + 1).toBeGreaterThanOrEqual(100);
      expect(r.found).toEqual({ withoutOutcome: 0, withoutRow: 0, missingLinks: 0, differingMembers: 0 });
    }
    const lastChecked = ranges.at(-1)!.last_row;
    expect(lastChecked).toBeLessThanOrEqual(a.counts.total);
    expect(a.verification).toMatchObject({ ok: true, rowsCheckedWhileImporting: lastChecked });
    expect(b.verification.rowsCheckedWhileImporting).toBe(0);
    expect(await rangesOf(plain, b.id)).toEqual([]);

    const [sa, sb] = await Promise.all([importState(ranged.pool, a.id), importState(plain.pool, b.id)]);
    expect(sa.records).toEqual(sb.records);
  });

  it('leave to the end only the rows of no clean range', async () => {
    const ranges = await rangesOf(ranged, importId);
    const [first] = ranges;
    const linkCheck = async () =>
      (await verifyImport(deps(), importId)).checks.find((c) => c.name === 'every legacy id links to its customer');
    const dropRelationOf = (row: number) =>
      ranged.pool.query(`DELETE FROM customer_relations WHERE import_id = $1 AND row_number = $2`, [importId, row]);
    const [{ row }] = await q<{ row: number }>(
      ranged,
      `SELECT min(row_number) AS row FROM customer_relations WHERE import_id = $1 AND row_number BETWEEN $2 AND $3`,
      [importId, first.first_row, first.last_row],
    );
    await dropRelationOf(row);
    // Checked clean as it committed: the end does not read it again.
    expect(await linkCheck()).toMatchObject({ ok: true, actual: 0 });
    // The range check itself sees it, and records it: the end then reads that range again.
    const again = await checkCommittedRange(deps(), importId, { firstRow: first.first_row, lastRow: first.last_row });
    expect(again).toMatchObject({ clean: false, found: { missingLinks: 1 } });
    expect(await linkCheck()).toMatchObject({ ok: false, actual: 1 });
    const report = await verifyImport(deps(), importId);
    expect(report.rowsCheckedWhileImporting).toBe(ranges.at(-1)!.last_row - (first.last_row - first.first_row + 1));

    // A row after the last checked range is read at the end.
    const [{ tail }] = await q<{ tail: number }>(
      ranged,
      `SELECT max(row_number) AS tail FROM customer_relations WHERE import_id = $1`,
      [importId],
    );
    expect(tail).toBeGreaterThan(ranges.at(-1)!.last_row);
    await dropRelationOf(tail);
    expect(await linkCheck()).toMatchObject({ ok: false, actual: 2 });
  });

  it('are deleted with the batches when the import rolls back', async () => {
    const done = await importFile(ranged, nanaFile({ records: 300, seed: 29 }), { fields });
    expect(done.status).toBe('completed');
    expect((await rangesOf(ranged, done.id)).length).toBeGreaterThan(0);
    expect((await post(ranged, `/api/imports/${done.id}/rollback`)).status).toBe(202);
    await ranged.client.workflow.getHandle(`rollback-${done.id}`).result();
    expect((await waitForImport(ranged, done.id, ['rolled_back'])).status).toBe('rolled_back');
    expect(await rangesOf(ranged, done.id)).toEqual([]);
  });

  it("check a points file's member totals range by range", async () => {
    const members = Array.from({ length: 30 }, (_, i) => ({
      name: `Range Member${i}`,
      email: `range${i}@example.com`,
      mobile: `08955${String(10000 + i)}`,
      old_member_id: `RC-${i}`,
    }));
    const users = await importFile(
      ranged,
      csv(
        ['name', 'email', 'mobile', 'nric', 'dob', 'gender', 'address', 'city', 'postcode', 'old_member_id'],
        members,
      ),
      { source: 'loyalty-users' },
    );
    expect(users.status).toBe('completed');
    const lines = Array.from({ length: 400 }, (_, i) => ({
      member_id: `RC-${i % 30}`,
      points: String(10 + (i % 7)),
      type: 'Credit',
      date: `2024-0${1 + (i % 9)}-1${i % 10}`,
      description: `line ${i}`,
    }));
    const points = await importFile(ranged, csv(['member_id', 'points', 'type', 'date', 'description'], lines), {
      source: 'loyalty-points',
      fields,
    });
    expect(points.status).toBe('completed');
    expect(points.verification.ok).toBe(true);
    const ranges = await rangesOf(ranged, points.id);
    expect(ranges.length).toBeGreaterThanOrEqual(2);
    for (const r of ranges) expect(r.found.differingMembers).toBe(0);

    // One line of the first range changed in the table: its member's total no longer matches the file.
    await ranged.pool.query(
      `UPDATE points_transactions SET delta = delta + 1 WHERE import_id = $1 AND row_number = (
         SELECT min(row_number) FROM points_transactions WHERE import_id = $1)`,
      [points.id],
    );
    const again = await checkCommittedRange(deps(), points.id, {
      firstRow: ranges[0].first_row,
      lastRow: ranges[0].last_row,
    });
    expect(again).toMatchObject({ clean: false, found: { differingMembers: 1 } });
  });
});
