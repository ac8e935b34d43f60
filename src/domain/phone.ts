import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { asciiDigits, cellText } from './cell-text';
import { thaiFastE164 } from './phone-thai-fast';
import { FALLBACK_REGION, type Region } from './region';
import type { Checked, RowError } from './row-error';

export interface Phone {
  /** E.164 without extension, the form every comparison uses. */
  e164: string;
  extension: string | null;
}

/** A cell may hold several numbers; split before parsing, or libphonenumber reads the second as an extension. */
export function splitPhoneList(cell: string): string[] {
  return cell
    .split(/[,;/|\n\r]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

// No leading \s*: unanchored, it makes the search quadratic on long runs of spaces.
const EXTENSION = /(?:ต่อ|ext\.?|extension|x|#)\s*(\d{1,6})$/i;
const EXCEL_MANGLED = /^\d(?:\.\d+)?e\+?\d+$|^\d+\.0+$/i;
const ASCII_ONLY = /^[\x00-\x7f]*$/;

type Prepared = { ok: true; compact: string; extension: string | null } | { ok: false; error: RowError };

/**
 * Normalises one phone number to E.164, reading national numbers (no country code) in `region`.
 * In Thailand the common shapes are answered without libphonenumber; phone-fast-path.test.ts proves
 * the answers are the same. Its patterns are Thai numbering, so no other region may take that path.
 */
export function normalizePhone(raw: string, field = 'phone', region: Region = FALLBACK_REGION): Checked<Phone> {
  const prepared = prepare(raw, field, region);
  if (!prepared.ok) return prepared;
  const fast = region === 'TH' ? thaiFastE164(prepared.compact) : null;
  if (fast !== null) return { ok: true, value: { e164: fast, extension: prepared.extension } };
  return parseWithLibphonenumber(prepared.compact, prepared.extension, field, region);
}

/** normalizePhone without the fast path: libphonenumber decides every number. The reference for tests and benchmarks. */
export function normalizePhoneSlow(raw: string, field = 'phone', region: Region = FALLBACK_REGION): Checked<Phone> {
  const prepared = prepare(raw, field, region);
  if (!prepared.ok) return prepared;
  return parseWithLibphonenumber(prepared.compact, prepared.extension, field, region);
}

/** Digits to ASCII, extension apart, separators out; in Thailand 0066 and a lost leading zero repaired. */
function prepare(raw: string, field: string, region: Region): Prepared {
  // NFKC leaves ASCII unchanged; skipping it saves a third of the fast path.
  let text = cellText(ASCII_ONLY.test(raw) ? raw : asciiDigits(raw.normalize('NFKC')));
  if (EXCEL_MANGLED.test(text)) {
    return fail(
      field,
      'EXCEL_NUMERIC_MANGLED',
      `${field} was turned into a number by a spreadsheet (scientific notation or ".0"); digits cannot be recovered`,
    );
  }
  let extension: string | null = null;
  const ext = EXTENSION.exec(text);
  if (ext) {
    extension = ext[1];
    text = text.slice(0, ext.index);
  }
  let compact = text.replace(/[\s\-.()\u00a0]/g, '');
  if (region !== 'TH') return { ok: true, compact, extension };
  // Thailand's international prefixes are 001/007/008/009; "0066…" is how foreign systems write +66.
  if (compact.startsWith('0066')) compact = `+66${compact.slice(4)}`;
  // A mobile number whose leading zero a spreadsheet dropped: 812345678.
  if (/^[689]\d{8}$/.test(compact)) compact = `0${compact}`;
  return { ok: true, compact, extension };
}

function parseWithLibphonenumber(
  compact: string,
  extension: string | null,
  field: string,
  region: Region,
): Checked<Phone> {
  if (!/^\+?\d+$/.test(compact)) {
    return fail(field, 'INVALID_PHONE', `${field} must contain only digits, spaces, dashes and an optional leading +`);
  }
  if (compact.replace('+', '').length < 8 || compact.length > 16) {
    return fail(field, 'INVALID_PHONE', `${field} is not a valid phone number (too short or too long)`);
  }
  const parsed = parsePhoneNumberFromString(compact, region);
  if (!parsed || !parsed.isValid()) {
    return fail(field, 'INVALID_PHONE', `${field} is not a valid phone number`);
  }
  return { ok: true, value: { e164: parsed.number, extension } };
}

function fail(field: string, code: string, message: string): { ok: false; error: RowError } {
  return { ok: false, error: { field, code, message } };
}
