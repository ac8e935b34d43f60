import { Writable } from 'node:stream';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { copyStagedData } from '../../src/db/queries/staged-rows';
import { copyField } from '../../src/db/copy-text';
import { stagedCopyData } from '../../src/db/staged-row-text';
import type { RawRecord } from '../../src/files/read-records';
import { toStagedRow } from '../../src/imports/staged-record';

/** What copyStagedData sends to COPY, one string per data chunk, with no database: the records staged in batches of 1,000 as the parse process stages them. */
async function copyText(raws: RawRecord[], columns: (string | null)[]): Promise<{ count: number; chunks: string[] }> {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const client = { query: () => sink } as unknown as pg.PoolClient;
  const toRow = toStagedRow(columns);
  async function* batches() {
    for (let i = 0; i < raws.length; i += 1_000) yield stagedCopyData(7, raws.slice(i, i + 1_000).map(toRow));
  }
  const count = await copyStagedData(client, batches());
  return { count, chunks };
}

const raw = (rowNumber: number, fields: string[]): RawRecord => ({ rowNumber, lineNumber: rowNumber + 1, fields });

describe('toStagedRow, stagedCopyData and copyStagedData: the COPY text', () => {
  it('maps fields to columns as JSON with backslashes doubled, and notes COLUMN_COUNT and NUL_CHAR in order', async () => {
    const columns = ['id', 'note', null];
    const { count, chunks } = await copyText(
      [
        raw(1, ['N1', 'plain', '']),
        raw(2, ['N2', 'say "hi"\\.\tthere']),
        raw(3, ['N3']),
        raw(4, ['N4', 'x', '', 'extra']),
        raw(5, ['N5', 'x', '', '']),
        raw(6, ['N\u00006', 'a\u0000b']),
        raw(7, ['N\u00007']),
        raw(8, ['\\.', 'สมศรี']),
      ],
      columns,
    );
    expect(count).toBe(8);
    expect(chunks.join('')).toBe(
      [
        '7\t1\t2\t{"id":"N1","note":"plain"}\t\\N',
        '7\t2\t3\t{"id":"N2","note":"say \\\\"hi\\\\"\\\\\\\\.\\\\tthere"}\t\\N',
        '7\t3\t4\t{"id":"N3","note":""}\t{COLUMN_COUNT}',
        '7\t4\t5\t{"id":"N4","note":"x"}\t{COLUMN_COUNT}',
        '7\t5\t6\t{"id":"N5","note":"x"}\t\\N',
        '7\t6\t7\t{"id":"N6","note":"ab"}\t{NUL_CHAR}',
        '7\t7\t8\t{"id":"N7","note":""}\t{COLUMN_COUNT,NUL_CHAR}',
        '7\t8\t9\t{"id":"\\\\\\\\.","note":"สมศรี"}\t\\N',
        '',
      ].join('\n'),
    );
  });

  it('counts every record across batches and sends each batch as whole lines', async () => {
    const raws = Array.from({ length: 4500 }, (_, i) => raw(i + 1, [`N${i + 1}`, 'v']));
    const { count, chunks } = await copyText(raws, ['id', 'note']);
    expect(count).toBe(4500);
    expect(chunks).toHaveLength(5);
    for (const chunk of chunks) expect(chunk.endsWith('\n')).toBe(true);
    const lines = chunks.join('').split('\n').slice(0, -1);
    expect(lines).toHaveLength(4500);
    expect(lines[4499]).toBe('7\t4500\t4501\t{"id":"N4500","note":"v"}\t\\N');
  });

  it('writes each record as COPY escapes JSON.stringify, for large values, quotes, control characters and surrogates', () => {
    const big = 'x'.repeat(70_000);
    const records: Record<string, string>[] = [
      { a: big, b: 'short' },
      { a: `${big}\\"\t\n`, b: 'q"uote\\' },
      { a: 'ctl\u0001\u001f', b: 'emoji \u{1F600}', c: 'lone \ud800 and \udfff' },
      { 'ke"y\\': `${big}\ud83d`, b: 'สมศรี' },
    ];
    const rows = records.map((record, i) => ({ rowNumber: i + 1, lineNumber: i + 2, record, problems: null }));
    const expected = records.map((r, i) => `7\t${i + 1}\t${i + 2}\t${copyField(JSON.stringify(r))}\t\\N\n`).join('');
    expect(stagedCopyData(7, rows).data.toString()).toBe(Buffer.from(expected).toString());
  });
});
