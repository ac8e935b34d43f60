import type { NationalIdChecker } from './scheme';

const WEIGHTS = [2, 7, 6, 5, 4, 3, 2];

/**
 * Per prefix: the constant added to the weighted sum and the check letters indexed by the sum mod 11,
 * as ICA publishes them (S and T: citizens and PRs; F and G: foreigners; M: foreigners from 2022).
 * M's published table is read from P = 11 - R, which is this reversed table indexed by R.
 */
const PREFIXES: Record<string, { offset: number; letters: string }> = {
  S: { offset: 0, letters: 'JZIHGFEDCBA' },
  T: { offset: 4, letters: 'JZIHGFEDCBA' },
  F: { offset: 0, letters: 'XWUTRQPNMLK' },
  G: { offset: 4, letters: 'XWUTRQPNMLK' },
  M: { offset: 3, letters: 'XWUTRQPNJLK' },
};

/** Singapore NRIC or FIN: S, T, F, G or M, seven digits, a check letter. */
export const singaporeNric: NationalIdChecker = {
  scheme: 'sg',
  label: 'Singapore NRIC/FIN',
  kind: 'sg_nric',
  example: 'S1234567D',
  canonical(text) {
    const id = text.replace(/[\s-]/g, '').toUpperCase();
    const m = /^([STFGM])(\d{7})([A-Z])$/.exec(id);
    if (!m) return { ok: false, reason: 'must be S, T, F, G or M, seven digits and a letter' };
    const { offset, letters } = PREFIXES[m[1]];
    const sum = WEIGHTS.reduce((total, weight, i) => total + weight * Number(m[2][i]), offset);
    if (letters[sum % 11] !== m[3]) return { ok: false, reason: 'fails the check letter' };
    return { ok: true, value: id };
  },
};
