import { asciiDigits, cellText } from '../cell-text';
import type { Checked } from '../row-error';
import { opaqueNationalId } from './any';
import { malaysiaMyKad } from './my';
import { NATIONAL_ID_SCHEMES, type NationalIdChecker, type NationalIdScheme } from './scheme';
import { singaporeNric } from './sg';
import { thaiNationalId } from './th';

export { defaultSchemeFor, NATIONAL_ID_SCHEMES, type NationalIdChecker, type NationalIdScheme } from './scheme';
export { schemeNationalIdHash } from './hash';

export const NATIONAL_ID_CHECKERS: Record<NationalIdScheme, NationalIdChecker> = {
  th: thaiNationalId,
  sg: singaporeNric,
  my: malaysiaMyKad,
  any: opaqueNationalId,
};

/**
 * A national id cell in the import's scheme: null when empty, the canonical id when valid, else
 * INVALID_NATIONAL_ID naming the scheme it failed ("not a valid Singapore NRIC/FIN (scheme sg)").
 */
export function checkNationalId(raw: string, scheme: NationalIdScheme, field: string): Checked<string | null> {
  const text = asciiDigits(cellText(raw));
  if (text === '') return { ok: true, value: null };
  const checker = NATIONAL_ID_CHECKERS[scheme];
  const result = checker.canonical(text);
  if (result.ok) return result;
  return {
    ok: false,
    error: {
      field,
      code: 'INVALID_NATIONAL_ID',
      message: `${field} is not a valid ${checker.label} (scheme ${scheme}): ${result.reason}`,
    },
  };
}

/** customer_identities.kind of a scheme's ids. */
export function nationalIdKind(scheme: NationalIdScheme): string {
  return NATIONAL_ID_CHECKERS[scheme].kind;
}

/** One example per scheme, for column descriptions, templates and documentation. */
export function nationalIdExamples(): string {
  return NATIONAL_ID_SCHEMES.map(
    (scheme) => `${scheme}: ${NATIONAL_ID_CHECKERS[scheme].label}, e.g. ${NATIONAL_ID_CHECKERS[scheme].example}`,
  ).join('; ');
}
