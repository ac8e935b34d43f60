import type { NationalIdChecker } from './scheme';

/**
 * Malaysian MyKad number: 12 digits, YYMMDD-PB-####, the first six the holder's birth date. The
 * century is not written, so 29 February is accepted for every year divisible by four (00 is 2000).
 */
export const malaysiaMyKad: NationalIdChecker = {
  scheme: 'my',
  label: 'Malaysian MyKad number',
  kind: 'my_mykad',
  example: '900131-14-5678',
  canonical(text) {
    const digits = text.replace(/[\s-]/g, '');
    if (!/^\d{12}$/.test(digits)) return { ok: false, reason: 'must be 12 digits' };
    const [yy, mm, dd] = [Number(digits.slice(0, 2)), Number(digits.slice(2, 4)), Number(digits.slice(4, 6))];
    const days = mm === 2 ? (yy % 4 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(mm) ? 30 : 31;
    if (mm < 1 || mm > 12 || dd < 1 || dd > days)
      return { ok: false, reason: 'does not start with a valid date (YYMMDD)' };
    return { ok: true, value: digits };
  },
};
