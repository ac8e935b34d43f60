import type { NationalIdChecker } from './scheme';

/** Thai national id: 13 digits, the last a mod-11 check digit over the first 12. */
export const thaiNationalId: NationalIdChecker = {
  scheme: 'th',
  label: 'Thai national id',
  kind: 'th_national_id',
  example: '1101700230708',
  canonical(text) {
    const digits = text.replace(/[\s-]/g, '');
    if (!/^\d{13}$/.test(digits)) return { ok: false, reason: 'must be 13 digits' };
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += Number(digits[i]) * (13 - i);
    if ((11 - (sum % 11)) % 10 !== Number(digits[12])) return { ok: false, reason: 'fails the check digit' };
    return { ok: true, value: digits };
  },
};
