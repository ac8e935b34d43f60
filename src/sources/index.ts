import { careshopSource } from './careshop/careshop';
import { loyaltyPointsSource, loyaltyPurchasesSource } from './shared/loyalty-ledger';
import { loyaltyUsersSource } from './loyalty-users/loyalty-users';
import { mappedSource } from './mapped/mapped';
import { nanaSource } from './nana/nana';
import type { SourceDefinition } from './source';

/** Every source Ferry can import, by the name used in the api and in customer_relations.source. */
export const sources: Record<string, SourceDefinition<unknown>> = {
  nana: nanaSource as SourceDefinition<unknown>,
  careshop: careshopSource as SourceDefinition<unknown>,
  'loyalty-users': loyaltyUsersSource as SourceDefinition<unknown>,
  'loyalty-points': loyaltyPointsSource as SourceDefinition<unknown>,
  'loyalty-purchases': loyaltyPurchasesSource as SourceDefinition<unknown>,
  mapped: mappedSource as SourceDefinition<unknown>,
};

export function findSource(name: string): SourceDefinition<unknown> | undefined {
  return Object.hasOwn(sources, name) ? sources[name] : undefined;
}

export type { SourceDefinition } from './source';
