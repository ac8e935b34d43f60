import { randomBytes } from 'node:crypto';
import { PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { writeXlsxReport } from '../../src/http/xlsx-report';

const HEADER = ['nana_cus_id', 'firstname', 'row_number', 'errors'];
const line = (i: number) => [
  `N${i}`,
  i % 2 ? 'ศิริพร' : "'=SUM(1)",
  String(i),
  'phone: phone is not a valid phone number [INVALID_PHONE]',
];

/** Rows 1..n, counting how many the writer has pulled; `noise` adds a random cell, so the zip cannot squeeze the rows to nothing. */
function source(n: number, noise = false) {
  const counter = { pulled: 0 };
  const sent: string[][] = [];
  async function* rows() {
    for (let i = 1; i <= n; i++) {
      counter.pulled = i;
      const row = noise ? [...line(i), randomBytes(32).toString('hex')] : line(i);
      if (noise) sent.push(row);
      yield row;
    }
  }
  return { rows: rows(), counter, sent };
}

/** A sink that keeps what it gets and, until `open()` is called, takes nothing past its first chunk. */
function gatedSink() {
  const chunks: Buffer[] = [];
  let release: (() => void) | null = null;
  let gate: Promise<void> | null = new Promise((r) => (release = r));
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      if (chunks.length === 1 || !gate) return done();
      void gate.then(() => done());
    },
  });
  const open = () => {
    gate = null;
    release!();
  };
  return { sink, open, bytes: () => Buffer.concat(chunks) };
}

const waitFor = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The value once it has stopped changing for half a second (however loaded the machine). */
async function settled(read: () => number): Promise<number> {
  for (let last = read(); ;) {
    await waitFor(500);
    const now = read();
    if (now === last) return now;
    last = now;
  }
}

async function sheetsOf(bytes: Buffer): Promise<{ name: string; rows: string[][] }[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as never);
  return workbook.worksheets.map((ws) => {
    const rows: string[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map(String)));
    return { name: ws.name, rows };
  });
}

describe('writeXlsxReport', () => {
  it('goes on in a new sheet, with the header, when a sheet holds its most rows', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const { rows } = source(25);
    expect(await writeXlsxReport(out, HEADER, rows, { rowsPerSheet: 10 })).toBe('done');
    const sheets = await sheetsOf(Buffer.concat(chunks));
    expect(sheets.map((s) => [s.name, s.rows.length])).toEqual([
      ['errors', 10],
      ['errors 2', 10],
      ['errors 3', 8],
    ]);
    for (const s of sheets) expect(s.rows[0]).toEqual(HEADER);
    // Every record once, in order, each cell the text given (no formula).
    expect(sheets.flatMap((s) => s.rows.slice(1))).toEqual(Array.from({ length: 25 }, (_, i) => line(i + 1)));
  });

  it('writes only the header when there are no rows', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    expect(await writeXlsxReport(out, HEADER, source(0).rows)).toBe('done');
    expect(await sheetsOf(Buffer.concat(chunks))).toEqual([{ name: 'errors', rows: [HEADER] }]);
  });

  it('reads rows at the pace of its client: a stalled client stops it, and the whole report follows once it reads', async () => {
    const total = 100_000;
    const { sink, open, bytes } = gatedSink();
    const { rows, counter, sent } = source(total, true);
    const done = writeXlsxReport(sink, HEADER, rows, { maxBacklogBytes: 64 * 1024 });
    // Unpaced, the writer pulls all 100,000 rows while the client reads nothing; paced, it stops once
    // the zip's output buffer (1 MiB) and the backlog are full.
    const whileStalled = await settled(() => counter.pulled);
    expect(whileStalled).toBeGreaterThan(0);
    expect(whileStalled).toBeLessThan(total / 3);
    open();
    expect(await done).toBe('done');
    expect(counter.pulled).toBe(total);
    const [sheet] = await sheetsOf(bytes());
    expect(sheet.rows.length).toBe(total + 1);
    expect(sheet.rows.slice(1)).toEqual(sent);
  }, 60_000);

  it('stops reading rows when the client goes away', async () => {
    const total = 200_000;
    const { sink } = gatedSink();
    const { rows, counter } = source(total, true);
    const done = writeXlsxReport(sink, HEADER, rows, { maxBacklogBytes: 64 * 1024 });
    await waitFor(1000);
    sink.destroy();
    expect(await done).toBe('aborted');
    expect(counter.pulled).toBeLessThan(total / 3);
  }, 30_000);
});
