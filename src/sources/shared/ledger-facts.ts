import type pg from 'pg';

/** A line the batch creates in a ledger: the customer its member resolved to, its row and its record. */
export interface CreatedLine<T> {
  customerId: number;
  rowNumber: number;
  value: T;
}

/**
 * What the shared ledger writer, read-back and verification need of one ledger source: where its
 * transactions are kept, how created lines are written there, the columns a line is stored with as
 * read back (dates as yyyy-mm-dd), the amount a line adds to its member's total and what that total is
 * called. `T` is the source's record; `never` where the record type is forgotten, as in the registry.
 */
export interface LedgerFacts<T = never> {
  table: 'points_transactions' | 'purchases';
  insert: (client: pg.PoolClient, importId: number, lines: CreatedLine<T>[]) => Promise<void>;
  storedColumnsOf: (value: T) => Record<string, unknown>;
  amountOf: (value: T) => string;
  totalName: string;
}
