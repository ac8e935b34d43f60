import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NANA_HEADER, upload } from '../support/http';
import { startStack, type Stack } from '../support/stack';
import { expectUploadDirEmpty, multipartBody, postRaw } from './api-support';
import { sheetXml, workbookParts, zipOf, zipParts } from '../support/zip';

// Upload cases 1-12 of the bad-input table in shared/notes/reliability.md (30 is in api-reports).
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ maxUploadBytes: 128 * 1024 });
});
afterAll(async () => stack?.close());
afterEach(async () => expectUploadDirEmpty(stack));

const row = (n: number) => `,U${n},F,Somsri,Jaidee,,,08123456${String(n).padStart(2, '0')},,`;
const csv = (n: number) => `${NANA_HEADER}\n${row(n)}\n`;
const importCount = async () => (await stack.pool.query(`SELECT count(*)::int AS n FROM imports`)).rows[0].n as number;

async function expectRejected(res: { status: number; body: any }, status: number, code: string, before: number) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({
    error: {
      code,
      message: expect.any(String),
      ...(res.body.error.details !== undefined ? { details: res.body.error.details } : {}),
    },
  });
  expect(await importCount()).toBe(before);
}

describe('1-2: empty and oversized files', () => {
  it('1: answers 400 EMPTY_FILE for a 0-byte upload, starts no workflow, keeps no temp file', async () => {
    const before = await importCount();
    await expectRejected(await upload(stack, Buffer.alloc(0)), 400, 'EMPTY_FILE', before);
  });

  it('2: answers 413 LIMIT_FILE_SIZE over MAX_UPLOAD_BYTES and deletes the partial file', async () => {
    const before = await importCount();
    const big = `${NANA_HEADER}\n${`${row(1)}\n`.repeat(6000)}`;
    await expectRejected(await upload(stack, big), 413, 'LIMIT_FILE_SIZE', before);
  });
});

describe('3-8: the type comes from the bytes, and no spreadsheet is parsed', () => {
  it('3: a .csv holding ZIP bytes is refused; a .xlsx name on CSV bytes is read as the CSV it is', async () => {
    const before = await importCount();
    await expectRejected(
      await upload(stack, zipOf({ 'x.txt': 'hello' }), { fileName: 'customers.csv' }),
      422,
      'UNSUPPORTED_FILE_TYPE',
      before,
    );
    const renamed = await upload(stack, csv(3), { fileName: 'customers.xlsx', fields: { dryRun: 'true' } });
    expect(renamed.status).toBe(202);
  });

  it('3: PNG and EXE bytes named .xlsx or .csv are refused NOT_TEXT', async () => {
    const before = await importCount();
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      Buffer.from('IHDR'),
    ]);
    const exe = Buffer.concat([
      Buffer.from('MZ'),
      Buffer.alloc(64),
      Buffer.from('This program cannot be run in DOS mode'),
    ]);
    await expectRejected(await upload(stack, png, { fileName: 'customers.xlsx' }), 422, 'NOT_TEXT', before);
    await expectRejected(await upload(stack, exe, { fileName: 'customers.csv' }), 422, 'NOT_TEXT', before);
  });

  it('4: a text file with NUL bytes is refused NOT_TEXT', async () => {
    const before = await importCount();
    await expectRejected(
      await upload(stack, Buffer.from(`${NANA_HEADER}\n,N1\u0000\u0000,F,A,B,,,0812345678,,\n`)),
      422,
      'NOT_TEXT',
      before,
    );
  });

  it('5: a legacy .xls or password-protected workbook (CFB) is refused with what to do', async () => {
    const before = await importCount();
    const cfb = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    const res = await upload(stack, cfb, { fileName: 'customers.xls' });
    await expectRejected(res, 422, 'UNSUPPORTED_FILE_TYPE', before);
    expect(res.body.error.message).toMatch(/password/);
  });

  it('6: a zip bomb (4 MiB of XML in a few KiB) is refused before it is expanded', async () => {
    const before = await importCount();
    const bomb = zipOf({
      '[Content_Types].xml': '<Types/>',
      'xl/workbook.xml': '<workbook/>',
      'xl/worksheets/sheet1.xml': Buffer.alloc(4 * 1024 * 1024, 0x20),
    });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const res = await upload(stack, bomb, { fileName: 'customers.xlsx' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('XLSX_TOO_LARGE');
    // Refused on the sizes the ZIP declares, read before any part is inflated (inflating says "inflates to").
    expect(res.body.error.message).toMatch(/expands to more than the allowed size/);
    expect(await importCount()).toBe(before);
  });

  it('7: a workbook with a DTD or ENTITY (XXE, billion laughs) is refused, nothing expanded or fetched', async () => {
    const before = await importCount();
    const dtd =
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd"><!ENTITY b "&a;&a;&a;">]><workbook>&b;</workbook>';
    const xxe = zipParts(
      workbookParts(sheetXml('')).map((p) => (p.name === 'xl/workbook.xml' ? { ...p, data: dtd } : p)),
    );
    await expectRejected(await upload(stack, xxe, { fileName: 'customers.xlsx' }), 422, 'XLSX_DTD', before);
  });

  it('8: a ZIP that is not a workbook is refused UNSUPPORTED_FILE_TYPE', async () => {
    const before = await importCount();
    const sheets = zipOf(
      Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`xl/worksheets/sheet${i + 1}.xml`, '<worksheet/>'])),
    );
    await expectRejected(
      await upload(stack, sheets, { fileName: 'customers.xlsx' }),
      422,
      'UNSUPPORTED_FILE_TYPE',
      before,
    );
  });

  it('8: a real workbook with 120 sheets is refused with a clear 422, not a 500', async () => {
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    for (let i = 0; i < 120; i++) wb.addWorksheet(`s${i}`);
    const res = await upload(stack, Buffer.from(await wb.xlsx.writeBuffer()), { fileName: 'customers.xlsx' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('XLSX_TOO_MANY_SHEETS');
  });
});

describe('9: file names are display names only', () => {
  it('stores a sanitised, capped name whatever the client sends, and keeps staging under a random name', async () => {
    const names = [
      '../../x.csv',
      `${'n'.repeat(5000)}.csv`,
      'report\u202Evsc.exe',
      '..\\..\\windows\\evil.csv',
      'semi;colon ลูกค้า.csv',
    ];
    for (const [i, name] of names.entries()) {
      const boundary = `ferry${i}`;
      const body = multipartBody(
        [
          { name: 'source', content: 'nana' },
          { name: 'dryRun', content: 'true' },
          { name: 'file', filename: name, content: csv(10 + i) },
        ],
        boundary,
      );
      const res = await postRaw(stack, body, `multipart/form-data; boundary=${boundary}`);
      expect(res.status, name.slice(0, 20)).toBe(202);
      const { rows } = await stack.pool.query(`SELECT file_name FROM imports WHERE id = $1`, [res.body.id]);
      const stored: string = rows[0].file_name;
      expect(stored).not.toMatch(/[/\\\u0000\u202e]/);
      expect(stored.length).toBeLessThanOrEqual(200);
      expect(stored).not.toMatch(/^\.\./);
      expect(stored).not.toMatch(/[\u0000-\u001f]/);
    }
  });

  it('refuses a NUL in the file name as a malformed body (busboy) rather than storing it', async () => {
    const body = multipartBody(
      [
        { name: 'source', content: 'nana' },
        { name: 'file', filename: 'a\u0000b.csv', content: csv(19) },
      ],
      'nul',
    );
    const res = await postRaw(stack, body, 'multipart/form-data; boundary=nul');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_MULTIPART');
  });
});

describe('10: malformed multipart and aborted uploads', () => {
  it('answers 400 for an empty field name, a broken boundary, a body cut short and deeply nested field names', async () => {
    const before = await importCount();
    const emptyName = multipartBody(
      [
        { name: '', content: 'x' },
        { name: 'file', filename: 'a.csv', content: csv(20) },
      ],
      'b1',
    );
    const cases: [string, Buffer | string, string][] = [
      ['empty field name', emptyName, 'multipart/form-data; boundary=b1'],
      [
        'boundary not in body',
        multipartBody([{ name: 'file', filename: 'a.csv', content: csv(21) }], 'other'),
        'multipart/form-data; boundary=b2',
      ],
      ['no boundary parameter', 'garbage', 'multipart/form-data'],
      [
        'cut short',
        multipartBody([{ name: 'file', filename: 'a.csv', content: csv(22) }], 'b3').subarray(0, 120),
        'multipart/form-data; boundary=b3',
      ],
      [
        'broken part header',
        '--b4\r\nContent-Disposition form-data name\r\n\r\nx\r\n--b4--\r\n',
        'multipart/form-data; boundary=b4',
      ],
      [
        'deep nesting',
        multipartBody(
          [
            { name: `a${'[x]'.repeat(500)}`, content: '1' },
            { name: 'file', filename: 'a.csv', content: csv(23) },
          ],
          'b5',
        ),
        'multipart/form-data; boundary=b5',
      ],
    ];
    for (const [what, body, type] of cases) {
      const res = await postRaw(stack, body, type);
      expect(res.status, what).toBe(400);
      expect(res.body.error.code, what).toMatch(/^[A-Z_]+$/);
    }
    expect(await importCount()).toBe(before);
    expect((await fetch(`${stack.baseUrl}/healthz`)).status).toBe(200);
  });

  it('survives a client that goes away mid-upload and removes the partial file', async () => {
    const boundary = 'abort';
    const head = multipartBody([{ name: 'source', content: 'nana' }], boundary).subarray(
      0,
      -`--${boundary}--\r\n`.length,
    );
    const fileHead = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n${NANA_HEADER}\n`,
    );
    const url = new URL(`${stack.baseUrl}/api/imports`);
    await new Promise<void>((resolve) => {
      const req = request({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          authorization: `Bearer ${stack.adminToken}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': 60 * 1024,
        },
      });
      req.on('error', () => resolve());
      req.write(Buffer.concat([head, fileHead, Buffer.from(`${row(30)}\n`.repeat(200))]));
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 300);
    });
    await expectUploadDirEmpty(stack);
    expect((await fetch(`${stack.baseUrl}/healthz`)).status).toBe(200);
    expect((await upload(stack, csv(31), { fields: { dryRun: 'true' } })).status).toBe(202);
  });
});

describe('11: one file, in the field "file"', () => {
  it('answers 400 for two files or a file in another field', async () => {
    const before = await importCount();
    const two = multipartBody(
      [
        { name: 'source', content: 'nana' },
        { name: 'file', filename: 'a.csv', content: csv(40) },
        { name: 'file', filename: 'b.csv', content: csv(41) },
      ],
      'two',
    );
    const twoRes = await postRaw(stack, two, 'multipart/form-data; boundary=two');
    await expectRejected(twoRes, 400, 'LIMIT_FILE_COUNT', before);
    const other = multipartBody(
      [
        { name: 'source', content: 'nana' },
        { name: 'attachment', filename: 'a.csv', content: csv(42) },
      ],
      'oth',
    );
    await expectRejected(
      await postRaw(stack, other, 'multipart/form-data; boundary=oth'),
      400,
      'LIMIT_UNEXPECTED_FILE',
      before,
    );
  });
});

describe('12: Excel "CSV UTF-8"', () => {
  it('reads a BOM and a quoted first header cell as the column, not as \\ufeff"careos_cus_id"', async () => {
    const header = NANA_HEADER.split(',')
      .map((h, i) => (i === 0 ? `"${h}"` : h))
      .join(',');
    const res = await upload(stack, `\ufeff${header}\r\n${row(50)}\r\n`, { fields: { dryRun: 'true' } });
    expect(res.status).toBe(202);
    const { rows } = await stack.pool.query(`SELECT header FROM imports WHERE id = $1`, [res.body.id]);
    expect(rows[0].header[0]).toEqual({ original: 'careos_cus_id', column: 'careos_cus_id' });
  });
});
