import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileRejectedError } from '../../src/errors';
import { detectDelimiter, MAX_COLUMNS, readRecords, type RawRecord } from '../../src/files/read-records';
import type { TextEncoding } from '../../src/files/text-encoding';

const dir = mkdtempSync(path.join(tmpdir(), 'ferry-read-records-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function writeFile(content: string | Buffer): string {
  fileCount += 1;
  const file = path.join(dir, `upload-${fileCount}.csv`);
  writeFileSync(file, content);
  return file;
}

async function read(content: string | Buffer, options: { encoding?: TextEncoding; delimiter?: string } = {}) {
  const file = writeFile(content);
  let header: string[] | null = null;
  const records: RawRecord[] = [];
  for await (const item of readRecords(file, 'customers.csv', options.encoding ?? 'utf-8', options.delimiter ?? ',')) {
    if ('header' in item) header = item.header;
    else records.push(item);
  }
  return { header, records };
}

/** Where each record starts, as [rowNumber, lineNumber, first field]. */
function positions(records: RawRecord[]): [number, number, string][] {
  return records.map((r) => [r.rowNumber, r.lineNumber, r.fields[0]]);
}

async function rejection(
  content: string | Buffer,
  options: { encoding?: TextEncoding; delimiter?: string } = {},
): Promise<FileRejectedError> {
  try {
    await read(content, options);
  } catch (err) {
    expect(err).toBeInstanceOf(FileRejectedError);
    return err as FileRejectedError;
  }
  throw new Error('expected the file to be rejected');
}

describe('detectDelimiter', () => {
  it('picks the comma for a comma-separated header', () => {
    expect(detectDelimiter('nana_cus_id,firstname,lastname,phone')).toBe(',');
  });

  it('picks the semicolon for a header written by a European spreadsheet', () => {
    expect(detectDelimiter('nana_cus_id;firstname;lastname;phone')).toBe(';');
  });

  it('picks the tab for a tab-separated header', () => {
    expect(detectDelimiter('nana_cus_id\tfirstname\tlastname\tphone')).toBe('\t');
  });

  it('picks the pipe for a pipe-separated header', () => {
    expect(detectDelimiter('nana_cus_id|firstname|lastname')).toBe('|');
  });

  it('ignores delimiters inside quoted header cells', () => {
    expect(detectDelimiter('"id, as text, really";firstname;lastname')).toBe(';');
  });

  it('falls back to the comma for a header of one cell', () => {
    expect(detectDelimiter('nana_cus_id')).toBe(',');
  });
});

describe('readRecords: rows and line numbers', () => {
  it('yields the header first, then data records numbered from 1 with the line they start on', async () => {
    const { header, records } = await read('id,name\nN1,Somsri\nN2,Anan\n');
    expect(header).toEqual(['id', 'name']);
    expect(records).toEqual([
      { rowNumber: 1, lineNumber: 2, fields: ['N1', 'Somsri'] },
      { rowNumber: 2, lineNumber: 3, fields: ['N2', 'Anan'] },
    ]);
  });

  it('reads the last record when the file does not end with a newline', async () => {
    const { records } = await read('id,name\nN1,Somsri');
    expect(records).toEqual([{ rowNumber: 1, lineNumber: 2, fields: ['N1', 'Somsri'] }]);
  });

  it('gives a record with a quoted field spanning lines the line it starts on, and counts its lines for the next', async () => {
    const { records } = await read('id,note\nN1,"first line\nsecond line\nthird line"\nN2,short\n');
    expect(records[0].fields).toEqual(['N1', 'first line\nsecond line\nthird line']);
    expect(positions(records)).toEqual([
      [1, 2, 'N1'],
      [2, 5, 'N2'],
    ]);
  });

  it('skips blank lines without counting them as rows, yet keeps the line numbers true', async () => {
    const { records } = await read('id,name\n\nN1,Somsri\n\n\nN2,Anan\n\n');
    expect(positions(records)).toEqual([
      [1, 3, 'N1'],
      [2, 6, 'N2'],
    ]);
  });

  it('skips a blank line between the header and the first record', async () => {
    const { header, records } = await read('\nid,name\n\nN1,Somsri\n');
    expect(header).toEqual(['id', 'name']);
    expect(positions(records)).toEqual([[1, 4, 'N1']]);
  });

  it('skips a line of only delimiters, yet keeps the line numbers true', async () => {
    const { records } = await read('id,name\nN1,Somsri\n,\nN2,Anan\n');
    expect(positions(records)).toEqual([
      [1, 2, 'N1'],
      [2, 4, 'N2'],
    ]);
  });

  it('keeps records with more or fewer fields than the header for the row checks to report', async () => {
    const { records } = await read('id,name\nN1\nN2,Anan,extra\n');
    expect(records.map((r) => r.fields)).toEqual([['N1'], ['N2', 'Anan', 'extra']]);
  });
});

describe('readRecords: line endings', () => {
  it('never merges rows when CRLF, LF and lone CR line endings are mixed', async () => {
    const { header, records } = await read('id,name\r\nN1,Somsri\rN2,Anan\nN3,Malee\r\nN4,Chai\r');
    expect(header).toEqual(['id', 'name']);
    expect(positions(records)).toEqual([
      [1, 2, 'N1'],
      [2, 3, 'N2'],
      [3, 4, 'N3'],
      [4, 5, 'N4'],
    ]);
    expect(records.map((r) => r.fields[1])).toEqual(['Somsri', 'Anan', 'Malee', 'Chai']);
  });

  it('reads a file with only old-Mac CR line endings', async () => {
    const { records } = await read('id,name\rN1,Somsri\rN2,Anan\r');
    expect(positions(records)).toEqual([
      [1, 2, 'N1'],
      [2, 3, 'N2'],
    ]);
  });

  it('treats a CRLF split across two read chunks as one line ending', async () => {
    // createReadStream reads 64 KiB at a time: put the CR last in the first chunk and the LF first in the next.
    const chunk = 64 * 1024;
    const head = 'id,note\n';
    const first = `N1,${'x'.repeat(chunk - head.length - 'N1,'.length - 1)}\r`;
    const content = `${head}${first}\nN2,after\n`;
    expect(Buffer.byteLength(`${head}${first}`)).toBe(chunk);
    const { records } = await read(content);
    expect(positions(records)).toEqual([
      [1, 2, 'N1'],
      [2, 3, 'N2'],
    ]);
    expect(records[0].fields[1]).not.toContain('\r');
  });

  it('turns CRLF inside a quoted field into LF', async () => {
    const { records } = await read('id,note\r\nN1,"a\r\nb"\r\n');
    expect(records[0].fields[1]).toBe('a\nb');
  });
});

describe('readRecords: delimiters and quotes', () => {
  it('reads a semicolon-separated file with the detected delimiter', async () => {
    const content = 'nana_cus_id;firstname;company_name\nN1;Somsri;"Rabbit Care Co., Ltd."\n';
    const { header, records } = await read(content, { delimiter: detectDelimiter(content.split('\n')[0]) });
    expect(header).toEqual(['nana_cus_id', 'firstname', 'company_name']);
    expect(records[0].fields).toEqual(['N1', 'Somsri', 'Rabbit Care Co., Ltd.']);
  });

  it('reads a tab-separated file with the detected delimiter', async () => {
    const content = 'nana_cus_id\tfirstname\tphone\nN1\tSomsri, Jr\t081-234-5678\n';
    const { records } = await read(content, { delimiter: detectDelimiter(content.split('\n')[0]) });
    expect(records[0].fields).toEqual(['N1', 'Somsri, Jr', '081-234-5678']);
  });

  it('keeps a bare quote inside an unquoted field literally', async () => {
    const { records } = await read('id,location\nN1,37°36\'37.8"N 122°22\'30.1"W\nN2,ok\n');
    expect(records.map((r) => r.fields)).toEqual([
      ['N1', '37°36\'37.8"N 122°22\'30.1"W'],
      ['N2', 'ok'],
    ]);
  });

  it('unescapes doubled quotes inside a quoted field', async () => {
    const { records } = await read('id,nickname\nN1,"Somsri ""Som"" Jaidee"\n');
    expect(records[0].fields[1]).toBe('Somsri "Som" Jaidee');
  });

  it('rejects the file with CSV_QUOTE_NOT_CLOSED when a quoted field is never closed', async () => {
    const err = await rejection('id,name\nN1,Somsri\nN2,"Anan\nN3,Malee\n');
    expect(err.code).toBe('CSV_QUOTE_NOT_CLOSED');
    expect(err.status).toBe(422);
    expect(err.message).toContain('customers.csv');
  });

  it(`rejects a file with more than ${MAX_COLUMNS} columns as TOO_MANY_COLUMNS`, async () => {
    const header = Array.from({ length: MAX_COLUMNS + 1 }, (_, i) => `c${i}`).join(',');
    const err = await rejection(`${header}\n`);
    expect(err.code).toBe('TOO_MANY_COLUMNS');
  });

  it(`reads a file with exactly ${MAX_COLUMNS} columns`, async () => {
    const header = Array.from({ length: MAX_COLUMNS }, (_, i) => `c${i}`).join(',');
    const { header: cells } = await read(`${header}\n`);
    expect(cells).toHaveLength(MAX_COLUMNS);
  });
});

describe('readRecords: encodings', () => {
  it('decodes a UTF-16LE file', async () => {
    const { header, records } = await read(Buffer.from('id,name\nN1,สมศรี\n', 'utf16le'), { encoding: 'utf-16le' });
    expect(header).toEqual(['id', 'name']);
    expect(records[0].fields).toEqual(['N1', 'สมศรี']);
  });

  it('decodes a Windows-874 (Thai) file', async () => {
    // สมศรี in Windows-874 / TIS-620
    const name = Buffer.from([0xca, 0xc1, 0xc8, 0xc3, 0xd5]);
    const content = Buffer.concat([Buffer.from('id,name\nN1,'), name, Buffer.from('\n')]);
    const { records } = await read(content, { encoding: 'windows-874' });
    expect(records[0].fields).toEqual(['N1', 'สมศรี']);
  });

  it('rejects bytes that are not valid in the given encoding as INVALID_ENCODING', async () => {
    const content = Buffer.concat([Buffer.from('id,name\nN1,'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('\n')]);
    const err = await rejection(content);
    expect(err.code).toBe('INVALID_ENCODING');
  });
});
