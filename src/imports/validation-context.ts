import type { ImportRecord } from '../db/queries/imports';
import { todayInBangkok } from '../domain/clock';
import type { ImportLocale } from '../domain/import-locale';
import type { ValidationContext } from '../sources/source';
import type { ImportDeps } from './deps';

/**
 * What the pure validation needs from the outside world: today's date, the national id key, and the
 * import's locale as its row records it (activities get ids only, never the options).
 */
export function validationContext(
  deps: ImportDeps,
  imp: Pick<ImportRecord, 'region' | 'nationalIdScheme' | 'dateOrder' | 'dateEra'>,
): ValidationContext {
  return { today: todayInBangkok(deps.clock), nationalIdKey: deps.nationalIdKey, locale: localeOfImport(imp) };
}

function localeOfImport(
  imp: Pick<ImportRecord, 'region' | 'nationalIdScheme' | 'dateOrder' | 'dateEra'>,
): ImportLocale {
  const locale: ImportLocale = { region: imp.region, nationalIdScheme: imp.nationalIdScheme };
  if (imp.dateOrder) locale.dateOrder = imp.dateOrder;
  if (imp.dateEra) locale.dateEra = imp.dateEra;
  return locale;
}
