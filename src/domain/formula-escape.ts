/**
 * What a spreadsheet skips before it decides a cell is a formula: whitespace, the no-break and
 * zero-width spaces, bidi marks. A value that starts with them and then `=` is still a formula.
 */
const INVISIBLE = '\\s\\u00a0\\u1680\\u180e\\u2000-\\u200f\\u2028-\\u202f\\u205f-\\u2064\\u2066-\\u206f\\u3000\\ufeff';
/** `= + - @` and their full-width forms, which Excel folds to the ASCII ones. */
const FORMULA = '=+\\-@\\uff1d\\uff0b\\uff0d\\uff20';

const FORMULA_LIKE = new RegExp(`^(?:[\\t\\r\\n]|[${INVISIBLE}]*[${FORMULA}])`);

/** After the report's leading quotes and spaces, the quote it added before a formula-like value. */
export const REPORT_ESCAPE = new RegExp(`^['\\s]*'(?=[\\t\\r\\n]|[${INVISIBLE}]*[${FORMULA}])`);

/** A leading quote keeps a formula-like value text in every spreadsheet (OWASP CSV injection). */
export function escapeFormula(value: string): string {
  return FORMULA_LIKE.test(value) ? `'${value}` : value;
}
