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

/** Sources whose `created` outcomes are ledger rows, not customers. */
const CREATED_ROWS: Record<string, 'points_transactions' | 'purchases'> = { 'loyalty-points': 'points_transactions', 'loyalty-purchases': 'purchases' };

/** The accounting balances, every imported record is where it should be, and a random sample matches field by field. */
export async function verifyImport(deps: ImportDeps, importId: number): Promise<VerificationReport> {
  const { imp, source } = await loadImport(deps.pool, importId);
  const counts = await refreshCounts(deps.pool, importId);
  const gaps = await ledgerGaps(deps.pool, importId);
  const sum = counts.created + counts.linked + counts.updated + counts.skipped + counts.rejected;
  const checks: VerificationCheck[] = [
    { name: 'every record has one outcome', ok: gaps.withoutOutcome === 0 && gaps.withoutRow === 0, expected: 0, actual: gaps.withoutOutcome + gaps.withoutRow },
    { name: 'outcomes add up to the records in the file', ok: sum === imp.total, expected: imp.total, actual: sum },
    CREATED_ROWS[imp.source]
      ? { name: `${CREATED_ROWS[imp.source]} rows match created outcomes`, ok: false, expected: counts.created, actual: await countRowsCreatedBy(deps.pool, CREATED_ROWS[imp.source], importId) }
      : { name: 'customers created match created outcomes', ok: false, expected: counts.created, actual: await countCustomersCreatedBy(deps.pool, importId) },
  ];
  checks[2].ok = checks[2].expected === checks[2].actual;
  const idColumn = ID_COLUMNS[imp.source];
  if (idColumn) {
    const missing = await countMissingLinks(deps.pool, importId, imp.source, idColumn);
    checks.push({ name: 'every legacy id links to its customer', ok: missing === 0, expected: 0, actual: missing });
  }
  const sample = await sampleImportedOutcomes(deps.pool, importId, VERIFY_SAMPLE_SIZE);
  const mismatches = await readBackOutcomes(deps.pool, importId, source, validationContext(deps), sample);
  checks.push({ name: 'sampled records match the source', ok: mismatches.length === 0, expected: 0, actual: mismatches.length });
  const report: VerificationReport = { ok: checks.every((c) => c.ok), checkedAt: deps.clock.now().toISOString(), checks, sampleSize: sample.length, mismatches: mismatches.slice(0, 100) };
  await recordVerification(deps.pool, importId, report);
  return report;
}
