/** One reason a record was rejected. Messages name the field and rule, never the value. */
export interface RowError {
  field: string;
  code: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: RowError };
