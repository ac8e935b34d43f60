import { asciiDigits, cellText } from './cell-text';
import type { Checked } from './row-error';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A real calendar date written yyyy-mm-dd. Checked by arithmetic, not Date parsing:
 * JavaScript turns 2023-02-30 into 2 March. Thai and full-width digits read as their ASCII twins.
 */
export function parseIsoDate(raw: string, field: string, today: string): Checked<string> {
  const value = cellText(asciiDigits(raw));
  const m = ISO_DATE.exec(value);
  if (!m) return fail(field, 'INVALID_DATE', `${field} must be a date written yyyy-mm-dd`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return fail(field, 'INVALID_DATE', `${field} is not a real calendar date`);
  }
  if (value > today) {
    const hint = year > 2400 ? ' (the year looks like Buddhist era: subtract 543)' : '';
    return fail(field, 'DATE_IN_FUTURE', `${field} is in the future${hint}`);
  }
  if (year < 1900) return fail(field, 'INVALID_DATE', `${field} is before 1900`);
  return { ok: true, value };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function fail(field: string, code: string, message: string): Checked<string> {
  return { ok: false, error: { field, code, message } };
}
