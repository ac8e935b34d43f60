import { loadCustomers, type StoredCustomer } from '../db/queries/customers';
import { relationsOf, type CustomerRelation } from '../db/queries/customer-relations';
import { NotFoundError } from '../errors';
import type { ImportDeps } from './deps';

/** What the CRM holds for one customer: profile, phones, emails, companies and legacy ids. */
export async function customerRecord(
  deps: ImportDeps,
  customerId: number,
): Promise<StoredCustomer & { relations: CustomerRelation[] }> {
  const customer = (await loadCustomers(deps.pool, [customerId])).get(customerId);
  if (!customer) throw new NotFoundError(`customer ${customerId}`);
  return { ...customer, relations: await relationsOf(deps.pool, customerId) };
}
