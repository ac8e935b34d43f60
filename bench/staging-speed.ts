/**
 * `npx tsx bench/staging-speed.ts [--file bench/.data/nana-1000000-seed42.csv] [--records 1000000] [--runs 3]`:
 * records/s and CPU seconds of the api's staging path without a database (read CSV → staged rows →
 * COPY text into a null sink): in the api's process; through the parse process the api reads
 * uploads in, the api building the COPY text of the records it hands over (as it did); and as the
 * api stages, the parse process building the COPY data. The paths take turns run by run;
 * `--paths records,data` times only the last two. CPU seconds are the api's process, its main
 * thread, and the parse process (its children's times, once reaped). Run it as the api runs
 * (`NODE_OPTIONS=--max-old-space-size=192`) to see the same GC pressure. Prints the SHA-256 of the
 * COPY text too: a change meant to be faster, not different, must leave it as it was.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { copyStagedData, copyStagedRows, type StagedRow } from '../src/db/queries/staged-rows';
import { mapHeader } from '../src/domain/columns';
import { findSource } from '../src/sources';
import { readRecords, type RawRecord } from '../src/files/read-records';
import { importOptionsSchema } from '../src/imports/import-options';
import { openFileInChild, readFileInChild } from '../src/imports/read-in-child';
import { toStagedRow } from '../src/imports/staged-record';
import { mainThreadCpuSeconds, processCpuSeconds } from './cpu-time';
import { nanaFile } from './nana-file';

const { values: args } = parseArgs({
  options: {
    file: { type: 'string' },
    records: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '42' },
    runs: { type: 'string', default: '3' },
    /** Which paths to time, of api, records and data. */
    paths: { type: 'string', default: 'api,records,data' },
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

/** Records mapped to staged rows in batches, as the api staged them before the parse process built the COPY text. */
async function* toStaged(records: AsyncGenerator<RawRecord>, columns: (string | null)[]): AsyncGenerator<StagedRow[]> {
  const toRow = toStagedRow(columns);
  let batch: StagedRow[] = [];
  for await (const raw of records) {
    batch.push(toRow(raw));
    if (batch.length === 1_000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

const current: Path = async (file, out) => {
  const records = readRecords(file, 'bench.csv', 'utf-8', ',');
  const columns = header(await records.next());
  const fakeClient = { query: () => out } as unknown as pg.PoolClient;
  return copyStagedRows(fakeClient, IMPORT_ID, toStaged(records as AsyncGenerator<RawRecord>, columns));
};

/** Parsed in a child process, records handed over in batches. */
const recordsFromChild: Path = async (file, out) => {
  const options = importOptionsSchema.parse({});
  const { records } = await openFileInChild({ path: file, fileName: 'bench.csv', options });
  const columns = header(await records.next());
  const fakeClient = { query: () => out } as unknown as pg.PoolClient;
  return copyStagedRows(fakeClient, IMPORT_ID, toStaged(records as AsyncGenerator<RawRecord>, columns));
};

/** As the api stages an upload: the parse process sends the rows' COPY data. */
const dataFromChild: Path = async (file, out) => {
  const options = importOptionsSchema.parse({});
  const reader = await readFileInChild({ path: file, fileName: 'bench.csv', options });
  const cells = await reader.header();
  const columns = header({ done: false, value: { header: cells! } });
  const fakeClient = { query: () => out } as unknown as pg.PoolClient;
  return copyStagedData(fakeClient, reader.staged({ importId: IMPORT_ID, columns }));
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

interface Spent {
  rate: number;
  /** CPU seconds: the api's process (every thread), its main thread, and the parse process. */
  api: number;
  apiMain: number;
  child: number;
}

/** Parse processes not yet reaped: their CPU joins this process's children's times only once they are. */
async function childrenReaped(): Promise<void> {
  const children = `/proc/${process.pid}/task/${process.pid}/children`;
  for (let waited = 0; readFileSync(children, 'utf8').trim() !== '' && waited < 10_000; waited += 20) await sleep(20);
}

async function timed(run: Path, file: string): Promise<Spent> {
  await childrenReaped();
  const own = process.cpuUsage();
  const withChildren = processCpuSeconds(process.pid);
  const main = mainThreadCpuSeconds(process.pid);
  const start = process.hrtime.bigint();
  const count = await run(file, sink());
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const { user, system } = process.cpuUsage(own);
  const apiMain = mainThreadCpuSeconds(process.pid) - main;
  await childrenReaped();
  const api = (user + system) / 1e6;
  return { rate: count / seconds, api, apiMain, child: processCpuSeconds(process.pid) - withChildren - api };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function summary(name: string, runs: Spent[]): string {
  const m = (f: (s: Spent) => number) => median(runs.map(f)).toFixed(2);
  return (
    `${name}: records/s median ${Math.round(median(runs.map((r) => r.rate)))} [${runs.map((r) => Math.round(r.rate)).join(' ')}]; ` +
    `CPU s median: api ${m((r) => r.api)} (main thread ${m((r) => r.apiMain)}), parse process ${m((r) => r.child)}, ` +
    `together ${m((r) => r.api + r.child)} [${runs.map((r) => (r.api + r.child).toFixed(2)).join(' ')}]`
  );
}

async function main(): Promise<void> {
  const file = await nanaCsv();
  const { count, bytes, sha256 } = await digest(recordsFromChild, file);
  console.log(`${count} records, ${bytes} bytes of COPY text, sha256 ${sha256}`);
  const paths = (
    [
      ['api', 'in the api process', current],
      ['records', 'records from the parse process', recordsFromChild],
      ['data', 'COPY data from the parse process', dataFromChild],
    ] as const
  )
    .filter(([key]) => args.paths.split(',').includes(key))
    .map(([, name, run]) => [name, run] as const);
  for (const [name, run] of paths)
    if ((await digest(run, file)).sha256 !== sha256) throw new Error(`${name}: other COPY text`);
  const spent = paths.map((): Spent[] => []);
  // Turn by turn, so a change in the machine's load weighs on every path alike.
  for (let n = 1; n <= Number(args.runs); n++)
    for (const [i, [, run]] of paths.entries()) spent[i].push(await timed(run, file));
  for (const [i, [name]] of paths.entries()) if (spent[i].length > 0) console.log(summary(name, spent[i]));
}

await main();
