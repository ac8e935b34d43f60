import type { Checked } from '../row-error';
import type { Region } from '../region';

export const NATIONAL_ID_SCHEMES = ['th', 'sg', 'my', 'any'] as const;
export type NationalIdScheme = (typeof NATIONAL_ID_SCHEMES)[number];

/** One national-id scheme: how a cell becomes the canonical id that is hashed, and what the id is called. */
export interface NationalIdChecker {
  scheme: NationalIdScheme;
  /** Named in rejections: "not a valid <label> (scheme sg)". */
  label: string;
  /** The `kind` of its rows in customer_identities: duplicate checks compare within one kind. */
  kind: string;
  /** A sample id for templates and documentation (a published example, never a real person's). */
  example: string;
  /** The canonical form, or a reason (without the value) when the cell is not a valid id of the scheme. */
  canonical(text: string): { ok: true; value: string } | { ok: false; reason: string };
}

export type CheckedId = Checked<string | null>;

/** The scheme an import uses when it names none: the one of its region's national ids, else opaque. */
export function defaultSchemeFor(region: Region): NationalIdScheme {
  if (region === 'TH') return 'th';
  if (region === 'SG') return 'sg';
  if (region === 'MY') return 'my';
  return 'any';
}
