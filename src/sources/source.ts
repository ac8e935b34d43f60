import type { ColumnSpec } from '../domain/columns';
import type { ImportLocale } from '../domain/import-locale';
import type { RowError } from '../domain/row-error';

export interface ValidationContext {
  /** yyyy-mm-dd in the business's calendar; injected so validation stays pure and testable. */
  today: string;
  /** HMAC key of national id digests (NATIONAL_ID_HASH_KEY, through the worker's deps); absent: the development key. */
  nationalIdKey?: string;
  /** The import's region, national-id scheme and date order (from its row); absent: Thai. */
  locale?: ImportLocale;
  /**
   * false: a source may return its records with an empty `hash`; Nana does, its digest being a
   * third of its check. The validate phase asks only whether a record passes; the digest is for the
   * batch that writes it. (Loyalty ledger records are keyed by their digest and always get it.)
   */
  digests?: boolean;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: RowError[] };

/** What every source module provides: its columns, how a raw record becomes a typed one, and a sample. */
export interface SourceDefinition<T> {
  name: string;
  label: string;
  description: string;
  columns: ColumnSpec[];
  validate(record: Record<string, string>, ctx: ValidationContext): ValidationResult<T>;
  templateRows: Record<string, string>[];
  /** Set when a record matching an existing customer follows the import's `duplicates` option: the choices offered. */
  duplicateStrategies?: readonly string[];
}
