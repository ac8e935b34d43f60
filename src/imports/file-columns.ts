import type { ImportRecord } from '../db/queries/imports';

/**
 * A source that stages its own projection of the file (mapped: the fields its mapping fills) also
 * stages the file's record as uploaded, each cell under the key `@<position>`, which no source
 * column can be. The import's header then lists the file's own columns under those keys, so the
 * error report gives back the file's header and records as they came, every column included.
 */
const PREFIX = '@';

/** Staged keys of the file's columns; an empty last header cell (a delimiter ending every line) holds nothing. */
export function fileColumnKeys(fileHeader: string[]): (string | null)[] {
  return fileHeader.map((cell, i) => (i === fileHeader.length - 1 && cell.trim() === '' ? null : `${PREFIX}${i + 1}`));
}

function isFileColumn(column: string | null): column is string {
  return column !== null && column.startsWith(PREFIX);
}

/** The record keyed by the file's own header, for an import that staged it; else the staged record as it is. */
export function recordAsUploaded(
  imp: Pick<ImportRecord, 'header'>,
  record: Record<string, string>,
): Record<string, string> {
  const columns = imp.header.filter((h) => isFileColumn(h.column));
  if (columns.length === 0) return record;
  return Object.fromEntries(columns.map((h) => [h.original, record[h.column!] ?? '']));
}
