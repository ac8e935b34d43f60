import { faultPoint } from '../faults';
import { recordRangeCheck } from '../db/queries/range-checks';
import { countMissingLinks, ledgerGaps } from '../db/queries/verification';
import type { RowRange } from '../domain/row-ranges';
import { sourceModule } from '../sources';
import { countDifferingMembers } from '../sources/shared/verify-ledger';
import type { ImportDeps } from './deps';
import { loadImport } from './load-import';
import { validationContext } from './validation-context';

/**
 * The checks of verification that hold range by range, run on rows whose batches committed while
 * later batches write, and recorded: verification at the end checks again only what no clean range
 * holds. A range that stays clean once checked: later batches of the import write only later rows'
 * outcomes and ledger lines, and move a legacy id only on to a later row, which the link check allows.
 */
export async function checkCommittedRange(
  deps: ImportDeps,
  importId: number,
  range: RowRange,
): Promise<{ clean: boolean; found: Record<string, number> }> {
  const { imp, source } = await loadImport(deps.pool, importId);
  const facts = sourceModule(imp.source).verification;
  const idColumn = facts.legacyIdColumn;
  const [gaps, missingLinks, differingMembers] = await Promise.all([
    ledgerGaps(deps.pool, importId, range),
    idColumn ? countMissingLinks(deps.pool, importId, imp.source, idColumn, range) : 0,
    facts.ledger
      ? countDifferingMembers(deps.pool, importId, [range], source, validationContext(deps, imp), facts.ledger)
      : 0,
  ]);
  const found = { ...gaps, missingLinks, differingMembers };
  await recordRangeCheck(deps.pool, importId, range, found);
  await faultPoint('range-checked');
  return { clean: Object.values(found).every((n) => n === 0), found };
}
