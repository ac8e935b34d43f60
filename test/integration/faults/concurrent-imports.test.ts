import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importState } from '../../support/db-state';
import { nanaFile } from '../../support/generate-nana';
import { importFile, upload, waitForImport } from '../../support/http';
import { startStack, type Stack } from '../../support/stack';
import { expectInvariants, sharedPhones } from './support';

// F12 (double submit) and F14 (two concurrent imports with overlapping customers).
let stack: Stack;
let reference: Stack;
beforeAll(async () => {
  [stack, reference] = await Promise.all([startStack(), startStack()]);
});
afterAll(async () => Promise.all([stack?.close(), reference?.close()]));

async function outcomes(id: number): Promise<Map<number, { outcome: string; forced: boolean }>> {
  const { rows } = await stack.pool.query(
    `SELECT o.row_number, o.outcome, coalesce(upper(trim(r.record->>'force_create')) = 'Y', false) AS forced
       FROM import_outcomes o JOIN import_rows r USING (import_id, row_number) WHERE o.import_id = $1`,
    [id],
  );
  return new Map(rows.map((r) => [r.row_number, { outcome: r.outcome, forced: r.forced }]));
}

const customersTotal = async (s: Stack) => (await s.pool.query(`SELECT count(*)::int AS n FROM customers`)).rows[0].n;

describe('F12: the same file submitted twice at once', () => {
  it('a double click gives one import: the second upload replays the first', async () => {
    // Its own Nana ids, so that the next test's file links to nothing this one created.
    const file = nanaFile({ records: 1_000, seed: 120 }).replaceAll(/\bNB(\d+)/g, 'ND$1');
    const [a, b] = await Promise.all([upload(stack, file), upload(stack, file)]);
    expect([a.status, b.status].sort()).toEqual([200, 202]);
    expect(a.body.id).toBe(b.body.id);
    const done = await waitForImport(stack, a.body.id);
    expect(done.status).toBe('completed');
    await expectInvariants(stack.pool, done.id);
    const { rows } = await stack.pool.query(`SELECT count(*)::int AS n FROM imports`);
    expect(rows[0].n).toBe(1);
  });

  it('forced twice: two imports whose records each end in one outcome, no customer created twice', async () => {
    const file = nanaFile({ records: 3_000, seed: 121 });
    const fields = { batchSize: '250', force: 'true' };
    const customersBefore = await customersTotal(stack);
    const [a, b] = await Promise.all([upload(stack, file, { fields }), upload(stack, file, { fields })]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.id).not.toBe(b.body.id);
    const [doneA, doneB] = await Promise.all([waitForImport(stack, a.body.id), waitForImport(stack, b.body.id)]);
    expect([doneA.status, doneB.status]).toEqual(['completed', 'completed']);
    await expectInvariants(stack.pool, doneA.id);
    await expectInvariants(stack.pool, doneB.id);

    const single = await importFile(reference, file, { fields: { batchSize: '250' } });
    const refOutcomes = new Map(
      (await importState(reference.pool, single.id)).records.map((r) => [r.row_number, r.outcome]),
    );
    const [oa, ob] = await Promise.all([outcomes(doneA.id), outcomes(doneB.id)]);
    // Every record the file creates is created by exactly one of the two imports, never both.
    let createdOnce = 0;
    for (const [row, ref] of refOutcomes) {
      const n = Number(oa.get(row)!.outcome === 'created') + Number(ob.get(row)!.outcome === 'created');
      expect(n, `row ${row}`).toBe(ref === 'created' ? 1 : 0);
      createdOnce += n;
    }
    expect(createdOnce).toBe(single.counts.created);
    expect(doneA.counts.created + doneB.counts.created).toBe(single.counts.created);
    expect((await customersTotal(stack)) - customersBefore).toBe(await customersTotal(reference));
    expect(await sharedPhones(stack.pool)).toEqual([]);
  });
});

describe('F14: two concurrent imports with overlapping customers', () => {
  it('serialises the writes: each conflicting record gets its outcome in exactly one import, no duplicate by phone', async () => {
    const lines = nanaFile({ records: 2_000, seed: 141 }).trimEnd().split('\n');
    const header = lines[0];
    const fileA = lines.map((l) => l.replaceAll(/\bNB(\d+)/g, 'NP$1')).join('\n') + '\n';
    // B: rows 1–1000 are A's customers under other Nana ids (same phones), rows 1001–1500 are A's records as they are.
    const rowsB = [
      ...lines.slice(1, 1001).map((l) => l.replaceAll(/\bNB(\d+)/g, 'NQ$1')),
      ...lines.slice(1001, 1501).map((l) => l.replaceAll(/\bNB(\d+)/g, 'NP$1')),
    ];
    const fileB = [header, ...rowsB].join('\n') + '\n';
    const fields = { batchSize: '100' };
    const [a, b] = await Promise.all([upload(stack, fileA, { fields }), upload(stack, fileB, { fields })]);
    expect([a.status, b.status]).toEqual([202, 202]);
    const [doneA, doneB] = await Promise.all([waitForImport(stack, a.body.id), waitForImport(stack, b.body.id)]);
    expect([doneA.status, doneB.status]).toEqual(['completed', 'completed']);
    await expectInvariants(stack.pool, doneA.id);
    await expectInvariants(stack.pool, doneB.id);
    expect(await sharedPhones(stack.pool)).toEqual([]);

    const [oa, ob] = await Promise.all([outcomes(doneA.id), outcomes(doneB.id)]);
    const { rows: dupCodes } = await stack.pool.query(
      `SELECT import_id, row_number, errors FROM import_errors WHERE import_id = ANY($1)`,
      [[doneA.id, doneB.id]],
    );
    const reasons = new Map(
      dupCodes.map((r) => [`${r.import_id}:${r.row_number}`, (r.errors as { code: string }[]).map((e) => e.code)]),
    );
    let conflicts = 0;
    for (let row = 1; row <= 1500; row++) {
      const x = oa.get(row)!;
      const y = ob.get(row)!;
      const both = x.outcome === 'created' && y.outcome === 'created';
      if (row <= 1000) {
        // Same phones, other ids: both created only when the records force it.
        if (both) expect(x.forced && y.forced, `row ${row} created twice without force_create`).toBe(true);
        if (!x.forced && (x.outcome === 'created') !== (y.outcome === 'created')) {
          conflicts += 1;
          // The other import's copy: its phone is taken (DUPLICATE_PHONE), or its Nana id repeats one
          // its own file linked earlier (skipped/linked); never a second profile.
          const loser = x.outcome === 'created' ? `${doneB.id}:${row}` : `${doneA.id}:${row}`;
          const loserOutcome = x.outcome === 'created' ? y : x;
          expect(loserOutcome.outcome, `row ${row}`).toMatch(/rejected|skipped|linked/);
          if (loserOutcome.outcome === 'rejected')
            expect(reasons.get(loser), `row ${row}`).toContain('DUPLICATE_PHONE');
        }
      } else {
        // The same record twice: never created by both; the later one skips (its ids are linked).
        expect(both, `row ${row} created by both imports`).toBe(false);
        if (x.outcome === 'created' || y.outcome === 'created') {
          conflicts += 1;
          expect((x.outcome === 'created' ? y : x).outcome, `row ${row}`).toMatch(/skipped|linked/);
        }
      }
    }
    expect(conflicts).toBeGreaterThan(1000);
    console.log(
      `F14: ${conflicts} conflicting records resolved in exactly one import; A ${JSON.stringify(doneA.counts)} B ${JSON.stringify(doneB.counts)}`,
    );
  });
});
