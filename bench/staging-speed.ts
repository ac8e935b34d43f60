/**
 * `npx tsx bench/staging-speed.ts [--file bench/.data/nana-1000000-seed42.csv] [--records 1000000] [--runs 3]`:
 * records/s of the api's staging path without a database (read CSV → toStaged → COPY text into a
 * null sink), in the api's process and through the parse process the api reads uploads in. Run it as the api runs (`NODE_OPTIONS=--max-old-space-size=192`) to see the same GC
 * pressure. Prints the SHA-256 of the COPY text too: a change meant to be faster, not different,
 * must leave it as it was.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { copyStagedRows } from '../src/db/queries/staged-rows';
import { mapHeader } from '../src/domain/columns';
import { findSource } from '../src/sources';
import { readRecords, type RawRecord } from '../src/files/read-records';
import { toStaged } from '../src/imports/stage-upload';
import { importOptionsSchema } from '../src/imports/import-options';
import { openFileInChild } from '../src/imports/read-in-child';
import { nanaFile } from './nana-file';

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
  return nanaFile(path.resolve('bench/.data'), { records: Number(args.records), seed: Number(args.seed), existing: 0 });
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

/** As the api reads an upload: parsed in a child process, records handed over in batches. */
const throughChild: Path = async (file, out) => {
  const options = importOptionsSchema.parse({});
  const { records } = await openFileInChild({ path: file, fileName: 'bench.csv', options });
  const columns = header(await records.next());
  const fakeClient = { query: () => out } as unknown as pg.PoolClient;
  return copyStagedRows(fakeClient, IMPORT_ID, toStaged(records as AsyncGenerator<RawRecord>, columns));
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
  const { count, bytes, sha256 } = await digest(current, file);
  console.log(`${count} records, ${bytes} bytes of COPY text, sha256 ${sha256}`);
  const child = await digest(throughChild, file);
  if (child.sha256 !== sha256) throw new Error('the child process path gives other COPY text');
  for (const [name, run] of [
    ['in the api process', current],
    ['through the parse process', throughChild],
  ] as const) {
    const rates: number[] = [];
    for (let n = 1; n <= Number(args.runs); n++) rates.push(await timed(run, file));
    console.log(`${name}: records/s median ${Math.round(median(rates))} [${rates.map(Math.round).join(' ')}]`);
  }
}

await main();
