import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FileRejectedError } from '../../src/errors';
import { readRecords, type RawRecord } from '../../src/files/read-records';

const dir = mkdtempSync(path.join(tmpdir(), 'ferry-read-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
async function read(content: string): Promise<{ header: string[] | null; records: RawRecord[] }> {
  fileCount += 1;
  const file = path.join(dir, `lines-${fileCount}.csv`);
  writeFileSync(file, content);
  let header: string[] | null = null;
  const records: RawRecord[] = [];
  for await (const item of readRecords(file, 'customers.csv', 'utf-8', ',')) {
    if ('header' in item) header = item.header;
    else records.push(item);
  }
  return { header, records };
}

const lines = (records: RawRecord[]) => records.map((r) => [r.rowNumber, r.lineNumber]);

/**
 * The reader as it was: csv-parse's `info: true` snapshot per record, on the text with line endings
 * made LF. readRecords reads the parser's live counters instead; both must agree on every input.
 */
function byInfoSnapshot(content: string): { header: string[] | null; records: RawRecord[] } | { error: string } {
  const text = content.replace(/\r\n?/g, '\n');
  type WithInfo = { record: string[]; info: { lines: number; empty_lines: number } };
  let parsed: WithInfo[];
  try {
    const options = {
      record_delimiter: '\n',
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: 1 << 20,
      info: true,
    };
    parsed = parse(text, options) as unknown as WithInfo[];
  } catch (err) {
    return { error: (err as { code: string }).code };
  }
  let header: string[] | null = null;
  const records: RawRecord[] = [];
  let prevEnd = 0;
  let prevEmpty = 0;
  for (const { record, info } of parsed) {
    const lineNumber = prevEnd + 1 + (info.empty_lines - prevEmpty);
    prevEnd = info.lines;
    prevEmpty = info.empty_lines;
    if (record.every((f) => f.trim() === '')) continue;
    if (header === null) header = record;
    else records.push({ rowNumber: records.length + 1, lineNumber, fields: record });
  }
  return { header, records };
}

describe('readRecords: line numbers without per-record info', () => {
  it('counts every line of a quoted field, then the empty lines after it', async () => {
    const { records } = await read('id,note\nN1,"a\n\nb"\n\n\nN2,x\n');
    expect(records[0].fields[1]).toBe('a\n\nb');
    expect(lines(records)).toEqual([
      [1, 2],
      [2, 7],
    ]);
  });

  it('counts CRLF inside a quoted field as one line each', async () => {
    const { records } = await read('id,note\r\nN1,"a\r\nb\r\nc"\r\n\r\nN2,x\r\n');
    expect(lines(records)).toEqual([
      [1, 2],
      [2, 6],
    ]);
  });

  it('counts lines of only delimiters and of only spaces, which are not records', async () => {
    const { records } = await read('id,name\n,,\n  ,\n\nN1,a\n,\n" ",""\nN2,b');
    expect(lines(records)).toEqual([
      [1, 5],
      [2, 8],
    ]);
  });

  it('numbers records after empty lines before the header, and one that starts with a quoted line break', async () => {
    const { header, records } = await read('\n\nid,note\n"\nN1",a\nN2,b\n');
    expect(header).toEqual(['id', 'note']);
    expect(lines(records)).toEqual([
      [1, 4],
      [2, 6],
    ]);
  });

  it('keeps exact lines when records and quoted line breaks cross read chunks', async () => {
    // createReadStream reads 64 KiB at a time: about 300 KiB puts many records on chunk edges.
    const rows = Array.from({ length: 4000 }, (_, i) =>
      i % 7 === 0
        ? `N${i},"multi\nline ${'y'.repeat(i % 50)}"\n${i % 11 === 0 ? '\n' : ''}`
        : `N${i},${'x'.repeat(i % 90)}\n`,
    );
    const content = `id,note\n${rows.join('')}`;
    const { records } = await read(content);
    const expected = byInfoSnapshot(content);
    expect('records' in expected && lines(expected.records)).toEqual(lines(records));
    expect(records).toHaveLength(4000);
  });

  it('agrees with the per-record info snapshot on any mix of quotes, delimiters and line endings', async () => {
    const piece = fc.constantFrom('a', 'b', ',', '"', '""', '\n', '\r', '\r\n', ' ', 'ก');
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 60 }), async (pieces) => {
        const content = `id,v\n${pieces.join('')}`;
        const expected = byInfoSnapshot(content);
        if ('error' in expected) {
          await expect(read(content)).rejects.toSatisfy(
            (err) => err instanceof FileRejectedError && err.code === expected.error,
          );
          return;
        }
        expect(await read(content)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
