import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Checked } from './row-error';

export interface Phone {
  /** E.164 without extension, the form every comparison uses. */
  e164: string;
  extension: string | null;
}

const THAI_DIGIT_ZERO = 0x0e50;
const FULLWIDTH_DIGIT_ZERO = 0xff10;

/** Thai (๐-๙) and full-width digits to ASCII, so "๐๘๑-๒๓๔-๕๖๗๘" reads as 081-234-5678. */
function asciiDigits(value: string): string {
  return value.replace(/[\u0e50-\u0e59\uff10-\uff19]/g, (d) => {
    const code = d.charCodeAt(0);
    const base = code >= FULLWIDTH_DIGIT_ZERO ? FULLWIDTH_DIGIT_ZERO : THAI_DIGIT_ZERO;
    return String(code - base);
  });
}

/** A cell may hold several numbers; split before parsing, or libphonenumber reads the second as an extension. */
export function splitPhoneList(cell: string): string[] {
  return cell
    .split(/[,;/|\n\r]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

const EXTENSION = /\s*(?:ต่อ|ext\.?|extension|x|#)\s*(\d{1,6})\s*$/i;
const EXCEL_MANGLED = /^\d(?:\.\d+)?e\+?\d+$|^\d+\.0+$/i;

/** Normalises one phone number to E.164, reading national numbers as Thai. */
export function normalizePhone(raw: string, field = 'phone'): Checked<Phone> {
  let text = asciiDigits(raw.normalize('NFKC')).trim();
  if (EXCEL_MANGLED.test(text)) {
    return fail(field, 'EXCEL_NUMERIC_MANGLED', `${field} was turned into a number by a spreadsheet (scientific notation or ".0"); digits cannot be recovered`);
  }
  let extension: string | null = null;
  const ext = EXTENSION.exec(text);
  if (ext) {
    extension = ext[1];
    text = text.slice(0, ext.index);
  }
  let compact = text.replace(/[\s\-.()\u00a0]/g, '');
  // Thailand's international prefixes are 001/007/008/009; "0066…" is how foreign systems write +66.
  if (compact.startsWith('0066')) compact = `+66${compact.slice(4)}`;
  // A mobile number whose leading zero a spreadsheet dropped: 812345678.
  if (/^[689]\d{8}$/.test(compact)) compact = `0${compact}`;
  if (!/^\+?\d+$/.test(compact)) {
    return fail(field, 'INVALID_PHONE', `${field} must contain only digits, spaces, dashes and an optional leading +`);
  }
  if (compact.replace('+', '').length < 8 || compact.length > 16) {
    return fail(field, 'INVALID_PHONE', `${field} is not a valid phone number (too short or too long)`);
  }
  const parsed = parsePhoneNumberFromString(compact, 'TH');
  if (!parsed || !parsed.isValid()) {
    return fail(field, 'INVALID_PHONE', `${field} is not a valid phone number`);
  }
  return { ok: true, value: { e164: parsed.number, extension } };
}

function fail(field: string, code: string, message: string): Checked<Phone> {
  return { ok: false, error: { field, code, message } };
}
