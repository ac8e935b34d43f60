/**
 * `npx tsx bench/check-speed.ts [--count 100000] [--rounds 7]`: µs per record of checkStagedRow on
 * Nana records, the work every staged record costs twice: in the validate phase (without the content
 * digest, which only a batch writes), then in batch preparation (with it).
 * Records: the first --count of bench/.data/nana-1000000-seed42.csv (what `npm run bench` imports),
 * or the same generator's output when that file is absent.
 * CPU profile: `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/check-speed.ts`.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { checkStagedRow } from '../src/sources/check-staged-row';
import type { ValidationContext } from '../src/sources/source';
import { nanaSource } from '../src/sources/nana/nana';
import { nanaLines } from '../test/support/generate-nana';

const { values: args } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '7' },
  },
});
const count = Number(args.count);
const ctx: ValidationContext = { today: '2026-11-23', nationalIdKey: 'k' };
const BENCH_FILE = path.resolve('bench/.data/nana-1000000-seed42.csv');

/** CSV text to records keyed by the header's column names (the generator writes the exact Nana names). */
function parseRecords(text: string, limit: number): Record<string, string>[] {
  return parse(text, { columns: true, to: limit, relax_column_count: true }) as Record<string, string>[];
}

/** The first `limit` records of the benchmark file, read from its start only. */
function benchRecords(limit: number): Record<string, string>[] {
  if (!existsSync(BENCH_FILE))
    return parseRecords([...take(nanaLines({ records: limit, seed: 42 }), limit + 1)].join('\n'), limit);
  // About 96 bytes a record; read generously and cut at the last full line.
  const buffer = Buffer.alloc(Math.max(1 << 20, limit * 200));
  const fd = openSync(BENCH_FILE, 'r');
  const read = readSync(fd, buffer, 0, buffer.length, 0);
  closeSync(fd);
  const text = buffer.subarray(0, read).toString('utf8');
  return parseRecords(text.slice(0, text.lastIndexOf('\n') + 1), limit);
}

function* take<T>(items: Iterable<T>, n: number): Generator<T> {
  for (const item of items) {
    if (n-- <= 0) return;
    yield item;
  }
}

function microsPerRecord(records: Record<string, string>[], ctx: ValidationContext): number {
  let ok = 0;
  const start = process.hrtime.bigint();
  for (const record of records) if (checkStagedRow(nanaSource, record, null, ctx).ok) ok++;
  const micros = Number(process.hrtime.bigint() - start) / 1e3;
  if (ok === 0) throw new Error('no record passed');
  return micros / records.length;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const records = benchRecords(count);
// As a batch checks (with the content digest), then as the validate phase does (without), alternating.
const checks = { batch: ctx, validation: { ...ctx, digests: false } };
microsPerRecord(records, ctx);
const times: Record<keyof typeof checks, number[]> = { batch: [], validation: [] };
for (let round = 0; round < Number(args.rounds); round++)
  for (const k of ['batch', 'validation'] as const) times[k].push(microsPerRecord(records, checks[k]));
for (const k of ['batch', 'validation'] as const) {
  console.log(
    `${records.length.toLocaleString('en-US')} records, ${args.rounds} rounds, as the ${k} checks: median ${median(times[k]).toFixed(2)} µs/record [${times[k].map((x) => x.toFixed(2)).join(' ')}]`,
  );
}
