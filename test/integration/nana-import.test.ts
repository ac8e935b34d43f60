import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack';
import { balances, getJson, importFile, nanaCsv, outcomeCounts } from '../support/http';

const sample = readFileSync(new URL('../../samples/nana-customers.csv', import.meta.url));

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

async function q<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await stack.pool.query(sql, params)).rows as T[];
}

async function customerByName(first: string) {
  const [c] = await q(
    `SELECT id::int, first_name, last_name, gender, to_char(date_of_birth, 'YYYY-MM-DD') AS dob, import_id::int FROM customers WHERE first_name = $1`,
    [first],
  );
  const phones = (await q(`SELECT phone FROM customer_phones WHERE customer_id = $1 ORDER BY phone`, [c.id])).map(
    (r) => r.phone,
  );
  const emails = (await q(`SELECT email FROM customer_emails WHERE customer_id = $1`, [c.id])).map((r) => r.email);
  const companies = (
    await q(`SELECT name FROM customer_companies WHERE customer_id = $1 ORDER BY position`, [c.id])
  ).map((r) => r.name);
  const nanaIds = (
    await q(
      `SELECT original_id FROM customer_relations WHERE customer_id = $1 AND source = 'nana' AND active ORDER BY original_id`,
      [c.id],
    )
  ).map((r) => r.original_id);
  return { ...c, phones, emails, companies, nanaIds };
}

async function insertCustomer(first: string, phone?: string): Promise<number> {
  const [c] = await q(`INSERT INTO customers (first_name, last_name) VALUES ($1, 'Existing') RETURNING id::int`, [
    first,
  ]);
  if (phone) await q(`INSERT INTO customer_phones (customer_id, phone) VALUES ($1, $2)`, [c.id, phone]);
  return c.id;
}

describe('the sample Nana file', () => {
  let first: any;
  beforeAll(async () => {
    first = await importFile(stack, sample, { fileName: 'nana-customers.csv' });
  });

  it('completes with every record accounted for', () => {
    expect(first.status).toBe('completed');
    expect(outcomeCounts(first)).toEqual({ created: 4, linked: 0, updated: 0, skipped: 1, rejected: 4 });
    expect(balances(first)).toBe(true);
    expect(first.counts.valid).toBe(6);
    expect(first.verification.ok).toBe(true);
    expect(first.createdBy).toBe('alice');
  });

  it('creates the profile with E.164 phones, lower-case emails, its companies and every Nana id', async () => {
    expect(await customerByName('Somsri')).toMatchObject({
      last_name: 'Jaidee',
      gender: 'F',
      dob: '1988-04-12',
      import_id: first.id,
      phones: ['+6621234567', '+66812345678'],
      emails: ['somsri.j@example.com'],
      companies: ['Rabbit Care Co., Ltd.', 'Rabbit Internet Co., Ltd.'],
      nanaIds: ['N10001', 'N10002'],
    });
    expect(await customerByName('Somchai')).toMatchObject({
      phones: ['+66891234567'],
      emails: ['somchai@example.com'],
      nanaIds: ['N10003'],
    });
    expect(await customerByName('Wipa')).toMatchObject({
      gender: null,
      dob: null,
      phones: ['+6653123456'],
      companies: ['Chiang Mai Trading Co., Ltd.'],
    });
  });

  it('creates a forced duplicate even though its phone belongs to a customer', async () => {
    expect(await customerByName('Anan')).toMatchObject({ phones: ['+66812345678'], nanaIds: ['N10005'] });
    const owners = await q(`SELECT count(*)::int AS n FROM customer_phones WHERE phone = '+66812345678'`);
    expect(owners[0].n).toBe(2);
  });

  it('keeps every rejected record whole, with every reason', async () => {
    const { body } = await getJson(stack, `/api/imports/${first.id}/errors`);
    expect(body.total).toBe(4);
    const byRow = Object.fromEntries(body.items.map((e: any) => [e.rowNumber, e]));
    expect(byRow[3].errors.map((e: any) => e.code)).toEqual(['DUPLICATE_PHONE']);
    expect(byRow[3].record).toMatchObject({ nana_cus_id: 'N10004', firstname: 'Malee', phone: '0812345678' });
    expect(byRow[5].errors).toEqual([
      { field: 'date_of_birth', code: 'INVALID_DATE', message: expect.stringContaining('date_of_birth') },
    ]);
    expect(byRow[6].errors.map((e: any) => e.code).sort()).toEqual([
      'INVALID_EMAIL',
      'INVALID_GENDER',
      'INVALID_PHONE',
    ]);
    expect(byRow[9].errors.map((e: any) => `${e.field}:${e.code}`)).toEqual([
      'nana_cus_id:REQUIRED',
      'firstname:REQUIRED',
      'phone:REQUIRED',
    ]);
    const stored = await q(`SELECT count(*)::int AS n FROM import_errors WHERE import_id = $1`, [first.id]);
    expect(stored[0].n).toBe(4);
  });

  it('skips a later record whose Nana id an earlier record of the file already linked', async () => {
    const { body } = await getJson(stack, `/api/imports/${first.id}/errors`);
    expect(body.items.map((e: any) => e.rowNumber)).not.toContain(7);
    const somchai = await q(`SELECT count(*)::int AS n FROM customers WHERE first_name = 'Somchai'`);
    expect(somchai[0].n).toBe(1);
  });

  it('creates no second customer when the same file is imported again', async () => {
    const before = await q(`SELECT count(*)::int AS n FROM customers`);
    const again = await importFile(stack, sample);
    expect(again.status).toBe('completed');
    expect(outcomeCounts(again)).toEqual({ created: 0, linked: 0, updated: 0, skipped: 5, rejected: 4 });
    expect(balances(again)).toBe(true);
    const after = await q(`SELECT count(*)::int AS n FROM customers`);
    expect(after[0].n).toBe(before[0].n);
    const relations = await q(`SELECT count(*)::int AS n FROM customer_relations WHERE import_id = $1`, [again.id]);
    expect(relations[0].n).toBe(0);
  });
});

describe('careos_cus_id', () => {
  it('links every Nana id of the record to the existing customer and creates nothing', async () => {
    const id = await insertCustomer('Linked');
    const done = await importFile(
      stack,
      nanaCsv([
        {
          careos_cus_id: String(id),
          nana_cus_id: 'L-1, L-2',
          firstname: 'Linked',
          lastname: 'Person',
          phone: '0899990001',
        },
      ]),
    );
    expect(outcomeCounts(done)).toMatchObject({ created: 0, linked: 1, rejected: 0 });
    const rel = await q(
      `SELECT original_id, customer_id::int FROM customer_relations WHERE original_id LIKE 'L-%' AND active ORDER BY original_id`,
    );
    expect(rel).toEqual([
      { original_id: 'L-1', customer_id: id },
      { original_id: 'L-2', customer_id: id },
    ]);
    const made = await q(`SELECT count(*)::int AS n FROM customers WHERE import_id = $1`, [done.id]);
    expect(made[0].n).toBe(0);
  });

  it('rejects a record that names a customer who does not exist', async () => {
    const done = await importFile(
      stack,
      nanaCsv([
        { careos_cus_id: '987654321', nana_cus_id: 'U-1', firstname: 'Ghost', lastname: 'Link', phone: '0899990002' },
      ]),
    );
    expect(outcomeCounts(done)).toMatchObject({ linked: 0, rejected: 1 });
    const { body } = await getJson(stack, `/api/imports/${done.id}/errors`);
    expect(body.items[0].errors).toEqual([
      expect.objectContaining({ field: 'careos_cus_id', code: 'UNKNOWN_CUSTOMER' }),
    ]);
    const rel = await q(`SELECT count(*)::int AS n FROM customer_relations WHERE original_id = 'U-1'`);
    expect(rel[0].n).toBe(0);
  });

  it('moves a Nana id that BI mapped to another customer, keeping the old pair inactive', async () => {
    const oldOwner = await insertCustomer('OldOwner');
    const newOwner = await insertCustomer('NewOwner');
    await q(`INSERT INTO customer_relations (customer_id, source, original_id) VALUES ($1, 'nana', 'MOVE-1')`, [
      oldOwner,
    ]);
    const done = await importFile(
      stack,
      nanaCsv([
        {
          careos_cus_id: String(newOwner),
          nana_cus_id: 'MOVE-1',
          firstname: 'New',
          lastname: 'Owner',
          phone: '0899990003',
        },
      ]),
    );
    expect(outcomeCounts(done)).toMatchObject({ linked: 1 });
    const rel = await q(
      `SELECT customer_id::int, active, deactivated_by_import_id::int AS by FROM customer_relations WHERE original_id = 'MOVE-1' ORDER BY id`,
    );
    expect(rel).toEqual([
      { customer_id: oldOwner, active: false, by: done.id },
      { customer_id: newOwner, active: true, by: null },
    ]);
  });

  it('moves a Nana id that an earlier record of the same file linked, in one batch or across batches', async () => {
    const target = await insertCustomer('Target');
    for (const batchSize of ['5000', '1']) {
      const tag = `IN-${batchSize}`;
      const done = await importFile(
        stack,
        nanaCsv([
          {
            nana_cus_id: tag,
            firstname: 'First',
            lastname: `Claim${batchSize}`,
            phone: batchSize === '1' ? '0899990010' : '0899990011',
          },
          {
            careos_cus_id: String(target),
            nana_cus_id: tag,
            firstname: 'Second',
            lastname: 'Claim',
            phone: '0899990012',
          },
        ]),
        { fields: { batchSize, testBatchSize: '1' } },
      );
      expect(done.status).toBe('completed');
      expect(outcomeCounts(done)).toMatchObject({ created: 1, linked: 1 });
      const rel = await q(
        `SELECT customer_id::int, active FROM customer_relations WHERE original_id = $1 ORDER BY id`,
        [tag],
      );
      expect(rel.filter((r) => r.active)).toEqual([{ customer_id: target, active: true }]);
      expect(rel).toHaveLength(2);
    }
  });
});

describe('the phone duplicate check', () => {
  it('treats every way of writing a number as the same phone', async () => {
    const existing = await insertCustomer('Landline', '+6621234599');
    expect(existing).toBeGreaterThan(0);
    const formats = [
      '0861112222',
      '086-111-2222',
      '+66861112222',
      '+66 86 111 2222',
      '๐๘๖-๑๑๑-๒๒๒๒',
      '0066 86 111 2222',
      '861112222',
    ];
    const rows = formats.map((phone, i) => ({
      nana_cus_id: `F-${i}`,
      firstname: `Format${i}`,
      lastname: 'Test',
      phone,
    }));
    rows.push({ nana_cus_id: 'F-bkk', firstname: 'Bangkok', lastname: 'Line', phone: '02-123-4599' });
    const done = await importFile(stack, nanaCsv(rows));
    expect(outcomeCounts(done)).toMatchObject({ created: 1, rejected: formats.length });
    const { body } = await getJson(stack, `/api/imports/${done.id}/errors`);
    expect(body.items.map((e: any) => e.errors[0].code)).toEqual(Array(formats.length).fill('DUPLICATE_PHONE'));
    expect(body.items.map((e: any) => e.rowNumber)).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it('gives the same outcome when the duplicates fall in different batches', async () => {
    const rows = [
      { nana_cus_id: 'B-1', firstname: 'Batch', lastname: 'One', phone: '0862223333' },
      { nana_cus_id: 'B-2', firstname: 'Batch', lastname: 'Two', phone: '0862224444' },
      { nana_cus_id: 'B-3', firstname: 'Batch', lastname: 'Three', phone: '086-222-3333' },
      { nana_cus_id: 'B-1', firstname: 'Batch', lastname: 'Again', phone: '0862225555' },
      { nana_cus_id: 'B-5', firstname: 'Batch', lastname: 'Forced', phone: '+66862224444', force_create: 'Y' },
    ];
    const done = await importFile(stack, nanaCsv(rows), { fields: { batchSize: '2', testBatchSize: '1' } });
    expect(done.status).toBe('completed');
    expect(outcomeCounts(done)).toEqual({ created: 3, linked: 0, updated: 0, skipped: 1, rejected: 1 });
    const { body } = await getJson(stack, `/api/imports/${done.id}/errors`);
    expect(body.items.map((e: any) => [e.rowNumber, e.errors[0].code])).toEqual([[3, 'DUPLICATE_PHONE']]);
  });
});

describe('a dry run', () => {
  it('validates and reports without writing a customer', async () => {
    const before = await q(`SELECT count(*)::int AS n FROM customers`);
    const done = await importFile(stack, sample, { fields: { dryRun: 'true' } });
    expect(done.status).toBe('validated');
    expect(done.counts).toMatchObject({ total: 9, valid: 6, rejected: 3 });
    const after = await q(`SELECT count(*)::int AS n FROM customers`);
    expect(after[0].n).toBe(before[0].n);
  });
});
