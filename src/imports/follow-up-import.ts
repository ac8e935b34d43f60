import type { ColumnSpec } from '../domain/columns';
import { alreadyFixed, FOLLOW_UP_COLUMNS, linkFixes, lockParent, unfixableRecords } from '../db/queries/import-fixes';
import type { Queryable } from '../db/queryable';
import { ConflictError, FileRejectedError } from '../errors';

const REPORTED = 5;

/**
 * A follow-up file is the error report, corrected: the source's columns plus row_number (the
 * parent's record it corrects, required) and the report's line_number and errors (ignored).
 */
export function followUpColumns(columns: ColumnSpec[]): ColumnSpec[] {
  const described = {
    row_number: 'The record of the parent import this one corrects',
    line_number: 'Ignored',
    errors: 'Ignored',
  };
  return [
    ...columns,
    ...FOLLOW_UP_COLUMNS.map((name) => ({
      name,
      required: name === 'row_number',
      aliases: [],
      description: described[name],
      example: '',
    })),
  ];
}

/**
 * Links a staged follow-up to its parent inside the staging transaction: every record must name a
 * rejected record of a completed import of the same source, and no record may be corrected twice
 * (the parent's row lock makes a concurrent submit of the same corrections wait and then fail).
 */
export async function attachToParent(
  db: Queryable,
  followUp: { id: number; fileName: string; source: string },
  parentId: number,
): Promise<void> {
  const parent = await lockParent(db, parentId);
  if (!parent)
    throw new FileRejectedError('PARENT_IMPORT_NOT_FOUND', `parentImportId ${parentId}: there is no such import`, 422);
  if (parent.source !== followUp.source)
    throw new FileRejectedError(
      'PARENT_IMPORT_MISMATCH',
      `parentImportId ${parentId}: that import is of source "${parent.source}", not "${followUp.source}"`,
      422,
    );
  if (parent.status !== 'completed')
    throw new FileRejectedError(
      'PARENT_IMPORT_NOT_COMPLETED',
      `parentImportId ${parentId}: only a completed import's rejected records can be fixed (it is ${parent.status})`,
      422,
    );
  const unfixable = await unfixableRecords(db, followUp.id, parentId, REPORTED);
  if (unfixable.length > 0) {
    const lines = unfixable.map(
      (r) =>
        `${followUp.fileName}: record ${r.rowNumber}, column row_number: ${r.problem === 'given_twice' ? `row ${r.parentRow} is corrected twice in this file` : `"${r.parentRow}" is not a rejected record of import ${parentId}`}`,
    );
    throw new FileRejectedError('NOT_A_REJECTED_RECORD', lines.join('; '), 422, { records: unfixable });
  }
  const taken = await alreadyFixed(db, followUp.id, parentId, REPORTED);
  if (taken.length > 0) {
    const lines = taken.map(
      (r) =>
        `${followUp.fileName}: record ${r.rowNumber}, column row_number: row ${r.parentRowNumber} of import ${parentId} was already fixed by import ${r.byImportId}`,
    );
    throw new ConflictError('ALREADY_FIXED', lines.join('; '));
  }
  await linkFixes(db, followUp.id, parentId);
}
