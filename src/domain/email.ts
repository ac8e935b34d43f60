import type { Checked } from './row-error';

const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;
// Unicode letters are allowed on both sides: Thai-script addresses are real (see the design notes).
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@(?:[^\s@<>()[\]\\,;:".]+\.)+[^\s@<>()[\]\\,;:".]{2,}$/u;

/** Trims, drops zero-width characters, lower-cases; rejects anything that is not one address. */
export function normalizeEmail(raw: string, field = 'email'): Checked<string> {
  const value = raw.replace(ZERO_WIDTH, '').trim().normalize('NFC').toLowerCase();
  if (value.startsWith('mailto:')) {
    return { ok: false, error: { field, code: 'INVALID_EMAIL', message: `${field} must be a bare address, not a mailto: link` } };
  }
  if (value.length > 254 || !EMAIL.test(value)) {
    return { ok: false, error: { field, code: 'INVALID_EMAIL', message: `${field} is not a valid email address` } };
  }
  return { ok: true, value };
}
