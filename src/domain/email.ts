import { cellText } from './cell-text';
import type { Checked } from './row-error';

// Unicode letters are allowed on both sides: Thai-script addresses are real (see the design notes).
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@(?:[^\s@<>()[\]\\,;:".]+\.)+[^\s@<>()[\]\\,;:".]{2,}$/u;

/** Trims, drops zero-width characters and the error report's formula escape, lower-cases; rejects anything that is not one address. */
export function normalizeEmail(raw: string, field = 'email'): Checked<string> {
  const value = cellText(raw).normalize('NFC').toLowerCase();
  if (value.startsWith('mailto:')) {
    return {
      ok: false,
      error: { field, code: 'INVALID_EMAIL', message: `${field} must be a bare address, not a mailto: link` },
    };
  }
  if (value.length > 254 || !EMAIL.test(value)) {
    return { ok: false, error: { field, code: 'INVALID_EMAIL', message: `${field} is not a valid email address` } };
  }
  return { ok: true, value };
}
