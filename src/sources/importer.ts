import type pg from 'pg';
import type { Queryable } from '../db/queryable';
import type { Outcome } from '../db/queries/ledger';

export type BatchCounts = Record<Outcome, number>;

export interface ValidRow<T> {
  rowNumber: number;
  lineNumber: number;
  record: Record<string, string>;
  value: T;
}

export interface ImportedRow<T> {
  rowNumber: number;
  outcome: Outcome;
  customerId: number;
  value: T;
}

/** A field of one record whose stored value differs from the source: row numbers and names only, no values. */
export interface Mismatch {
  rowNumber: number;
  field: string;
}

/** What the batch transaction decided before the source writes. */
export interface BatchWriteOptions {
  /** Rows of the batch's own new customers may be written with row triggers off (NewCustomerRows). */
  skipRowTriggers: boolean;
  /**
   * Where the batch's lookups run: the pool, each on a connection of its own, all at once. They run
   * under the write lock and before the batch writes anything, so the committed data they read is
   * exactly what the batch's own transaction would see, and PostgreSQL answers them side by side.
   */
  lookups: Queryable;
  /**
   * To be called once the batch's lookups have answered, before its writes: the worker then starts
   * reading and checking the next range. Started with the batch, that work would take the cores from
   * the lookups it runs beside, which would then wait on it.
   */
  lookedUp: () => void;
}

/** How a source writes a batch and reads it back; its columns and rules are its SourceDefinition. */
export interface Importer<T> {
  importBatch(
    client: pg.PoolClient,
    importId: number,
    rows: ValidRow<T>[],
    options: BatchWriteOptions,
  ): Promise<BatchCounts>;
  readBack(db: Queryable, importId: number, rows: ImportedRow<T>[]): Promise<Mismatch[]>;
}
