import type pg from 'pg';
import { insertCustomers, type NewCustomer } from '../../db/queries/customers';

/** The batch's new customers: `ids[i]`, allocated for them, is the id of `records[i]`. */
export async function insertCreatedCustomers(
  client: pg.PoolClient,
  importId: number,
  records: Omit<NewCustomer, 'id'>[],
  ids: readonly number[],
): Promise<void> {
  await insertCustomers(
    client,
    importId,
    records.map((r, i) => ({
      id: ids[i],
      firstName: r.firstName,
      lastName: r.lastName,
      gender: r.gender,
      dateOfBirth: r.dateOfBirth,
    })),
  );
}
