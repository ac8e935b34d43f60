import { findImport } from '../db/queries/imports';
import { findMapping } from '../db/queries/mappings';
import type { Queryable } from '../db/queryable';
import { resolveLocale, type ImportLocale } from '../domain/import-locale';
import { FALLBACK_REGION, type Region } from '../domain/region';
import type { ImportOptions } from './import-options';

/**
 * The locale an upload is imported under: its own options, then (for a follow-up) its parent's,
 * then its saved mapping's, then the deployment's DEFAULT_REGION. A follow-up corrects records of
 * its parent's file, so it reads them as the parent did. Decided once, at upload, and kept on the
 * import row, so a later change of the mapping or of the deployment never changes how a running
 * import reads its file.
 */
export async function resolveImportLocale(
  db: Queryable,
  options: ImportOptions,
  defaultRegion: Region = FALLBACK_REGION,
): Promise<ImportLocale> {
  const parent = options.parentImportId === undefined ? null : await findImport(db, options.parentImportId);
  // A follow-up that names its own region gets that region's scheme, not the parent's.
  const fromParent: Partial<ImportLocale> = parent
    ? {
        region: parent.region,
        nationalIdScheme: options.region ? undefined : parent.nationalIdScheme,
        dateOrder: parent.dateOrder ?? undefined,
        dateEra: parent.dateEra ?? undefined,
      }
    : {};
  const mapping = options.mappingId === undefined ? null : await findMapping(db, options.mappingId);
  const fromMapping: Partial<ImportLocale> = {
    region: mapping?.region ?? undefined,
    nationalIdScheme: mapping?.nationalIdScheme ?? undefined,
  };
  return resolveLocale([options, fromParent, fromMapping], defaultRegion);
}
