/**
 * `npx tsx bench/staging-speed.ts [--file bench/.data/nana-1000000-seed42.csv] [--records 1000000] [--runs 3]`:
 * records/s of the api's staging path without a database (read CSV → toStaged → COPY text into a
 * null sink), the current code against the pre-optimisation code kept below, in the same process.
 * Run it as the api runs (`NODE_OPTIONS=--max-old-space-size=192`) to see the same GC pressure.
 * First checks that both paths produce byte-identical COPY text.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { Readable, Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { parse } from 'csv-parse';
import { copyStagedRows } from '../src/db/queries/staged-rows';
import { mapHeader } from '../src/domain/columns';
import { findSource } from '../src/domain/sources';
import { MAX_COLUMNS, readRecords, type RawRecord } from '../src/files/read-records';
import type { TextEncoding } from '../src/files/scan';
import { toStaged } from '../src/imports/stage-upload';
import { nanaLines } from '../test/support/generate-nana';

const { values: args } = parseArgs({
  options: {
    file: { type: 'string' },
    records: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '42' },
    runs: { type: 'string', default: '3' },
  },
});

const IMPORT_ID = 123;

async function nanaCsv(): Promise<string> {
  if (args.file) return path.resolve(args.file);
  const dir = path.resolve('bench/.data');
  const file = path.join(dir, `nana-${args.records}-seed${args.seed}.csv`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const partial = `${file}.partial`;
  const out = createWriteStream(partial);
  for (const line of nanaLines({ records: Number(args.records), seed: Number(args.seed), existingCustomerIds: [1, 2, 3, 4, 5] })) {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(partial, file);
  return file;
}

/** Stands in for the COPY stream: counts (and optionally hashes) what would go to PostgreSQL. */
function sink(hash?: ReturnType<typeof createHash>): Writable & { bytes: number } {
  const w = new Writable({
    write(chunk: Buffer, _enc, done) {
      w.bytes += chunk.length;
      hash?.update(chunk);
      done();
    },
  }) as Writable & { bytes: number };
  w.bytes = 0;
  return w;
}

type Path = (file: string, out: Writable) => Promise<number>;

const current: Path = async (file, out) => {
  const records = readRecords(file, 'bench.csv', 'utf-8', ',');
  const columns = header(await records.next());
  const fakeClient = { query: () => out } as unknown as pg.PoolClient;
  return copyStagedRows(fakeClient, IMPORT_ID, toStaged(records as AsyncGenerator<RawRecord>, columns));
};

const previous: Path = async (file, out) => {
  const records = oldReadRecords(file, 'bench.csv', 'utf-8', ',');
  const columns = header(await records.next());
  return oldCopy(IMPORT_ID, oldToStaged(records as AsyncGenerator<RawRecord>, columns), out);
};

function header(first: IteratorResult<RawRecord | { header: string[] }>): (string | null)[] {
  if (first.done || !('header' in first.value)) throw new Error('no header');
  return mapHeader(first.value.header, findSource('nana')!.columns).columns;
}

async function digest(run: Path, file: string): Promise<{ count: number; sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  const out = sink(hash);
  const count = await run(file, out);
  return { count, sha256: hash.digest('hex'), bytes: out.bytes };
}

async function timed(run: Path, file: string): Promise<number> {
  const start = process.hrtime.bigint();
  const count = await run(file, sink());
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return count / seconds;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const file = await nanaCsv();
  const [a, b] = [await digest(previous, file), await digest(current, file)];
  console.log(`previous: ${a.count} records, ${a.bytes} bytes, sha256 ${a.sha256}`);
  console.log(`current:  ${b.count} records, ${b.bytes} bytes, sha256 ${b.sha256}`);
  if (a.sha256 !== b.sha256 || a.count !== b.count) throw new Error('the COPY text differs between the two paths');
  const ratios: number[] = [];
  for (let run = 1; run <= Number(args.runs); run++) {
    // Alternated, so drift on a shared machine hits both alike.
    const old = await timed(previous, file);
    const now = await timed(current, file);
    ratios.push(now / old);
    console.log(`run ${run}: previous ${Math.round(old)} rec/s, current ${Math.round(now)} rec/s, ratio ${(now / old).toFixed(2)}`);
  }
  console.log(`median ratio current/previous: ${median(ratios).toFixed(2)}`);
}

// ---- The staging path as it was before the speed-up, kept only for this comparison. ----

const MAX_RECORD_BYTES = 1 << 20;

class OldDecodeLines extends Transform {
  private readonly decoder: TextDecoder;
  private pendingCr = false;

  constructor(encoding: TextEncoding) {
    super({ readableObjectMode: false });
    this.decoder = new TextDecoder(encoding, { fatal: true });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.pushText(this.decoder.decode(chunk, { stream: true }));
    done();
  }

  override _flush(done: TransformCallback): void {
    this.pushText(this.decoder.decode());
    if (this.pendingCr) this.push('\n');
    done();
  }

  private pushText(text: string): void {
    let t = this.pendingCr ? `\r${text}` : text;
    this.pendingCr = t.endsWith('\r');
    if (this.pendingCr) t = t.slice(0, -1);
    if (t.length > 0) this.push(t.replace(/\r\n?/g, '\n'));
  }
}

async function* oldReadRecords(file: string, fileName: string, encoding: TextEncoding, delimiter: string): AsyncGenerator<RawRecord | { header: string[] }> {
  const parser = parse({ delimiter, record_delimiter: '\n', relax_column_count: true, relax_quotes: true, skip_empty_lines: true, max_record_size: MAX_RECORD_BYTES, info: true });
  const source = createReadStream(file).pipe(new OldDecodeLines(encoding));
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);
  let rowNumber = 0;
  let prevEndLine = 0;
  let prevEmpty = 0;
  let headerSeen = false;
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; empty_lines: number } }>) {
    const lineNumber = prevEndLine + 1 + (info.empty_lines - prevEmpty);
    prevEndLine = info.lines;
    prevEmpty = info.empty_lines;
    if (record.length > MAX_COLUMNS) throw new Error(`${fileName}: line ${lineNumber} has too many columns`);
    if (record.every((f) => f.trim() === '')) continue;
    if (!headerSeen) {
      headerSeen = true;
      yield { header: record };
      continue;
    }
    rowNumber += 1;
    yield { rowNumber, lineNumber, fields: record };
  }
}

interface OldStagedRow {
  rowNumber: number;
  lineNumber: number;
  record: Record<string, string>;
  problems: string[] | null;
}

async function* oldToStaged(records: AsyncGenerator<RawRecord>, columns: (string | null)[]): AsyncGenerator<OldStagedRow> {
  for await (const raw of records) {
    const problems: string[] = [];
    const extra = raw.fields.slice(columns.length);
    const trailingEmpty = columns.length > 0 && columns[columns.length - 1] === null;
    if (raw.fields.length < columns.length - (trailingEmpty ? 1 : 0) || extra.some((f) => f !== '')) problems.push('COLUMN_COUNT');
    const record: Record<string, string> = {};
    columns.forEach((column, i) => {
      if (column === null) return;
      let value = raw.fields[i] ?? '';
      if (value.includes('\u0000')) {
        value = value.replaceAll('\u0000', '');
        if (!problems.includes('NUL_CHAR')) problems.push('NUL_CHAR');
      }
      record[column] = value;
    });
    yield { rowNumber: raw.rowNumber, lineNumber: raw.lineNumber, record, problems: problems.length ? problems : null };
  }
}

async function oldCopy(importId: number, rows: AsyncIterable<OldStagedRow>, out: Writable): Promise<number> {
  let count = 0;
  async function* chunks() {
    let lines: string[] = [];
    for await (const row of rows) {
      count += 1;
      const problems = row.problems ? `{${row.problems.join(',')}}` : '\\N';
      lines.push(`${importId}\t${row.rowNumber}\t${row.lineNumber}\t${JSON.stringify(row.record).replace(/\\/g, '\\\\')}\t${problems}\n`);
      if (lines.length === 2_000) {
        yield lines.join('');
        lines = [];
      }
    }
    if (lines.length > 0) yield lines.join('');
  }
  await pipeline(Readable.from(chunks()), out);
  return count;
}

await main();
