import { mappedSource } from '../sources/mapped/mapped';
import { mapFileHeader, mappingSchema } from '../sources/mapped/mapping';
import { previewColumns, previewValues } from '../sources/mapped/preview-columns';
import type { RowError } from '../domain/row-error';
import { FileRejectedError } from '../errors';
import type { RawRecord } from '../files/read-records';
import type { ImportDeps } from './deps';
import type { ImportOptions } from './import-options';
import { openFileInChild } from './read-in-child';
import { resolveImportLocale } from './resolve-locale';
import { validationContext } from './validation-context';

/** Records the mapping screen shows: enough to judge a mapping, few enough to answer at once. */
export const PREVIEW_RECORDS = 5;

export interface MappingPreview {
  /** The file's header and its first records, as Ferry reads them (dates of a workbook as text). */
  header: string[];
  rows: string[][];
  /** With a mapping: the records as they would be imported, each with its validation result; a custom attribute in a column `attributes.<key>`. */
  mapped: {
    columns: string[];
    missing: string[];
    records: { rowNumber: number; values: Record<string, string>; ok: boolean; errors: RowError[] }[];
  } | null;
}

/**
 * The first records of a file through a mapping that need not be saved yet: the same reader, the
 * same projection and the same validation as the import, so the preview is what the import will do.
 */
export async function previewMapping(
  deps: ImportDeps,
  upload: { path: string; fileName: string; options: ImportOptions },
  fields: unknown,
): Promise<MappingPreview> {
  const { records } = await openFileInChild(upload);
  const first = await records.next();
  if (first.done || !('header' in first.value))
    throw new FileRejectedError('NO_HEADER', `${upload.fileName}: the file has no header row`);
  const header = first.value.header;
  const raw: RawRecord[] = [];
  for await (const r of records) {
    if ('header' in r) continue;
    raw.push(r);
    if (raw.length === PREVIEW_RECORDS) break;
  }
  await records.return(undefined);
  const rows = raw.map((r) => r.fields);
  if (fields === undefined) return { header, rows, mapped: null };
  const mapping = mappingSchema.parse({ name: 'preview', fields });
  const projected = mapFileHeader(header, mapping);
  const source = mappedSource;
  const locale = await resolveImportLocale(deps.pool, upload.options, deps.defaultRegion);
  const ctx = {
    ...validationContext(deps, { ...locale, dateOrder: locale.dateOrder ?? null, dateEra: locale.dateEra ?? null }),
    digests: false,
  };
  const targets = Object.keys(mapping.fields);
  const mapped = raw.map((r) => {
    const staged = Object.fromEntries(projected.header.map((column, i) => [column, projected.project(r.fields)[i]]));
    const result = source.validate(staged, ctx);
    return {
      rowNumber: r.rowNumber,
      values: previewValues(staged, result, targets),
      ok: result.ok,
      errors: result.ok ? [] : result.errors,
    };
  });
  return {
    header,
    rows,
    mapped: { columns: previewColumns(projected.header, targets), missing: projected.missing, records: mapped },
  };
}
