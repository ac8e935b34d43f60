import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getJson, importFile, outcomeCounts, post, upload } from '../support/http';
import { csv, postJson, q } from '../support/sources';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

// Seed 001's worked example, Support_Ticket_Date → Case_Creation_Date ("convert date format") included.
const SEED_MAPPING = {
  name: 'legacy CRM with custom attributes (seed 001)',
  fields: {
    external_id: { column: 'Customer_ID' },
    full_name: { join: ['First_Name', 'Last_Name'] },
    email: { column: 'Contact_Email' },
    total_sales: { column: 'Sales_Amount', currency: 'THB' },
    'attributes.case_creation_date': { column: 'Support_Ticket_Date', type: 'date', format: 'MM/DD/YYYY' },
    'attributes.tier': { column: 'Tier', default: 'standard' },
    'attributes.visits': { column: 'Visits', type: 'number' },
  },
};
const HEADER = [
  'Customer_ID',
  'First_Name',
  'Last_Name',
  'Contact_Email',
  'Sales_Amount',
  'Support_Ticket_Date',
  'Tier',
  'Visits',
  'Notes',
];
const auth = () => ({ authorization: `Bearer ${stack.adminToken}` });

async function saveMapping(mapping: object): Promise<number> {
  const saved = await postJson(stack, '/api/mappings', mapping);
  expect(saved.status).toBe(201);
  return saved.body.id;
}

async function attributesOf(originalId: string) {
  return q(
    stack,
    `SELECT a.key, a.value, a.import_id::int AS "importId" FROM customer_attributes a
    JOIN customer_relations r ON r.customer_id = a.customer_id AND r.source = 'mapped' AND r.active WHERE r.original_id = $1 ORDER BY a.key`,
    [originalId],
  );
}

it('imports seed 001 with Support_Ticket_Date as the custom attribute case_creation_date, and amounts keep their currency', async () => {
  const mappingId = await saveMapping(SEED_MAPPING);
  const listed = await getJson(stack, '/api/mappings');
  expect(listed.body.items.find((m: any) => m.id === mappingId).attributes).toEqual([
    { key: 'case_creation_date', type: 'date', format: 'MM/DD/YYYY', buddhistEra: false },
    { key: 'tier', type: 'text' },
    { key: 'visits', type: 'number' },
  ]);
  const done = await importFile(
    stack,
    csv(HEADER, [
      {
        Customer_ID: 'S1-001',
        First_Name: 'Anong',
        Last_Name: 'Boonmee',
        Contact_Email: 'anong@example.com',
        Sales_Amount: '$1,234.50',
        Support_Ticket_Date: '03/15/2024',
        Visits: '1,204',
      },
      {
        Customer_ID: 'S1-002',
        First_Name: 'Chai',
        Last_Name: 'Dee',
        Contact_Email: 'chai@example.com',
        Sales_Amount: '฿12,000',
        Support_Ticket_Date: '12/31/2023',
        Tier: 'gold',
      },
      {
        Customer_ID: 'S1-003',
        First_Name: 'Dao',
        Last_Name: 'Ruang',
        Contact_Email: 'dao@example.com',
        Sales_Amount: '500',
        Support_Ticket_Date: '',
      },
    ]),
    { source: 'mapped', fields: { mappingId: String(mappingId) } },
  );
  expect(done.status).toBe('completed');
  expect(outcomeCounts(done)).toMatchObject({ created: 3, rejected: 0 });
  expect(await attributesOf('S1-001')).toEqual([
    { key: 'case_creation_date', value: '2024-03-15', importId: done.id },
    { key: 'tier', value: 'standard', importId: done.id },
    { key: 'visits', value: '1204', importId: done.id },
  ]);
  expect((await attributesOf('S1-003')).map((a: any) => a.key)).toEqual(['tier']);
  const amounts = await q(
    stack,
    `SELECT r.original_id, a.amount::text, a.currency, a.rate FROM customer_amounts a
    JOIN customer_relations r ON r.customer_id = a.customer_id AND r.source = 'mapped' WHERE a.import_id = $1 ORDER BY r.original_id`,
    [done.id],
  );
  expect(amounts).toEqual([
    { original_id: 'S1-001', amount: '1234.50', currency: 'USD', rate: null },
    { original_id: 'S1-002', amount: '12000.00', currency: 'THB', rate: null },
    // A bare number takes the mapping's default currency.
    { original_id: 'S1-003', amount: '500.00', currency: 'THB', rate: null },
  ]);
});

it('converts only at the rate the mapping fixes, keeping the amount as the file wrote it beside the converted one', async () => {
  const mappingId = await saveMapping({
    ...SEED_MAPPING,
    name: 'with a rate',
    fields: {
      ...SEED_MAPPING.fields,
      total_sales: { column: 'Sales_Amount', convert: { to: 'THB', rates: { USD: '35.125' } } },
    },
  });
  const done = await importFile(
    stack,
    csv(HEADER, [
      {
        Customer_ID: 'R-001',
        First_Name: 'Rate',
        Last_Name: 'Dollar',
        Contact_Email: 'rd@example.com',
        Sales_Amount: 'USD 100.10',
      },
      {
        Customer_ID: 'R-002',
        First_Name: 'Rate',
        Last_Name: 'Baht',
        Contact_Email: 'rb@example.com',
        Sales_Amount: '99 บาท',
      },
      {
        Customer_ID: 'R-003',
        First_Name: 'Rate',
        Last_Name: 'Euro',
        Contact_Email: 're@example.com',
        Sales_Amount: '€5',
      },
    ]),
    { source: 'mapped', fields: { mappingId: String(mappingId) } },
  );
  expect(outcomeCounts(done)).toMatchObject({ created: 2, rejected: 1 });
  const amounts = await q(
    stack,
    `SELECT a.amount::text, a.currency, a.rate::text, a.converted_amount::text AS converted, a.converted_currency AS "to"
    FROM customer_amounts a WHERE a.import_id = $1 ORDER BY a.amount`,
    [done.id],
  );
  expect(amounts).toEqual([
    { amount: '99.00', currency: 'THB', rate: '1.00000000', converted: '99.00', to: 'THB' },
    { amount: '100.10', currency: 'USD', rate: '35.12500000', converted: '3516.01', to: 'THB' },
  ]);
  const errors = await getJson(stack, `/api/imports/${done.id}/errors`);
  expect(errors.body.items[0].errors).toEqual([expect.objectContaining({ field: 'total_sales', code: 'NO_RATE' })]);
});

it('reports a rejected mapped record in the uploaded format: the file header and every cell as it came, ready to upload again', async () => {
  const mappingId = await saveMapping(SEED_MAPPING);
  const bad = {
    Customer_ID: 'E-002',
    First_Name: 'Bad',
    Last_Name: 'Date',
    Contact_Email: 'bad@example.com',
    Sales_Amount: ' $7 ',
    Support_Ticket_Date: '15/03/2024',
    Tier: '',
    Visits: '3',
    Notes: '=not a formula',
  };
  const done = await importFile(
    stack,
    csv(HEADER, [
      {
        Customer_ID: 'E-001',
        First_Name: 'Good',
        Last_Name: 'Row',
        Contact_Email: 'good@example.com',
        Sales_Amount: '1',
        Support_Ticket_Date: '01/02/2024',
      },
      bad,
    ]),
    { source: 'mapped', fields: { mappingId: String(mappingId) }, fileName: 'legacy.csv' },
  );
  expect(outcomeCounts(done)).toMatchObject({ created: 1, rejected: 1 });

  const json = await getJson(stack, `/api/imports/${done.id}/errors`);
  expect(json.body.items).toEqual([
    {
      rowNumber: 2,
      lineNumber: 3,
      record: bad,
      errors: [expect.objectContaining({ field: 'attributes.case_creation_date', code: 'DATE_ORDER_CONFLICT' })],
    },
  ]);

  const text = (
    await (await fetch(`${stack.baseUrl}/api/imports/${done.id}/errors.csv`, { headers: auth() })).text()
  ).replace(/^\ufeff/, '');
  const [header, row] = parse(text, { relax_column_count: true }) as string[][];
  expect(header).toEqual([...HEADER, 'row_number', 'line_number', 'errors']);
  expect(row.slice(0, HEADER.length)).toEqual(
    HEADER.map((h) => (h === 'Notes' ? `'${bad.Notes}` : bad[h as keyof typeof bad])),
  );
  expect(row.slice(HEADER.length, -1)).toEqual(['2', '3']);
  expect(row.at(-1)).toContain('attributes.case_creation_date');

  const book = new ExcelJS.Workbook();
  await book.xlsx.load(
    await (await fetch(`${stack.baseUrl}/api/imports/${done.id}/errors.xlsx`, { headers: auth() })).arrayBuffer(),
  );
  const sheet = book.worksheets[0];
  expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([...HEADER, 'row_number', 'line_number', 'errors']);
  expect((sheet.getRow(2).values as unknown[]).slice(1, 3)).toEqual(['E-002', 'Bad']);

  // The report, its date fixed and nothing else touched, goes in again through the same mapping.
  const fixed = text.replace('15/03/2024', '03/15/2024');
  const again = await importFile(stack, fixed, {
    source: 'mapped',
    fields: { mappingId: String(mappingId) },
    fileName: 'legacy-fixed.csv',
  });
  expect(outcomeCounts(again)).toMatchObject({ created: 1, rejected: 0 });
  expect(await attributesOf('E-002')).toEqual([
    { key: 'case_creation_date', value: '2024-03-15', importId: again.id },
    { key: 'tier', value: 'standard', importId: again.id },
    { key: 'visits', value: '3', importId: again.id },
  ]);
});

it('rolls back an update of attributes exactly: changed values and their writers come back, added ones go', async () => {
  const mappingId = await saveMapping(SEED_MAPPING);
  const first = await importFile(
    stack,
    csv(HEADER, [
      {
        Customer_ID: 'U-001',
        First_Name: 'Upd',
        Last_Name: 'Ated',
        Contact_Email: 'upd@example.com',
        Sales_Amount: '10',
        Support_Ticket_Date: '03/15/2024',
        Tier: 'silver',
      },
    ]),
    { source: 'mapped', fields: { mappingId: String(mappingId) } },
  );
  expect(first.status).toBe('completed');
  const before = await attributesOf('U-001');
  expect(before).toEqual([
    { key: 'case_creation_date', value: '2024-03-15', importId: first.id },
    { key: 'tier', value: 'silver', importId: first.id },
  ]);
  const update = await importFile(
    stack,
    csv(HEADER, [
      {
        Customer_ID: 'U-001',
        First_Name: 'Upd',
        Last_Name: 'Ated',
        Contact_Email: 'upd@example.com',
        Sales_Amount: '10',
        Support_Ticket_Date: '04/01/2024',
        Tier: 'silver',
        Visits: '7',
      },
    ]),
    { source: 'mapped', fields: { mappingId: String(mappingId), duplicates: 'update' } },
  );
  expect(outcomeCounts(update)).toMatchObject({ updated: 1 });
  expect(await attributesOf('U-001')).toEqual([
    { key: 'case_creation_date', value: '2024-04-01', importId: update.id },
    // Unchanged: left alone, its writer too.
    { key: 'tier', value: 'silver', importId: first.id },
    { key: 'visits', value: '7', importId: update.id },
  ]);
  const res = await post(stack, `/api/imports/${update.id}/rollback`);
  expect(res.status).toBe(202);
  await stack.client.workflow.getHandle(res.body.workflowId).result();
  expect(await attributesOf('U-001')).toEqual(before);
  expect(
    await q(stack, `SELECT count(*)::int AS n FROM import_before_images WHERE import_id = $1`, [update.id]),
  ).toEqual([{ n: 0 }]);
});

it('rolls the import back when an attribute does not read back as the file gave it', async () => {
  const mappingId = await saveMapping(SEED_MAPPING);
  // A CRM trigger that silently rewrites a value: only the read-back can see it.
  await stack.pool.query(
    `CREATE FUNCTION retier() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.value := 'bronze'; RETURN NEW; END $$`,
  );
  await stack.pool.query(
    `CREATE TRIGGER retier BEFORE INSERT ON customer_attributes FOR EACH ROW WHEN (NEW.value = 'platinum') EXECUTE FUNCTION retier()`,
  );
  try {
    const done = await importFile(
      stack,
      csv(HEADER, [
        {
          Customer_ID: 'V-001',
          First_Name: 'Read',
          Last_Name: 'Back',
          Contact_Email: 'rb1@example.com',
          Sales_Amount: '1',
          Tier: 'platinum',
        },
      ]),
      { source: 'mapped', fields: { mappingId: String(mappingId) } },
    );
    expect(done.status).toBe('rolled_back');
    expect(done.failure).toEqual({ code: 'TEST_BATCH_MISMATCH', message: expect.stringContaining('attributes.tier') });
    expect(await attributesOf('V-001')).toEqual([]);
    expect(await q(stack, `SELECT count(*)::int AS n FROM customers WHERE import_id = $1`, [done.id])).toEqual([
      { n: 0 },
    ]);
  } finally {
    await stack.pool.query(`DROP TRIGGER retier ON customer_attributes; DROP FUNCTION retier()`);
  }
});

it('refuses a mapping whose target or option does not fit', async () => {
  for (const fields of [
    { ...SEED_MAPPING.fields, 'attributes.Case Date': { column: 'Support_Ticket_Date' } },
    { ...SEED_MAPPING.fields, case_creation_date: { column: 'Support_Ticket_Date' } },
    { ...SEED_MAPPING.fields, email: { column: 'Contact_Email', type: 'date' } },
    { ...SEED_MAPPING.fields, 'attributes.x': { column: 'Notes', type: 'text', currency: 'USD' } },
    { ...SEED_MAPPING.fields, 'attributes.x': { column: 'Notes', type: 'colour' } },
  ]) {
    const res = await postJson(stack, '/api/mappings', { name: 'bad', fields });
    expect(res.status, JSON.stringify(fields)).toBe(400);
  }
  const noColumn = await upload(
    stack,
    csv(
      ['Customer_ID', 'First_Name', 'Last_Name', 'Contact_Email', 'Sales_Amount'],
      [{ Customer_ID: '1', First_Name: 'A' }],
    ),
    {
      source: 'mapped',
      fields: { mappingId: String(await saveMapping(SEED_MAPPING)) },
    },
  );
  expect(noColumn.status).toBe(422);
  expect(noColumn.body.error.details.missing.sort()).toEqual(['Support_Ticket_Date', 'Tier', 'Visits']);
});
