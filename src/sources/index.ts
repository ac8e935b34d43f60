import { careshop } from './careshop';
import { loyaltyPoints } from './loyalty-points';
import { loyaltyPurchases } from './loyalty-purchases';
import { loyaltyUsers } from './loyalty-users';
import { mapped } from './mapped';
import { nana } from './nana';
import type { SourceDefinition } from './source';
import type { SourceModule } from './source-module';

/** Every source Ferry can import, by the name used in the api and in customer_relations.source. */
export const sourceModules: Record<string, SourceModule<unknown>> = {
  nana,
  careshop,
  'loyalty-users': loyaltyUsers,
  'loyalty-points': loyaltyPoints,
  'loyalty-purchases': loyaltyPurchases,
  mapped,
};

export const sources: Record<string, SourceDefinition<unknown>> = Object.fromEntries(
  Object.entries(sourceModules).map(([name, module]) => [name, module.definition]),
);

export function findSource(name: string): SourceDefinition<unknown> | undefined {
  return findSourceModule(name)?.definition;
}

export function findSourceModule(name: string): SourceModule<unknown> | undefined {
  return Object.hasOwn(sourceModules, name) ? sourceModules[name] : undefined;
}

/** The module of a source an import was recorded with; an unknown name there is a bug, not bad input. */
export function sourceModule(name: string): SourceModule<unknown> {
  const module = findSourceModule(name);
  if (!module) throw new Error(`no source module for source ${name}`);
  return module;
}

export type { SourceDefinition } from './source';
export type { SourceModule } from './source-module';
