import { countMisattributedLines, countTransactionsNotInFile, ledgerTotalsOf } from '../../db/queries/loyalty-ledger';
import { readStagedRows } from '../../db/queries/staged-rows';
import { importedOutcomes } from '../../db/queries/verification';
import type { Queryable } from '../../db/queryable';
import type { RowRange } from '../../domain/row-ranges';
import { checkStagedRow } from '../check-staged-row';
import type { SourceDefinition, ValidationContext } from '../source';
import { differingMembers, memberTotals } from './ledger-totals';
import type { LedgerFacts } from './ledger-facts';

/** Rows re-read from the staged file at a time: memory stays bounded whatever the file's size. */
const TOTALS_RANGE_ROWS = 20_000;

export interface LedgerVerification {
  checks: { name: string; ok: boolean; expected: number; actual: number }[];
  /** Transactions of earlier imports, for the members the file names, that no line of it matched. */
  transactionsNotInFile: number;
}

/**
 * Points and purchases: per member, the file's created lines (read again from the staged file) against
 * what the table holds for this import, count and sum, over the given ranges of rows (the rest was
 * checked range by range as it committed); and every line's identity synced exactly once.
 */
export async function verifyLedger(
  db: Queryable,
  importId: number,
  ranges: readonly RowRange[],
  source: SourceDefinition<unknown>,
  ctx: ValidationContext,
  ledger: LedgerFacts,
): Promise<LedgerVerification> {
  const [differing, misattributed, notInFile] = await Promise.all([
    countDifferingMembers(db, importId, ranges, source, ctx, ledger),
    countMisattributedLines(db, importId, source.name),
    countTransactionsNotInFile(db, importId, source.name),
  ]);
  return {
    checks: [
      {
        name: `each member's ${ledger.totalName} and transaction count match the file's created lines`,
        ok: differing === 0,
        expected: 0,
        actual: differing,
      },
      {
        name: 'each transaction of the file is synced once: created by this import or matched to an earlier one',
        ok: misattributed === 0,
        expected: 0,
        actual: misattributed,
      },
    ],
    transactionsNotInFile: notInFile,
  };
}

/** Members whose totals differ, range by range of rows (a member differing in two ranges counts twice). */
export async function countDifferingMembers(
  db: Queryable,
  importId: number,
  ranges: readonly RowRange[],
  source: SourceDefinition<unknown>,
  ctx: ValidationContext,
  ledger: LedgerFacts,
): Promise<number> {
  let differing = 0;
  for (const part of ranges)
    for (let firstRow = part.firstRow; firstRow <= part.lastRow; firstRow += TOTALS_RANGE_ROWS) {
      const range = { firstRow, lastRow: Math.min(firstRow + TOTALS_RANGE_ROWS - 1, part.lastRow) };
      const [outcomes, staged, tables] = await Promise.all([
        importedOutcomes(db, importId, range.firstRow, range.lastRow),
        readStagedRows(db, importId, range.firstRow, range.lastRow),
        ledgerTotalsOf(db, ledger.table, importId, range),
      ]);
      const records = new Map(staged.map((r) => [r.rowNumber, r]));
      const lines = outcomes.flatMap((o) => {
        if (o.outcome !== 'created') return [];
        const row = records.get(o.rowNumber);
        const checked = row ? checkStagedRow(source, row.record, row.problems, ctx) : null;
        // A created line whose record no longer passes counts for nothing: its member then differs.
        return checked?.ok ? [{ customerId: o.customerId, amount: ledger.amountOf(checked.value as never) }] : [];
      });
      differing += differingMembers(memberTotals(lines), tables);
    }
  return differing;
}
