import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkStagedRow } from '../../src/sources/check-staged-row';
import { systemClock, todayInBangkok } from '../../src/domain/clock';
import { nanaSource, type NanaRecord } from '../../src/sources/nana/nana';
import { decideNanaRecords } from '../../src/sources/nana/nana-sync';
import { balances, importFile } from '../support/http';
import { nanaFile } from '../support/generate-nana';
import { startStack, type Stack } from '../support/stack';

// Many small batches, each prepared while the one before it writes, must decide every record as the
// rule does over the whole file at once: duplicates of the file fall across batch boundaries, so
// every batch depends on what the one before it wrote.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

const file = nanaFile({ records: 1_500, seed: 606, duplicatePhoneRate: 0.15 });

/** Each row's outcome when the rule runs over the whole file in memory, against an empty database. */
function expectedOutcomes(): Map<number, string> {
  const records = parse(file, { columns: true, relax_column_count: true }) as Record<string, string>[];
  const ctx = { today: todayInBangkok(systemClock), nationalIdKey: 'unused by nana' };
  const outcomes = new Map<number, string>();
  const inputs: { rowNumber: number; record: NanaRecord }[] = [];
  records.forEach((record, i) => {
    const checked = checkStagedRow(nanaSource, record, null, ctx);
    if (checked.ok) inputs.push({ rowNumber: i + 1, record: checked.value });
    else outcomes.set(i + 1, 'rejected');
  });
  const empty = {
    existingCustomers: new Map<number, number>(),
    ownedPhones: new Set<string>(),
    phoneOwners: new Map(),
    linkedIds: new Map(),
    history: new Map(),
  };
  for (const d of decideNanaRecords(inputs, empty).decisions) outcomes.set(d.rowNumber, d.outcome);
  return new Map([...outcomes].sort(([a], [b]) => a - b));
}

it('decides every record of a file imported in 30 batches as the rule does over the whole file', async () => {
  const done = await importFile(stack, file, { fields: { batchSize: '50', testBatchSize: '50' } });
  expect(done.status).toBe('completed');
  expect(balances(done)).toBe(true);
  const { rows } = await stack.pool.query<{ row: number; outcome: string }>(
    `SELECT row_number AS row, outcome FROM import_outcomes WHERE import_id = $1
     UNION ALL SELECT DISTINCT row_number, 'rejected' FROM import_errors WHERE import_id = $1 ORDER BY 1`,
    [done.id],
  );
  const expected = expectedOutcomes();
  expect([...expected.values()].filter((o) => o === 'rejected').length).toBeGreaterThan(30);
  expect(new Map(rows.map((r) => [r.row, r.outcome]))).toEqual(expected);
});
