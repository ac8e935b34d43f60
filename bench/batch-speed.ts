/**
 * `npx tsx bench/batch-speed.ts [--batch 10000] [--rounds 30]`: ms of JavaScript per Nana batch inside
 * its transaction (the lookups' keys, the rule, building every statement's parameters, node-postgres's
 * serialization of them), against a client that answers at once: what PostgreSQL waits on between
 * statements, per statement. Records: the bench generator's (seed 42), checked as a batch sees them.
 * CPU profile: `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/batch-speed.ts`.
 */
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { parse } from 'csv-parse/sync';
import { checkStagedRow } from '../src/sources/check-staged-row';
import type { NanaRecord } from '../src/sources/nana/nana';
import { nanaSource } from '../src/sources/nana/nana';
import type { ValidRow } from '../src/sources/importer';
import { importNanaBatch } from '../src/sources/nana/import-nana-batch';
import { nanaFile } from '../test/support/generate-nana';
import { median } from './variants';

const { values: args } = parseArgs({
  options: { batch: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '30' } },
});
const size = Number(args.batch);
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue(v: unknown): unknown };

const ctx = { today: '2026-11-23', nationalIdKey: 'bench' };
const rows: ValidRow<NanaRecord>[] = [];
(
  parse(nanaFile({ records: size, seed: 42 }), { columns: true, relax_column_count: true }) as Record<string, string>[]
).forEach((record, i) => {
  const checked = checkStagedRow(nanaSource, record, null, ctx);
  if (checked.ok) rows.push({ rowNumber: i + 1, lineNumber: i + 2, record, value: checked.value as NanaRecord });
});

/** Answers every lookup with nothing (all records are new) and the id allocation with fresh ids; serializes parameters as node-postgres would. */
let nextId = 1_000_000;
const perStatement = new Map<string, number>();
let since = 0;

/** Adds the JavaScript since the last statement was answered to `statement`'s total. */
function mark(statement: string): void {
  const key = statement.replace(/\s+/g, ' ').slice(0, 48);
  perStatement.set(key, (perStatement.get(key) ?? 0) + (performance.now() - since));
  since = performance.now();
}

/** A COPY (a pg-copy-streams submittable: its text on the object, its data a stream) is answered once all its data is in. */
function copySink(statement: string): Writable {
  return new Writable({
    write: (_chunk, _enc, done) => done(),
    final: (done) => {
      mark(statement);
      done();
    },
  });
}

async function answer(text: string, values: unknown[]) {
  values.forEach((v) => prepareValue(v));
  mark(text);
  if (text.includes('nextval'))
    return { rows: Array.from({ length: values[0] as number }, () => ({ id: nextId++ })), rowCount: 0 };
  if (text.includes('has_parameter_privilege')) return { rows: [{ ok: true }], rowCount: 1 };
  return { rows: [], rowCount: 0 };
}

const client = {
  query: (statement: string | { text: string }, values: unknown[] = []) =>
    typeof statement === 'string' ? answer(statement, values) : copySink(statement.text),
} as unknown as pg.PoolClient;

const totals: number[] = [];
for (let round = 0; round < Number(args.rounds); round++) {
  perStatement.clear();
  const started = (since = performance.now());
  await importNanaBatch(client, 1, rows, { skipRowTriggers: true, lookups: client, lookedUp: () => {} });
  totals.push(performance.now() - started);
}
console.log(
  `${rows.length.toLocaleString('en-US')} valid records a batch, ${args.rounds} rounds: median ${median(totals).toFixed(1)} ms a batch [${totals.map((t) => t.toFixed(0)).join(' ')}]`,
);
console.log('JavaScript before each statement, last round:');
for (const [statement, ms] of perStatement) console.log(`  ${ms.toFixed(1).padStart(6)} ms  ${statement}`);
