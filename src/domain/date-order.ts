import { asciiDigits, cellText } from './cell-text';
import { parseIsoDate } from './date';
import type { DateEra, DateOrder } from './import-locale';
import type { Checked } from './row-error';

const SLASH_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

/**
 * A date cell of a source that reads local dates: yyyy-mm-dd always; d/m/yyyy or m/d/yyyy (/ . or -
 * between) only in the order the import declares. A value that is a real date only in the other
 * order ("25/12/1990" under MM/DD/YYYY) is ambiguous under the declaration: it is rejected as
 * DATE_ORDER_CONFLICT, never swapped, since one such value says the column may not be in the
 * declared order at all. Values that read as dates in both orders follow the declaration.
 */
export function readLocalDate(
  raw: string,
  field: string,
  today: string,
  order?: DateOrder,
  era?: DateEra,
): Checked<string> {
  const value = asciiDigits(cellText(raw));
  const iso = ISO_DATE.exec(value);
  if (iso) return calendarDate(iso[1], iso[2], iso[3], field, today, era);
  const slash = SLASH_DATE.exec(value);
  if (!slash || !order) {
    const hint = slash
      ? '; day/month dates need the import option dateOrder (DD/MM/YYYY or MM/DD/YYYY)'
      : order
        ? ` or ${order}`
        : '';
    return fail(field, 'INVALID_DATE', `${field} must be a date written yyyy-mm-dd${hint}`);
  }
  const [day, month] = order === 'DD/MM/YYYY' ? [slash[1], slash[2]] : [slash[2], slash[1]];
  const conflict = orderConflict(slash[1], slash[2], order, field);
  if (conflict) return conflict;
  return calendarDate(slash[3], month, day, field, today, era);
}

/**
 * DATE_ORDER_CONFLICT when the first two parts of a slash date ("12/25/1990") make a date only in
 * the order other than `order`; null when the declared order may hold. Shared by every reader of
 * declared layouts (the import's dateOrder, a mapping's format), so none of them swaps silently.
 */
export function orderConflict(
  firstPart: string,
  secondPart: string,
  order: DateOrder,
  field: string,
): Checked<string> | null {
  const [first, second] = [Number(firstPart), Number(secondPart)];
  const month = order === 'DD/MM/YYYY' ? second : first;
  if (month <= 12 || Math.min(first, second) > 12 || Math.max(first, second) > 31) return null;
  const other = order === 'DD/MM/YYYY' ? 'MM/DD/YYYY' : 'DD/MM/YYYY';
  return fail(
    field,
    'DATE_ORDER_CONFLICT',
    `${field} is a date only when read as ${other}, but ${order} is declared; it is not swapped: check the column's order`,
  );
}

function calendarDate(y: string, m: string, d: string, field: string, today: string, era?: DateEra): Checked<string> {
  let year = Number(y);
  // Without a declared era, a year above 2400 can only be Buddhist era (the rule of parseDate).
  if (era === 'BE' || (era === undefined && year > 2400)) year -= 543;
  return parseIsoDate(`${String(year).padStart(4, '0')}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`, field, today);
}

function fail(field: string, code: string, message: string): Checked<string> {
  return { ok: false, error: { field, code, message } };
}
