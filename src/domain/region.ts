import { isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';

/** An ISO 3166-1 alpha-2 code that libphonenumber has numbering data for: the phone rules of an import. */
export type Region = CountryCode;

/** The region of deployments that say nothing: Ferry's first customers are Thai. */
export const FALLBACK_REGION: Region = 'TH';

export function isRegion(value: string): value is Region {
  return /^[A-Z]{2}$/.test(value) && isSupportedCountry(value);
}

/** Accepts any case ("sg"), answers upper case; refuses codes without phone numbering data. */
export const regionSchema = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .refine(isRegion, {
    message: 'region must be an ISO 3166-1 alpha-2 country code with phone numbering (TH, SG, MY, …)',
  })
  .transform((v) => v as Region);
