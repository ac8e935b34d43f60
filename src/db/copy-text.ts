/** A value of one column of a COPY row; null is SQL NULL. */
export type CopyValue = string | number | boolean | null;

/** Characters COPY's text format reads as syntax inside a value. */
const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * One value as a field of COPY's text format. A backslash, tab, line feed or carriage return is
 * escaped, so no value can end its field or line early, nor read as "\N" (NULL) or "\." (end of
 * data); every other character goes as it is. Most values hold none of the four: they skip the replace.
 */
export function copyField(value: CopyValue | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (ch) => ESCAPES[ch]) : value;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value);
}

/** The COPY text-format data of `rows`, one line per row, one tab-separated field (copyField) per column. */
export function copyText<R>(rows: readonly R[], columns: readonly ((row: R) => CopyValue)[]): string {
  let text = '';
  for (const row of rows) {
    for (let c = 0; c < columns.length; c++) {
      if (c > 0) text += '\t';
      text += copyField(columns[c](row));
    }
    text += '\n';
  }
  return text;
}
