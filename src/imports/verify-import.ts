import { recordVerification, refreshCounts } from '../db/queries/imports';
import { countRowsCreatedBy } from '../db/queries/loyalty';
import { countCustomersCreatedBy, countMissingLinks, ledgerGaps, sampleImportedOutcomes } from '../db/queries/verification';
import type { ImportDeps } from './deps';
import type { Mismatch } from './importer';
import { loadImport } from './load-import';
import { readBackOutcomes } from './read-back';
import { validationContext } from './validation-context';

export const VERIFY_SAMPLE_SIZE = 100;

export interface VerificationCheck {
  name: string;
  ok: boolean;
  expected: number;
  actual: number;
}

export interface VerificationReport {
  ok: boolean;
  checkedAt: string;
  checks: VerificationCheck[];
  sampleSize: number;
  mismatches: Mismatch[];
}

/** Legacy-id column per source, whose every item must end linked to the record's customer. */
const ID_COLUMNS: Record<string, string> = { nana: 'nana_cus_id', careshop: 'careshop_id', 'loyalty-users': 'old_member_id', mapped: 'external_id' };

/**
 * Row ranges the legacy-id check, the longest, is split into and run side by side: at 1M records one
 * query took 13-16 s on the 2-core bench machine, two halves at once 7.2 s (bench/verify-speed.ts).
 */
const LINK_CHECK_RANGES = 2;

/** Sources whose `created` outcomes are ledger rows, not customers. */
const CREATED_ROWS: Record<string, 'points_transactions' | 'purchases'> = { 'loyalty-points': 'points_transactions', 'loyalty-purchases': 'purchases' };

/**
 * The accounting balances, every imported record is where it should be, and a random sample matches
 * field by field. The checks read independent things, so they run side by side on their own pool
 * connections: at 1M records the legacy-id probe and the ledger join each take seconds.
 */
export async function verifyImport(deps: ImportDeps, importId: number): Promise<VerificationReport> {
  const { imp, source } = await loadImport(deps.pool, importId);
  const createdTable = CREATED_ROWS[imp.source];
  const idColumn = ID_COLUMNS[imp.source];
  const [counts, gaps, createdRows, missingLinks, { sample, mismatches }] = await Promise.all([
    refreshCounts(deps.pool, importId),
    ledgerGaps(deps.pool, importId),
    createdTable ? countRowsCreatedBy(deps.pool, createdTable, importId) : countCustomersCreatedBy(deps.pool, importId),
    idColumn ? addUp(rowRanges(imp.total, LINK_CHECK_RANGES).map((range) => countMissingLinks(deps.pool, importId, imp.source, idColumn, range))) : null,
    (async () => {
      const sample = await sampleImportedOutcomes(deps.pool, importId, VERIFY_SAMPLE_SIZE);
      return { sample, mismatches: await readBackOutcomes(deps.pool, importId, source, validationContext(deps, imp), sample) };
    })(),
  ]);
  const sum = counts.created + counts.linked + counts.updated + counts.skipped + counts.rejected;
  const checks: VerificationCheck[] = [
    { name: 'every record has one outcome', ok: gaps.withoutOutcome === 0 && gaps.withoutRow === 0, expected: 0, actual: gaps.withoutOutcome + gaps.withoutRow },
    { name: 'outcomes add up to the records in the file', ok: sum === imp.total, expected: imp.total, actual: sum },
    { name: createdTable ? `${createdTable} rows match created outcomes` : 'customers created match created outcomes', ok: createdRows === counts.created, expected: counts.created, actual: createdRows },
  ];
  if (missingLinks !== null) checks.push({ name: 'every legacy id links to its customer', ok: missingLinks === 0, expected: 0, actual: missingLinks });
  checks.push({ name: 'sampled records match the source', ok: mismatches.length === 0, expected: 0, actual: mismatches.length });
  const report: VerificationReport = { ok: checks.every((c) => c.ok), checkedAt: deps.clock.now().toISOString(), checks, sampleSize: sample.length, mismatches: mismatches.slice(0, 100) };
  await recordVerification(deps.pool, importId, report);
  return report;
}

/** Rows 1..total in n contiguous ranges whose sizes differ by at most one (fewer when total is smaller than n). */
export function rowRanges(total: number, n: number): { firstRow: number; lastRow: number }[] {
  const parts = Math.min(n, total);
  return Array.from({ length: parts }, (_, i) => ({ firstRow: Math.floor((i * total) / parts) + 1, lastRow: Math.floor(((i + 1) * total) / parts) }));
}

async function addUp(counts: Promise<number>[]): Promise<number> {
  return (await Promise.all(counts)).reduce((a, b) => a + b, 0);
}
