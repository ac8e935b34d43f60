import type { StagedRow } from '../db/staged-row-text';
import type { RawRecord } from '../files/read-records';

/**
 * Maps a record's fields to source columns (null: a field not staged) and notes the parse problems
 * that validation will report. Pure: the process that parses an upload runs it.
 */
export function toStagedRow(columns: readonly (string | null)[]): (raw: RawRecord) => StagedRow {
  // An empty last header cell comes from a delimiter ending every line: a record may leave it out.
  const minFields = columns.length > 0 && columns[columns.length - 1] === null ? columns.length - 1 : columns.length;
  return (raw) => stagedRow(raw, columns, minFields);
}

function stagedRow(raw: RawRecord, columns: readonly (string | null)[], minFields: number): StagedRow {
  const { fields } = raw;
  // Most records have no problem: no array for them.
  let problems: string[] | null =
    fields.length < minFields || hasValueBeyond(fields, columns.length) ? ['COLUMN_COUNT'] : null;
  let nul = false;
  const record: Record<string, string> = {};
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i];
    if (column === null) continue;
    let value = fields[i] ?? '';
    // PostgreSQL text cannot hold NUL: drop it and reject the record.
    if (value.includes('\u0000')) {
      value = value.replaceAll('\u0000', '');
      nul = true;
    }
    record[column] = value;
  }
  if (nul) problems = [...(problems ?? []), 'NUL_CHAR'];
  return { rowNumber: raw.rowNumber, lineNumber: raw.lineNumber, record, problems };
}

function hasValueBeyond(fields: string[], width: number): boolean {
  for (let i = width; i < fields.length; i++) if (fields[i] !== '') return true;
  return false;
}
