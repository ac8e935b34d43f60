import { nanaSource } from './nana';
import type { SourceDefinition } from './source';

/** Every source Ferry can import, by the name used in the api and in customer_relations.source. */
export const sources: Record<string, SourceDefinition<unknown>> = {
  nana: nanaSource as SourceDefinition<unknown>,
};

export function findSource(name: string): SourceDefinition<unknown> | undefined {
  return Object.hasOwn(sources, name) ? sources[name] : undefined;
}

export type { SourceDefinition } from './source';
