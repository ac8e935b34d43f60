import { defaultSchemeFor, type NationalIdScheme } from './national-id';
import { FALLBACK_REGION, type Region } from './region';

export const DATE_ORDERS = ['DD/MM/YYYY', 'MM/DD/YYYY'] as const;
export type DateOrder = (typeof DATE_ORDERS)[number];
/** CE: Gregorian years as written; BE: Buddhist era (2533 = 1990), 543 subtracted. */
export const DATE_ERAS = ['CE', 'BE'] as const;
export type DateEra = (typeof DATE_ERAS)[number];

/**
 * How one import reads what its file writes the local way: phones without a country code, the
 * national ids, dates that are not ISO. Stored on the import row; validation reads it from there.
 */
export interface ImportLocale {
  region: Region;
  nationalIdScheme: NationalIdScheme;
  /** Absent: only yyyy-mm-dd is a date; a slash date is rejected rather than guessed. */
  dateOrder?: DateOrder;
  /** Absent: CE, except that years above 2400 are read as Buddhist era (as before locales). */
  dateEra?: DateEra;
}

/** The locale of an import that names nothing and a deployment that sets nothing: Thai. */
export const THAI_LOCALE: ImportLocale = { region: FALLBACK_REGION, nationalIdScheme: 'th' };

/** The import's own choices first, then its saved mapping's, then the deployment's region. */
export function resolveLocale(layers: Partial<ImportLocale>[], defaultRegion: Region): ImportLocale {
  const pick = <K extends keyof ImportLocale>(key: K) => layers.find((l) => l[key] !== undefined)?.[key];
  const region = pick('region') ?? defaultRegion;
  const locale: ImportLocale = { region, nationalIdScheme: pick('nationalIdScheme') ?? defaultSchemeFor(region) };
  const dateOrder = pick('dateOrder');
  const dateEra = pick('dateEra');
  if (dateOrder) locale.dateOrder = dateOrder;
  if (dateEra) locale.dateEra = dateEra;
  return locale;
}

/** The locale a validation runs under; contexts built without one (unit tests, older callers) are Thai. */
export function localeOf(ctx: { locale?: ImportLocale }): ImportLocale {
  return ctx.locale ?? THAI_LOCALE;
}
