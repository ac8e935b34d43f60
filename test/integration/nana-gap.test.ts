import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmSnapshot } from '../support/db-state';
import { nanaFile } from '../support/generate-nana';
import { expectInvariants } from './faults/support';
import { getJson, importFile, nanaCsv, outcomeCounts, post } from '../support/http';
import { q } from '../support/sources';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

type Row = Record<string, string>;

/** Record i of a Nana export: every fifth has two ids, every third a company; each prefix its own phones. */
const nana = (i: number, prefix = 'GAP', phones = 30_000_000): Row => ({
  nana_cus_id: i % 5 === 0 ? `${prefix}-${i},${prefix}-${i}b` : `${prefix}-${i}`,
  gender: i % 2 === 0 ? 'F' : 'M',
  firstname: `${prefix}${i}`,
  lastname: 'Person',
  email: `${prefix.toLowerCase()}${i}@example.com`,
  date_of_birth: `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
  phone: `08${phones + i}`,
  company_name: i % 3 === 0 ? '"Rabbit Care Co., Ltd."' : '',
});

/** What a BI export changes in a record after the first transfer: names, gender, birth date, one more phone, email and company. */
const edited = (row: Row, i: number): Row => ({
  ...row,
  lastname: 'Edited',
  gender: row.gender === 'F' ? 'M' : 'F',
  date_of_birth: '1999-12-31',
  phone: `${row.phone}, 08${String(40000000 + i)}`,
  email: `${row.email}, new${i}@example.com`,
  company_name: row.company_name ? `${row.company_name}, "ADB Co., Ltd."` : '"ADB Co., Ltd."',
});

/** Every customer with everything Ferry writes about it, keyed by first name (unique in this file). */
async function customers(): Promise<Record<string, unknown>> {
  const rows = await q(
    stack,
    `SELECT c.first_name, c.last_name, c.gender, to_char(c.date_of_birth, 'YYYY-MM-DD') AS dob,
       (SELECT array_agg(phone ORDER BY phone) FROM customer_phones p WHERE p.customer_id = c.id) AS phones,
       (SELECT array_agg(email ORDER BY email) FROM customer_emails e WHERE e.customer_id = c.id) AS emails,
       (SELECT array_agg(name ORDER BY position) FROM customer_companies n WHERE n.customer_id = c.id) AS companies,
       (SELECT array_agg(original_id ORDER BY original_id) FROM customer_relations r WHERE r.customer_id = c.id AND r.active) AS ids
     FROM customers c ORDER BY c.id`,
  );
  return Object.fromEntries(rows.map(({ first_name, ...rest }) => [first_name, rest]));
}

/** Waits on the rollback workflow itself (polling the api would race its stranded-workflow reconciler). */
async function rollBack(id: number, force = false) {
  const res = await post(stack, `/api/imports/${id}/rollback${force ? '?force=true' : ''}`);
  expect(res.status).toBe(202);
  await stack.client.workflow.getHandle(res.body.workflowId).result();
  const [row] = await q(stack, `SELECT status FROM imports WHERE id = $1`, [id]);
  expect(row.status).toBe('rolled_back');
}

describe('a later Nana export', () => {
  const first = Array.from({ length: 100 }, (_, i) => nana(i));
  const changed = new Set([3, 17, 42, 66, 99]);
  // 66 also gained a newer Nana lead: same key (its smallest id), the new id is linked while updating.
  // Unchanged records written differently (ids reordered, phones and emails in another form) are no change.
  const rewritten = (row: Row) => ({
    ...row,
    nana_cus_id: row.nana_cus_id.split(',').reverse().join(', '),
    phone: `+66${row.phone.slice(1)}`,
    email: row.email.toUpperCase(),
  });
  const later = first.map((row, i) => {
    if (i === 66) return { ...edited(row, i), nana_cus_id: 'GAP-66z,GAP-66' };
    if (changed.has(i)) return edited(row, i);
    return i % 10 === 5 ? rewritten(row) : row;
  });
  for (let i = 100; i < 105; i++) later.push(nana(i));

  let initial: any;
  beforeAll(async () => {
    initial = await importFile(stack, nanaCsv(first), { fields: { batchSize: '40' } });
  });

  it('imports the first export and records every record in the sync history', async () => {
    expect(initial.status).toBe('completed');
    expect(outcomeCounts(initial)).toEqual({ created: 100, linked: 0, updated: 0, skipped: 0, rejected: 0 });
    const [h] = await q(
      stack,
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE import_id = $1 AND hash ~ '^[0-9a-f]{64}$')::int AS mine FROM sync_history WHERE source = 'nana'`,
      [initial.id],
    );
    expect(h).toEqual({ n: 100, mine: 100 });
    const [ten] = await q(
      stack,
      `SELECT original_key FROM sync_history h JOIN customers c ON c.id = h.customer_id WHERE c.first_name = 'GAP10'`,
    );
    expect(ten.original_key).toBe('GAP-10');
  });

  it('skips every record when the identical file is imported again', async () => {
    const before = await customers();
    const again = await importFile(stack, nanaCsv(first), { fields: { batchSize: '30' } });
    expect(again.status).toBe('completed');
    expect(outcomeCounts(again)).toEqual({ created: 0, linked: 0, updated: 0, skipped: 100, rejected: 0 });
    expect(again.verification.ok).toBe(true);
    expect(await customers()).toEqual(before);
  });

  it('applies exactly the 5% changed and 5% new records, and rolling it back restores the previous state', async () => {
    const snapshot = await crmSnapshot(stack.pool);
    const before = await customers();
    const gap = await importFile(stack, nanaCsv(later), { fields: { testBatchSize: '7', batchSize: '30' } });
    expect(gap.status).toBe('completed');
    expect(outcomeCounts(gap)).toEqual({ created: 5, linked: 0, updated: 5, skipped: 95, rejected: 0 });
    expect(gap.verification.ok).toBe(true);

    const after = await customers();
    const names = (set: Record<string, unknown>) => Object.keys(set).sort();
    expect(names(after)).toEqual([...names(before), ...[100, 101, 102, 103, 104].map((i) => `GAP${i}`)].sort());
    for (const [name, state] of Object.entries(before)) {
      const i = Number(name.slice(3));
      if (!changed.has(i)) expect(after[name], name).toEqual(state);
    }
    const row = first[42];
    expect(after.GAP42).toEqual({
      last_name: 'Edited',
      gender: 'M',
      dob: '1999-12-31',
      phones: [`+66${row.phone.slice(1)}`, '+66840000042'].sort(),
      emails: ['gap42@example.com', 'new42@example.com'],
      companies: ['Rabbit Care Co., Ltd.', 'ADB Co., Ltd.'],
      ids: ['GAP-42'],
    });
    expect(after.GAP17).toMatchObject({ gender: 'F', companies: ['ADB Co., Ltd.'] });
    expect(after.GAP66).toMatchObject({ last_name: 'Edited', ids: ['GAP-66', 'GAP-66z'] });
    const images = await q(
      stack,
      `SELECT table_name, count(*)::int AS n FROM import_before_images WHERE import_id = $1 GROUP BY 1 ORDER BY 1`,
      [gap.id],
    );
    expect(images).toEqual([
      { table_name: 'customers', n: 5 },
      { table_name: 'sync_history', n: 100 },
    ]);

    await rollBack(gap.id);
    expect(await crmSnapshot(stack.pool)).toEqual(snapshot);

    const again = await importFile(stack, nanaCsv(later), { fields: { batchSize: '1000' } });
    expect(outcomeCounts(again)).toEqual({ created: 5, linked: 0, updated: 5, skipped: 95, rejected: 0 });
    const reimport = await importFile(stack, nanaCsv(later));
    expect(outcomeCounts(reimport)).toEqual({ created: 0, linked: 0, updated: 0, skipped: 105, rejected: 0 });
  });
});

describe('updates that add a phone of another customer', () => {
  it('reject the record DUPLICATE_PHONE and change nothing, force_create or not; the next export without that phone updates', async () => {
    const rows = [nana(1, 'PH', 31_000_000), nana(2, 'PH', 31_000_000)];
    const done = await importFile(stack, nanaCsv(rows));
    expect(outcomeCounts(done)).toMatchObject({ created: 2 });
    const before = await customers();
    const taking = { ...rows[0], lastname: 'Taker', phone: `${rows[0].phone}, ${rows[1].phone}` };

    for (const force_create of ['', 'Y']) {
      const refused = await importFile(stack, nanaCsv([{ ...taking, force_create }]));
      expect(outcomeCounts(refused)).toEqual({ created: 0, linked: 0, updated: 0, skipped: 0, rejected: 1 });
      const { body } = await getJson(stack, `/api/imports/${refused.id}/errors`);
      expect(body.items[0].errors).toEqual([
        {
          field: 'phone',
          code: 'DUPLICATE_PHONE',
          message:
            'phone item 2 already belongs to another customer: an update does not add it (force_create only applies to new profiles)',
        },
      ]);
      expect(await customers()).toEqual(before);
    }

    const fixed = await importFile(stack, nanaCsv([{ ...taking, phone: rows[0].phone }]));
    expect(outcomeCounts(fixed)).toMatchObject({ updated: 1, rejected: 0 });
    expect(fixed.verification.ok).toBe(true);
    const after: any = await customers();
    expect(after.PH1).toEqual({ ...(before.PH1 as object), last_name: 'Taker' });
    expect(after.PH2).toEqual(before.PH2);
  });
});

describe('a key repeated inside one file', () => {
  it('lets the earlier record win, in one batch or across batches, and a re-import of the file skips both', async () => {
    for (const [n, batchSize] of ['1', '5000'].entries()) {
      const tag = `DUP${batchSize}-`;
      const base = nana(1, tag, 32_000_000 + n);
      const done = await importFile(stack, nanaCsv([base]));
      expect(outcomeCounts(done)).toMatchObject({ created: 1 });
      const file = nanaCsv([
        { ...base, lastname: 'First' },
        { ...base, lastname: 'Second' },
      ]);
      const gap = await importFile(stack, file, { fields: { batchSize, testBatchSize: '1' } });
      expect(gap.status).toBe('completed');
      expect(outcomeCounts(gap)).toEqual({ created: 0, linked: 0, updated: 1, skipped: 1, rejected: 0 });
      const [c] = await q(stack, `SELECT last_name FROM customers WHERE first_name = $1`, [`${tag}1`]);
      expect(c.last_name).toBe('First');
      const again = await importFile(stack, file, { fields: { batchSize, testBatchSize: '1' } });
      expect(outcomeCounts(again)).toEqual({ created: 0, linked: 0, updated: 0, skipped: 2, rejected: 0 });
    }
  });
});

describe('rolling back the first import after a gap import updated its customers', () => {
  it('removes them with the later history rows that name them, keeps one the gap import added a phone to, and force removes that too', async () => {
    const before = await crmSnapshot(stack.pool);
    const rows = [nana(1, 'RB', 33_000_000), nana(2, 'RB', 33_000_000)];
    const first = await importFile(stack, nanaCsv(rows));
    expect(outcomeCounts(first)).toMatchObject({ created: 2 });
    const gap = await importFile(
      stack,
      nanaCsv([
        { ...rows[0], lastname: 'Renamed' },
        { ...rows[1], phone: `${rows[1].phone}, 0850000002` },
      ]),
    );
    expect(outcomeCounts(gap)).toMatchObject({ updated: 2 });

    // RB1 goes with the gap import's history row naming it; RB2 stays with the phone the gap import added.
    const preview = (await getJson(stack, `/api/imports/${first.id}/rollback-preview`)).body;
    expect(preview).toMatchObject({ remove: { customers: 1 }, keep: { customers: 1 } });
    expect(preview.laterWork).toEqual({ sync_history: 1 });
    await rollBack(first.id);
    const kept = await q(stack, `SELECT first_name FROM customers WHERE import_id = $1`, [first.id]);
    expect(kept).toEqual([{ first_name: 'RB2' }]);
    const history = await q(stack, `SELECT original_key FROM sync_history WHERE original_key LIKE 'RB-%' ORDER BY 1`);
    expect(history).toEqual([{ original_key: 'RB-2' }]);

    const forced = (await getJson(stack, `/api/imports/${first.id}/rollback-preview?force=true`)).body;
    expect(forced).toMatchObject({ remove: { customers: 1 }, keep: { customers: 0 } });
    expect(forced.laterWork).toEqual({ customer_phones: 1, sync_history: 1 });
    await rollBack(first.id, true);
    await rollBack(gap.id);
    expect(await crmSnapshot(stack.pool)).toEqual(before);
  });
});

describe('a later export in which most records changed', () => {
  it('completes and verifies, every record with one outcome and no phone shared by customers that were not forced', async () => {
    // Two seeds of the generator reuse the same Nana ids with other values, phones and duplicates.
    const first = await importFile(stack, nanaFile({ records: 1_500, seed: 8 }).replaceAll(/\bNB(\d+)/g, 'NG$1'), {
      fields: { batchSize: '500' },
    });
    expect(first.status).toBe('completed');
    const later = await importFile(stack, nanaFile({ records: 1_500, seed: 9 }).replaceAll(/\bNB(\d+)/g, 'NG$1'), {
      fields: { batchSize: '500' },
    });
    expect(later.status).toBe('completed');
    expect(later.verification.ok).toBe(true);
    expect(later.counts.updated).toBeGreaterThan(1_000);
    await expectInvariants(stack.pool, first.id);
    await expectInvariants(stack.pool, later.id);
  });
});
