import type { NationalIdChecker } from './scheme';

/** Any other country's id, opaque: trimmed, inner white space removed, upper-cased; no checksum to hold it to. */
export const opaqueNationalId: NationalIdChecker = {
  scheme: 'any',
  label: 'national id',
  kind: 'any_national_id',
  example: 'AB123456',
  canonical(text) {
    const id = text.replace(/\s+/g, '').toUpperCase();
    if (id.length > 64 || /[\u0000-\u001f\u007f]/.test(id))
      return { ok: false, reason: 'must be at most 64 characters without control characters' };
    return { ok: true, value: id };
  },
};
