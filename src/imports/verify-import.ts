import { recordVerification, refreshCounts } from '../db/queries/imports';
import { countRowsCreatedBy } from '../db/queries/loyalty-ledger';
import {
  countCustomersCreatedBy,
  countMissingLinks,
  ledgerGaps,
  sampleImportedOutcomes,
} from '../db/queries/verification';
import type { ImportDeps } from './deps';
import type { Mismatch } from '../sources/importer';
import { loadImport } from './load-import';
import { sourceModule } from '../sources';
import { verifyLedger } from '../sources/shared/verify-ledger';
import { cleanRanges } from '../db/queries/range-checks';
import { LAST_POSSIBLE_ROW, rowsIn, splitRange, uncoveredRanges, type RowRange } from '../domain/row-ranges';
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
  /** Points and purchases: transactions of earlier imports, for the members the file names, that the file does not hold. */
  transactionsNotInFile?: number;
  /** What the report says in words (a shorter export, say). */
  notes?: string[];
  /** Rows whose range checks ran as their batches committed, clean: the end checked the rest again. */
  rowsCheckedWhileImporting?: number;
}

/**
 * Parts each range the legacy-id check, the longest, still has to read is split into and run side by
 * side: PostgreSQL runs one query on one core, and the parts are independent (bench/verify-speed.ts).
 */
const LINK_CHECK_RANGES = 2;

/**
 * The accounting balances, every imported record is where it should be, and a random sample matches
 * field by field. The checks that hold range by range ran as the batches committed
 * (check-committed-range.ts): of those, only rows no clean range holds are read here, and outcomes
 * past the file's last row. The checks read independent things, so they run side by side on their own
 * pool connections: at 1M records the legacy-id probe and the ledger join each take seconds.
 */
export async function verifyImport(deps: ImportDeps, importId: number): Promise<VerificationReport> {
  const { imp, source } = await loadImport(deps.pool, importId);
  const facts = sourceModule(imp.source).verification;
  const createdTable = facts.createdRows === 'customers' ? null : facts.createdRows;
  const idColumn = facts.legacyIdColumn;
  const ctx = validationContext(deps, imp);
  const rest = uncoveredRanges(await cleanRanges(deps.pool, importId), { firstRow: 1, lastRow: imp.total });
  const pastTheEnd: RowRange = { firstRow: imp.total + 1, lastRow: LAST_POSSIBLE_ROW };
  const [counts, gaps, createdRows, missingLinks, { sample, mismatches }, ledger] = await Promise.all([
    refreshCounts(deps.pool, importId),
    addUpGaps([...rest, pastTheEnd].map((range) => ledgerGaps(deps.pool, importId, range))),
    createdTable ? countRowsCreatedBy(deps.pool, createdTable, importId) : countCustomersCreatedBy(deps.pool, importId),
    idColumn
      ? addUp(
          rest
            .flatMap((range) => splitRange(range, LINK_CHECK_RANGES))
            .map((range) => countMissingLinks(deps.pool, importId, imp.source, idColumn, range)),
        )
      : null,
    (async () => {
      const sample = await sampleImportedOutcomes(deps.pool, importId, VERIFY_SAMPLE_SIZE);
      return { sample, mismatches: await readBackOutcomes(deps.pool, importId, source, ctx, sample) };
    })(),
    facts.ledger ? verifyLedger(deps.pool, importId, rest, source, ctx, facts.ledger) : null,
  ]);
  const sum = counts.created + counts.linked + counts.updated + counts.skipped + counts.rejected;
  const checks: VerificationCheck[] = [
    {
      name: 'every record has one outcome',
      ok: gaps.withoutOutcome === 0 && gaps.withoutRow === 0,
      expected: 0,
      actual: gaps.withoutOutcome + gaps.withoutRow,
    },
    { name: 'outcomes add up to the records in the file', ok: sum === imp.total, expected: imp.total, actual: sum },
    {
      name: createdTable ? `${createdTable} rows match created outcomes` : 'customers created match created outcomes',
      ok: createdRows === counts.created,
      expected: counts.created,
      actual: createdRows,
    },
  ];
  if (missingLinks !== null)
    checks.push({
      name: 'every legacy id links to its customer',
      ok: missingLinks === 0,
      expected: 0,
      actual: missingLinks,
    });
  if (ledger) checks.push(...ledger.checks);
  checks.push({
    name: 'sampled records match the source',
    ok: mismatches.length === 0,
    expected: 0,
    actual: mismatches.length,
  });
  const report: VerificationReport = {
    ok: checks.every((c) => c.ok),
    checkedAt: deps.clock.now().toISOString(),
    checks,
    sampleSize: sample.length,
    mismatches: mismatches.slice(0, 100),
    ...(ledger ? ledgerNotes(ledger.transactionsNotInFile) : {}),
    rowsCheckedWhileImporting: imp.total - rowsIn(rest),
  };
  await recordVerification(deps.pool, importId, report);
  return report;
}

/** A shorter export deletes nothing; the report says what it left in place. */
function ledgerNotes(notInFile: number): Pick<VerificationReport, 'transactionsNotInFile' | 'notes'> {
  const notes =
    notInFile > 0
      ? [
          `${notInFile} transaction${notInFile === 1 ? '' : 's'} of earlier imports ${notInFile === 1 ? 'is' : 'are'} not in this file`,
        ]
      : [];
  return { transactionsNotInFile: notInFile, notes };
}

async function addUp(counts: Promise<number>[]): Promise<number> {
  return (await Promise.all(counts)).reduce((a, b) => a + b, 0);
}

async function addUpGaps(
  parts: Promise<{ withoutOutcome: number; withoutRow: number }>[],
): Promise<{ withoutOutcome: number; withoutRow: number }> {
  const all = await Promise.all(parts);
  return {
    withoutOutcome: all.reduce((n, g) => n + g.withoutOutcome, 0),
    withoutRow: all.reduce((n, g) => n + g.withoutRow, 0),
  };
}
