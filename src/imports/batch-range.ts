/** Rows firstRow..lastRow of an import, both included, counted from 1 like import_errors.row_number. */
export interface BatchRange {
  firstRow: number;
  lastRow: number;
}
