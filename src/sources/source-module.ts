import type { WaitingPhase } from '../vocabulary';
import type { Importer } from './importer';
import type { LedgerFacts } from './shared/ledger-facts';
import type { SourceDefinition } from './source';

/** What verification needs to know of a source; both are required, so a new source cannot skip a check by omission. */
export interface VerificationFacts {
  /** The table whose rows tagged with the import stand for its `created` outcomes. */
  createdRows: 'customers' | 'points_transactions' | 'purchases';
  /** The record's column whose every legacy id must end linked to its customer; null when the source has none. */
  legacyIdColumn: string | null;
  /** Points or purchases: per member, the file's created lines are summed against the table; null for profiles. */
  ledger: LedgerFacts | null;
}

/** A source whose imports must all have finished before an import of this one loads, and the phase shown meanwhile. */
export interface Prerequisite {
  source: string;
  waitingPhase: WaitingPhase;
}

/** Everything Ferry knows of one source; the registry in ./index.ts lists one per folder. */
export interface SourceModule<T> {
  definition: SourceDefinition<T>;
  importer: Importer<T>;
  verification: VerificationFacts;
  prerequisites: Prerequisite[];
  /** true: the upload's columns are read through the saved mapping it names (`mappingId`). */
  readsThroughMapping: boolean;
}

/**
 * Checks a module against its own record type, then forgets the type: the registry holds sources of
 * different record types, and every caller passes a record back to the module that produced it.
 */
export function defineSource<T>(module: SourceModule<T>): SourceModule<unknown> {
  return module as unknown as SourceModule<unknown>;
}
