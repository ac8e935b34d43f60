import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { importFile, outcomeCounts, upload } from '../support/http';
import { csv, customersByName, q, utf16le, windows874, xlsx } from '../support/sources';
import { startStack, type Stack } from '../support/stack';

const USERS = ['name', 'email', 'mobile', 'dob', 'city', 'postcode', 'old_member_id'];
const ROWS = [
  {
    name: 'สมศรี ใจดี',
    email: 'somsri@example.com',
    mobile: '0812345678',
    dob: '1988-04-12',
    city: 'กรุงเทพ',
    postcode: '01234',
    old_member_id: 'F-1',
  },
  {
    name: 'Anan Suk',
    email: 'anan@example.com',
    mobile: '0899999999',
    dob: '',
    city: 'Chiang Mai',
    postcode: '50000',
    old_member_id: 'F-2',
  },
];

describe('the same customers from every file format', () => {
  const states: Record<string, unknown> = {};
  const files: [string, () => Promise<Buffer | string>, string][] = [
    ['utf-8', async () => csv(USERS, ROWS), 'users.csv'],
    ['windows-874', async () => windows874(csv(USERS, ROWS)), 'users.csv'],
    ['utf-16', async () => utf16le(csv(USERS, ROWS).replace(/,/g, '\t')), 'users.txt'],
    ['xlsx', async () => xlsx(USERS, ROWS), 'users.xlsx'],
  ];
  for (const [label, make, fileName] of files) {
    it(`imports the file as ${label}`, async () => {
      const stack = await startStack();
      try {
        const done = await importFile(stack, await make(), { source: 'loyalty-users', fileName });
        expect(done.status).toBe('completed');
        expect(outcomeCounts(done)).toMatchObject({ created: 2, rejected: 0 });
        states[label] = await customersByName(stack);
      } finally {
        await stack.close();
      }
    });
  }
  it('gives identical database contents', () => {
    expect(states['utf-8']).toMatchObject([
      { first_name: 'Anan' },
      { first_name: 'สมศรี', last_name: 'ใจดี', addresses: ['|กรุงเทพ|01234'] },
    ]);
    for (const label of ['windows-874', 'utf-16', 'xlsx']) expect(states[label]).toEqual(states['utf-8']);
  });
});

describe('.xlsx cells', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.close());

  it('reads a chosen sheet, numbers with leading-zero formats, real dates without a time-zone shift and formulas by their cached value', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Notes').addRow(['not', 'this']);
    const ws = wb.addWorksheet('Members');
    ws.addRow(['careshop_id', 'firstname', 'lastname', 'mobile_phone', 'email']);
    ws.addRow([{ formula: '"CS-"&"9"', result: 'CS-9' }, 'Excel', 'Cells', 812345678, 'x@example.com']);
    ws.getCell('D2').numFmt = '0000000000';
    ws.addRow(['CS-10', 'Dated', new Date(Date.UTC(1990, 0, 31)), '0898887777', '']);
    const done = await importFile(stack, Buffer.from(await wb.xlsx.writeBuffer()), {
      source: 'careshop',
      fileName: 'shop.xlsx',
      fields: { sheet: 'Members' },
    });
    expect(done.status).toBe('completed');
    const rows = await q(
      stack,
      `SELECT c.first_name, c.last_name, p.phone, r.original_id FROM customers c JOIN customer_phones p ON p.customer_id = c.id JOIN customer_relations r ON r.customer_id = c.id ORDER BY r.original_id`,
    );
    expect(rows).toEqual([
      { first_name: 'Dated', last_name: '1990-01-31', phone: '+66898887777', original_id: 'CS-10' },
      { first_name: 'Excel', last_name: 'Cells', phone: '+66812345678', original_id: 'CS-9' },
    ]);
    const [imp] = await q(stack, `SELECT encoding FROM imports WHERE id = $1`, [done.id]);
    expect(imp.encoding).toBe('xlsx');
  });

  it('refuses a ZIP with parts a workbook does not have, and a workbook with a DTD', async () => {
    const wb = await xlsx(['a'], [{ a: '1' }]);
    const notXlsx = await upload(
      stack,
      Buffer.from(wb.toString('latin1').replaceAll('xl/workbook.xml', 'xl/workbook.xmX'), 'latin1'),
      { source: 'careshop', fileName: 'x.xlsx' },
    );
    expect(notXlsx.body.error.code, 'a part outside the allow-list').toBe('XLSX_UNKNOWN_PART');
    const damaged = await upload(
      stack,
      Buffer.from(wb.toString('latin1').replace('xl/workbook.xml', 'xl/workbook.xmX'), 'latin1'),
      { source: 'careshop', fileName: 'x.xlsx' },
    );
    expect(damaged.status).toBe(422);
    const dtd = await makeWithDtd();
    const res = await upload(stack, dtd, { source: 'careshop', fileName: 'dtd.xlsx' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('XLSX_DTD');
  });
});

/** A workbook whose shared strings declare an entity (the billion-laughs shape), written uncompressed. */
async function makeWithDtd(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('S').addRow(['careshop_id', 'firstname', 'lastname', 'mobile_phone']);
  const plain = Buffer.from(await wb.xlsx.writeBuffer({ zip: { compression: 'STORE' } } as never));
  const text = plain.toString('latin1');
  const marker = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst';
  const i = text.indexOf(marker);
  if (i < 0) throw new Error('no shared strings part');
  const evil = '<!DOCTYPE s [<!ENTITY a "aa">]><s';
  // Same length, so the stored sizes and offsets stay right; yauzl does not check CRCs of what it is not asked to.
  return Buffer.from(
    text.slice(0, i) + marker.slice(0, marker.length - evil.length) + evil + text.slice(i + marker.length),
    'latin1',
  );
}
