import { findMapping } from '../db/queries/mappings';
import type { Queryable } from '../db/queryable';
import { resolveLocale, type ImportLocale } from '../domain/import-locale';
import { FALLBACK_REGION, type Region } from '../domain/region';
import type { ImportOptions } from './import-options';

/**
 * The locale an upload is imported under: its own options, then its saved mapping's, then the
 * deployment's DEFAULT_REGION. Decided once, at upload, and kept on the import row, so a later
 * change of the mapping or of the deployment never changes how a running import reads its file.
 */
export async function resolveImportLocale(db: Queryable, options: ImportOptions, defaultRegion: Region = FALLBACK_REGION): Promise<ImportLocale> {
  const mapping = options.mappingId === undefined ? null : await findMapping(db, options.mappingId);
  const fromMapping: Partial<ImportLocale> = { region: mapping?.region ?? undefined, nationalIdScheme: mapping?.nationalIdScheme ?? undefined };
  return resolveLocale([options, fromMapping], defaultRegion);
}
