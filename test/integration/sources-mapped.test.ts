import { afterAll, beforeAll, expect, it } from 'vitest';
import { importFile, outcomeCounts, upload } from '../support/http';
import { csv, postJson, q } from '../support/sources';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

// The example of seed 001: Customer_ID as is, First_Name + Last_Name into a full name, a US date, a currency amount.
const SEED_MAPPING = {
  name: 'legacy CRM (seed 001)',
  fields: {
    external_id: { column: 'Customer_ID' },
    full_name: { join: ['First_Name', 'Last_Name'] },
    date_of_birth: { column: 'Birth_Date', format: 'MM/DD/YYYY' },
    email: { column: 'Contact_Email' },
    total_sales: { column: 'Sales_Amount' },
    gender: { column: 'Sex', default: 'F' },
  },
};
const HEADER = [
  'Customer_ID',
  'First_Name',
  'Last_Name',
  'Contact_Email',
  'Sales_Amount',
  'Birth_Date',
  'Sex',
  'Unused',
];

it('imports the seed 001 example through a saved mapping', async () => {
  const saved = await postJson(stack, '/api/mappings', SEED_MAPPING);
  expect(saved.status).toBe(201);
  const list = await (
    await fetch(`${stack.baseUrl}/api/mappings`, { headers: { authorization: `Bearer ${stack.adminToken}` } })
  ).json();
  expect(list.items.map((m: any) => m.id)).toContain(saved.body.id);
  const done = await importFile(
    stack,
    csv(HEADER, [
      {
        Customer_ID: 'C-001',
        First_Name: 'Anong',
        Last_Name: 'Boonmee',
        Contact_Email: 'anong@example.com',
        Sales_Amount: '$1,234.50',
        Birth_Date: '04/12/1988',
        Unused: 'x',
      },
      {
        Customer_ID: 'C-002',
        First_Name: 'Chai',
        Last_Name: 'Dee',
        Contact_Email: 'chai@example.com',
        Sales_Amount: '฿ 99',
        Birth_Date: '12/31/1975',
        Sex: 'M',
      },
      {
        Customer_ID: 'C-003',
        First_Name: 'Bad',
        Last_Name: 'Date',
        Contact_Email: 'bad@example.com',
        Sales_Amount: '1.234',
        Birth_Date: '31/12/1975',
      },
    ]),
    { source: 'mapped', fields: { mappingId: String(saved.body.id) } },
  );
  expect(done.status).toBe('completed');
  expect(outcomeCounts(done)).toMatchObject({ created: 2, rejected: 1 });
  const rows = await q(
    stack,
    `SELECT c.first_name, c.last_name, c.gender, to_char(c.date_of_birth, 'YYYY-MM-DD') AS dob, a.amount::text, r.original_id
    FROM customers c JOIN customer_amounts a ON a.customer_id = c.id JOIN customer_relations r ON r.customer_id = c.id AND r.source = 'mapped' ORDER BY r.original_id`,
  );
  expect(rows).toEqual([
    {
      first_name: 'Anong',
      last_name: 'Boonmee',
      gender: 'F',
      dob: '1988-04-12',
      amount: '1234.50',
      original_id: 'C-001',
    },
    { first_name: 'Chai', last_name: 'Dee', gender: 'M', dob: '1975-12-31', amount: '99.00', original_id: 'C-002' },
  ]);
});

it('refuses, before loading anything, a file that lacks a column the mapping reads, and a mapping without a name field', async () => {
  const saved = await postJson(stack, '/api/mappings', SEED_MAPPING);
  const res = await upload(stack, csv(['Customer_ID', 'First_Name'], [{ Customer_ID: '1', First_Name: 'A' }]), {
    source: 'mapped',
    fields: { mappingId: String(saved.body.id) },
  });
  expect(res.status).toBe(422);
  expect(res.body.error.code).toBe('MAPPING_COLUMNS_MISSING');
  expect(res.body.error.details.missing.sort()).toEqual([
    'Birth_Date',
    'Contact_Email',
    'Last_Name',
    'Sales_Amount',
    'Sex',
  ]);
  const bad = await postJson(stack, '/api/mappings', { name: 'no name', fields: { email: { column: 'E' } } });
  expect(bad.status).toBe(400);
  const none = await upload(stack, csv(['a'], [{ a: '1' }]), { source: 'mapped' });
  expect(none.status).toBe(400);
});
