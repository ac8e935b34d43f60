import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile, outcomeCounts, upload } from '../support/http';
import { csv, postJson, q, utf16le, windows874, xlsx } from '../support/sources';
import { startStack, type Stack } from '../support/stack';

const USERS = ['name', 'email', 'mobile', 'address', 'city', 'postcode', 'old_member_id'];
/** A semicolon file whose values hold commas, as a European or Thai spreadsheet saves it. */
const semicolons = (header: string[], rows: string[][]) => [header, ...rows].map((r) => r.join(';')).join('\n') + '\n';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

const importsOf = async () => (await q(stack, `SELECT count(*)::int AS n FROM imports`))[0].n as number;

describe('a declared delimiter', () => {
  it('reads a semicolon file with commas inside its values, and keeps the declaration with the import', async () => {
    const file = semicolons(USERS, [
      [
        'Somchai Dee',
        'somchai@example.com',
        '0812340001',
        '99/1 Sukhumvit Rd, Khlong Toei',
        'Bangkok, Thailand',
        '10110',
        'D-1',
      ],
      ['Anong Boonmee', 'anong@example.com', '0812340002', '7 Nimman Rd, Suthep', 'Chiang Mai', '50200', 'D-2'],
    ]);
    const done = await importFile(stack, file, { source: 'loyalty-users', fields: { delimiter: ';' } });
    expect(done.status).toBe('completed');
    expect(outcomeCounts(done)).toMatchObject({ created: 2, rejected: 0 });
    expect(done.options).toMatchObject({ delimiter: ';', encoding: 'auto' });
    const rows = await q(
      stack,
      `SELECT a.address, a.city FROM customer_addresses a JOIN customers c ON c.id = a.customer_id WHERE c.import_id = $1 ORDER BY a.postcode`,
      [done.id],
    );
    expect(rows).toEqual([
      { address: '99/1 Sukhumvit Rd, Khlong Toei', city: 'Bangkok, Thailand' },
      { address: '7 Nimman Rd, Suthep', city: 'Chiang Mai' },
    ]);
  });

  it('wins over detection where the header line itself misleads it', async () => {
    // Header names with commas: as many commas as semicolons, and detection keeps the comma.
    const header = ['Customer ID', 'Name (first, given)', 'Name (last, family)', 'Phone, mobile'];
    const saved = await postJson(stack, '/api/mappings', {
      name: 'semicolon export',
      fields: {
        external_id: { column: 'Customer ID' },
        first_name: { column: 'Name (first, given)' },
        last_name: { column: 'Name (last, family)' },
        phone: { column: 'Phone, mobile' },
      },
    });
    expect(saved.status).toBe(201);
    const file = semicolons(header, [['S-1', 'Preecha', 'Sookjai', '081-234-0003']]);
    const fields = { mappingId: String(saved.body.id) };
    const detected = await upload(stack, file, { source: 'mapped', fields });
    expect(detected.status).toBe(422);
    expect(detected.body.error.code).toBe('MAPPING_COLUMNS_MISSING');
    const done = await importFile(stack, file, { source: 'mapped', fields: { ...fields, delimiter: ';' } });
    expect(done.status).toBe('completed');
    expect(outcomeCounts(done)).toMatchObject({ created: 1, rejected: 0 });
    const [c] = await q(
      stack,
      `SELECT c.first_name, c.last_name, p.phone FROM customers c JOIN customer_phones p ON p.customer_id = c.id WHERE c.import_id = $1`,
      [done.id],
    );
    expect(c).toEqual({ first_name: 'Preecha', last_name: 'Sookjai', phone: '+66812340003' });
  });
});

describe('a declared encoding', () => {
  it('reads a Windows-874 (TIS-620) file as declared and records it', async () => {
    const file = windows874(
      csv(USERS, [
        {
          name: 'สมศรี ใจดี',
          email: 'somsri874@example.com',
          mobile: '0812340010',
          address: '12 ถนนสุขุมวิท',
          city: 'กรุงเทพ',
          postcode: '10110',
          old_member_id: 'T-1',
        },
      ]),
    );
    const done = await importFile(stack, file, { source: 'loyalty-users', fields: { encoding: 'tis-620' } });
    expect(done.status).toBe('completed');
    expect(done.options).toMatchObject({ encoding: 'windows-874', delimiter: 'auto' });
    const [imp] = await q(stack, `SELECT encoding FROM imports WHERE id = $1`, [done.id]);
    expect(imp.encoding).toBe('windows-874');
    const [c] = await q(
      stack,
      `SELECT c.first_name, c.last_name, a.address, a.city FROM customers c JOIN customer_addresses a ON a.customer_id = c.id WHERE c.import_id = $1`,
      [done.id],
    );
    expect(c).toEqual({ first_name: 'สมศรี', last_name: 'ใจดี', address: '12 ถนนสุขุมวิท', city: 'กรุงเทพ' });
  });
});

describe('a wrong declaration', () => {
  it('is refused naming the file and the line, before anything is staged', async () => {
    const before = await importsOf();
    const file = windows874(
      csv(USERS, [
        { name: 'Ascii Only', email: 'ascii@example.com', mobile: '0812340020', old_member_id: 'W-1' },
        { name: 'มานี มีนา', email: 'manee@example.com', mobile: '0812340021', old_member_id: 'W-2' },
      ]),
    );
    const res = await upload(stack, file, {
      source: 'loyalty-users',
      fileName: 'สมาชิก.csv',
      fields: { encoding: 'utf-8' },
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'INVALID_ENCODING', details: { line: 3, encoding: 'utf-8' } });
    expect(res.body.error.message).toMatch(/^สมาชิก\.csv: line 3 is not valid UTF-8/);
    expect(await importsOf()).toBe(before);
    const replaced = await q(
      stack,
      `SELECT count(*)::int AS n FROM import_rows WHERE record::text LIKE '%' || chr(65533) || '%'`,
    );
    expect(replaced[0].n).toBe(0);
  });

  it('is refused when a byte order mark, the header line or the file type contradicts it', async () => {
    const before = await importsOf();
    const bom = await upload(
      stack,
      utf16le(csv(USERS, [{ name: 'A B', email: 'a@example.com', mobile: '0812340030' }])),
      { source: 'loyalty-users', fields: { encoding: 'windows-874' } },
    );
    expect(bom.status).toBe(422);
    expect(bom.body.error.code).toBe('ENCODING_MISMATCH');
    const comma = await upload(stack, semicolons(USERS, [['A B', 'a@example.com', '0812340031', '', '', '', '']]), {
      source: 'loyalty-users',
      fileName: 'm.csv',
      fields: { delimiter: ',' },
    });
    expect(comma.status).toBe(422);
    expect(comma.body.error).toMatchObject({
      code: 'DELIMITER_MISMATCH',
      details: { line: 1, delimiter: ',', detected: ';' },
    });
    expect(comma.body.error.message).toMatch(/^m\.csv: line 1 has no "," outside quotes/);
    const workbook = await upload(
      stack,
      await xlsx(USERS, [{ name: 'A B', email: 'a@example.com', mobile: '0812340032' }]),
      { source: 'loyalty-users', fileName: 'm.xlsx', fields: { encoding: 'utf-8', delimiter: 'tab' } },
    );
    expect(workbook.status).toBe(422);
    expect(workbook.body.error).toMatchObject({
      code: 'OPTION_NOT_FOR_XLSX',
      details: { options: ['encoding', 'delimiter'] },
    });
    const unknown = await upload(stack, csv(USERS, []), { source: 'loyalty-users', fields: { encoding: 'latin1' } });
    expect(unknown.status).toBe(400);
    expect(await importsOf()).toBe(before);
  });
});
