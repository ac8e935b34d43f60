import crypto from 'node:crypto';
import { asciiDigits, cellText } from '../../domain/cell-text';
import { parseIsoDate } from '../../domain/date';
import { orderConflict } from '../../domain/date-order';
import { checkNationalId } from '../../domain/national-id';
import type { Checked, RowError } from '../../domain/row-error';

/** Collects every reason a record fails; validation never stops at the first. */
export class Problems {
  readonly errors: RowError[] = [];
  add(field: string, code: string, message: string): void {
    this.errors.push({ field, code, message });
  }
  take<T>(checked: Checked<T>, fallback: T): T {
    if (checked.ok) return checked.value;
    this.errors.push(checked.error);
    return fallback;
  }
}

const CONTROL = /[\u0000-\u001f\u007f]/;
export const MAX_NAME = 200;

/** A name trimmed, inner white space collapsed, NFC; '' when empty and not required. */
export function personName(raw: string, field: string, required: boolean): Checked<string> {
  const clean = cellText(raw).normalize('NFC').replace(/\s+/g, ' ');
  if (clean === '' && required) return fail(field, 'REQUIRED', `${field} is required`);
  if (clean.length > MAX_NAME) return fail(field, 'TOO_LONG', `${field} must be at most ${MAX_NAME} characters`);
  if (CONTROL.test(clean)) return fail(field, 'INVALID_CHARACTERS', `${field} contains control characters`);
  return { ok: true, value: clean };
}

/** "Somsri Jaidee" → first "Somsri", last "Jaidee"; a single word is a first name with an empty last name. */
export function splitFullName(full: string): { firstName: string; lastName: string } {
  const i = full.indexOf(' ');
  return i < 0 ? { firstName: full, lastName: '' } : { firstName: full.slice(0, i), lastName: full.slice(i + 1) };
}

/** A legacy id: non-empty, at most 64 characters, no white space or commas. */
export function legacyId(raw: string, field: string): Checked<string | null> {
  const id = cellText(raw);
  if (id === '') return { ok: true, value: null };
  if (id.length > 64 || /[\s,]/.test(id) || CONTROL.test(id))
    return fail(field, 'INVALID_ID', `${field} must be at most 64 characters without spaces or commas`);
  return { ok: true, value: id };
}

export function gender(raw: string, field = 'gender'): Checked<'F' | 'M' | null> {
  const g = cellText(raw).toUpperCase();
  if (g === '') return { ok: true, value: null };
  if (g === 'F' || g === 'M') return { ok: true, value: g };
  return fail(field, 'INVALID_GENDER', `${field} must be F or M when present`);
}

const CURRENCY = /^(?:THB|USD|EUR|GBP|SGD|฿|\$|€|£|¥)|(?:THB|USD|EUR|GBP|SGD|฿|\$|€|£|¥|บาท)$/i;

/**
 * An exact decimal as text (never a float): currency symbols or codes, spaces and thousands
 * separators removed, at most two decimals. "(1,234.50)" and "-1,234.50" are negative.
 */
export function decimalAmount(raw: string, field: string, opts: { allowNegative: boolean }): Checked<string> {
  let text = asciiDigits(cellText(raw)).replace(/[\s\u00a0]/g, '');
  let negative = false;
  if (/^\(.*\)$/.test(text)) {
    negative = true;
    text = text.slice(1, -1);
  }
  if (text.startsWith('-')) {
    negative = true;
    text = text.slice(1);
  }
  for (let i = 0; i < 2; i++) text = text.replace(CURRENCY, '');
  if (text.startsWith('-')) {
    negative = true;
    text = text.slice(1);
  }
  if (!/^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?$/.test(text)) {
    return fail(
      field,
      'INVALID_AMOUNT',
      `${field} must be a number with at most two decimals (currency symbols and thousands separators are allowed)`,
    );
  }
  const digits = text.replace(/,/g, '');
  const [whole, frac = ''] = digits.split('.');
  const normal = `${whole.replace(/^0+(?=\d)/, '')}.${frac.padEnd(2, '0')}`;
  if (whole.replace(/^0+/, '').length > 12) return fail(field, 'INVALID_AMOUNT', `${field} is too large`);
  if (negative && normal !== '0.00') {
    if (!opts.allowNegative) return fail(field, 'NEGATIVE_AMOUNT', `${field} must not be negative`);
    return { ok: true, value: `-${normal}` };
  }
  return { ok: true, value: normal };
}

export type DateFormat = 'YYYY-MM-DD' | 'MM/DD/YYYY' | 'DD/MM/YYYY';

/**
 * A date in the given layout to yyyy-mm-dd; `buddhistEra` years (or any year above 2400) lose 543.
 * Separators / - . are accepted for the slash layouts; one-digit day and month too.
 */
export function parseDate(
  raw: string,
  field: string,
  today: string,
  format: DateFormat = 'YYYY-MM-DD',
  buddhistEra = false,
): Checked<string> {
  const value = asciiDigits(cellText(raw));
  let y: string, m: string, d: string;
  if (format === 'YYYY-MM-DD') {
    const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
    if (!match) return fail(field, 'INVALID_DATE', `${field} must be a date written yyyy-mm-dd`);
    [, y, m, d] = match;
  } else {
    const match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
    if (!match) return fail(field, 'INVALID_DATE', `${field} must be a date written ${format}`);
    const conflict = orderConflict(match[1], match[2], format, field);
    if (conflict) return conflict;
    [y, m, d] = format === 'MM/DD/YYYY' ? [match[3], match[1], match[2]] : [match[3], match[2], match[1]];
  }
  let year = Number(y);
  if (buddhistEra || year > 2400) year -= 543;
  return parseIsoDate(`${String(year).padStart(4, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`, field, today);
}

/** Thai national id: 13 digits, the last a mod-11 check digit over the first 12. */
export function thaiNationalId(raw: string, field = 'nric'): Checked<string | null> {
  return checkNationalId(raw, 'th', field);
}

/** Digest of a record's normalised content: the sync history compares it on a re-import. */
export function contentHash(value: unknown): string {
  return sha256Hex(JSON.stringify(value));
}

// crypto.hash (Node 20.12+) digests in one native call; for a record's few hundred bytes that is
// about half the cost of a Hash object's create, update and digest. Same digest either way.
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

function fail<T>(field: string, code: string, message: string): Checked<T> {
  return { ok: false, error: { field, code, message } };
}
