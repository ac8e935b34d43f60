import type { Queryable } from '../db/queryable';
import { readStagedRowsByNumber } from '../db/queries/staged-rows';
import type { OutcomeRow } from '../db/queries/verification';
import { checkStagedRow } from '../sources/check-staged-row';
import { sourceModule, type SourceDefinition } from '../sources';
import type { ValidationContext } from '../sources/source';
import type { ImportedRow, Mismatch } from '../sources/importer';

/** Re-reads the source records behind these outcomes and compares them with what the database holds. */
export async function readBackOutcomes(
  db: Queryable,
  importId: number,
  source: SourceDefinition<unknown>,
  ctx: ValidationContext,
  outcomes: OutcomeRow[],
): Promise<Mismatch[]> {
  const staged = new Map(
    (
      await readStagedRowsByNumber(
        db,
        importId,
        outcomes.map((o) => o.rowNumber),
      )
    ).map((r) => [r.rowNumber, r]),
  );
  const rows: ImportedRow<unknown>[] = [];
  const mismatches: Mismatch[] = [];
  for (const o of outcomes) {
    const row = staged.get(o.rowNumber);
    const checked = row ? checkStagedRow(source, row.record, row.problems, ctx) : null;
    if (!checked?.ok) mismatches.push({ rowNumber: o.rowNumber, field: 'record' });
    else rows.push({ ...o, value: checked.value });
  }
  return [...mismatches, ...(await sourceModule(source.name).importer.readBack(db, importId, rows))];
}
