import type pg from 'pg';
import { setRowTriggers } from '../../db/queries/row-triggers';

/**
 * The writes of one batch transaction that reference only customers this transaction inserted:
 * the customers, their phones, emails, companies, relations and sync history.
 *
 * Their foreign-key checks cannot fail. The customers exist in this transaction, where nobody else
 * can see them, let alone delete them, and the import they are tagged with exists before any batch
 * runs. Yet each check costs as much as the insert it guards (an index probe and a key-share lock
 * on the customer, WAL included), so when the batch may (mayWriteWithoutRowTriggers) these writes
 * run with row triggers off. Rows referencing customers that existed before the batch keep their
 * checks: another session could delete those.
 *
 * `of` is what keeps the argument true: every row passed to a write here must name one of the
 * batch's new customers, or the batch fails before writing it.
 */
export class NewCustomerRows {
  private readonly ids: ReadonlySet<number>;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly skipRowTriggers: boolean,
    newIds: readonly number[],
  ) {
    this.ids = new Set(newIds);
  }

  /** Whether the customer is one this batch inserted. */
  has(customerId: number): boolean {
    return this.ids.has(customerId);
  }

  /** The rows, each checked to reference a customer this batch inserted. */
  of<R extends { customerId: number }>(rows: R[]): R[] {
    for (const row of rows) {
      if (!this.ids.has(row.customerId))
        throw new Error(
          `a row of customer ${row.customerId} was written as a new customer's, but this batch did not create that customer`,
        );
    }
    return rows;
  }

  /**
   * Runs the writes with row triggers off when the batch may. On failure the transaction is lost
   * anyway (and the setting with it), so triggers are turned back on only after success.
   */
  async write(writes: () => Promise<void>): Promise<void> {
    if (!this.skipRowTriggers) return writes();
    await setRowTriggers(this.client, false);
    await writes();
    await setRowTriggers(this.client, true);
  }
}
