/**
 * `npx tsx bench/verify-speed.ts [--import 1] [--rounds 3]`: seconds of verification of an import the
 * bench left in its database (run `npm run bench` first; BENCH_DATABASE_URL for another). Each round
 * times every check alone, one after the other, the legacy-id check as one query (the form before
 * 2026-12-03 is their sum), then verifyImport, which runs them side by side and the legacy-id check in
 * ranges; rounds alternate, so both see the same machine.
 */
import { parseArgs } from 'node:util';
import { createPool } from '../src/db/pool';
import { refreshCounts } from '../src/db/queries/imports';
import {
  countCustomersCreatedBy,
  countMissingLinks,
  ledgerGaps,
  sampleImportedOutcomes,
} from '../src/db/queries/verification';
import { systemClock } from '../src/domain/clock';
import { loadImport } from '../src/imports/load-import';
import { readBackOutcomes } from '../src/imports/read-back';
import { validationContext } from '../src/imports/validation-context';
import { verifyImport, VERIFY_SAMPLE_SIZE } from '../src/imports/verify-import';
import { median } from './variants';

const { values: args } = parseArgs({
  options: { import: { type: 'string', default: '1' }, rounds: { type: 'string', default: '3' } },
});
const importId = Number(args.import);
const pool = createPool(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ferry_bench');
const deps = { pool, clock: systemClock };

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

const { imp, source } = await loadImport(pool, importId);
if (imp.source !== 'nana')
  throw new Error(`import ${importId} is ${imp.source}; this bench times a nana import's checks`);
const checks: Record<string, () => Promise<unknown>> = {
  counts: () => refreshCounts(pool, importId),
  'ledger gaps': () => ledgerGaps(pool, importId),
  'customers created': () => countCustomersCreatedBy(pool, importId),
  'legacy-id links': () =>
    countMissingLinks(pool, importId, 'nana', 'nana_cus_id', { firstRow: 1, lastRow: imp.total }),
  'sample read-back': async () =>
    readBackOutcomes(
      pool,
      importId,
      source,
      validationContext(deps, imp),
      await sampleImportedOutcomes(pool, importId, VERIFY_SAMPLE_SIZE),
    ),
};
const alone: Record<string, number[]> = Object.fromEntries(Object.keys(checks).map((k) => [k, []]));
const sequential: number[] = [];
const together: number[] = [];
for (let round = 0; round < Number(args.rounds); round++) {
  let sum = 0;
  for (const [name, check] of Object.entries(checks)) {
    const s = await seconds(check);
    alone[name].push(s);
    sum += s;
  }
  sequential.push(sum);
  let ok = false;
  together.push(await seconds(async () => (ok = (await verifyImport(deps, importId)).ok)));
  if (!ok) throw new Error(`import ${importId} did not pass verification`);
}
console.log(`import ${importId}: ${imp.total.toLocaleString('en')} records, medians of ${args.rounds} rounds`);
for (const [name, s] of Object.entries(alone)) console.log(`  ${name.padEnd(20)} ${median(s).toFixed(2)} s`);
console.log(`  checks one by one     ${median(sequential).toFixed(2)} s`);
console.log(
  `  verifyImport          ${median(together).toFixed(2)} s  (${(median(together) / median(sequential)).toFixed(2)}x the one-by-one sum)`,
);
await pool.end();
