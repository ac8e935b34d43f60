import type { RowError } from '../../domain/row-error';

/**
 * A transaction's identity: its content hash and its occurrence among identical lines of the same
 * file. The first occurrence keeps the bare hash as its key, so sync history written before
 * occurrences were counted still matches it.
 */
export function transactionKey(hash: string, occurrence: number): string {
  return occurrence === 1 ? hash : `${hash}#${occurrence}`;
}

/**
 * Occurrence of each line (in file order) among the identical lines of its file: `earlier` holds, per
 * hash, how many identical lines came before these ones (in the file's earlier batches), so a batch
 * numbers its lines exactly as the whole file read one line at a time would.
 */
export function numberOccurrences(hashes: string[], earlier: ReadonlyMap<string, number>): number[] {
  const seen = new Map(earlier);
  return hashes.map((hash) => {
    const occurrence = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, occurrence);
    return occurrence;
  });
}

export type LedgerDecision =
  | { rowNumber: number; outcome: 'created'; customerId: number }
  | { rowNumber: number; outcome: 'skipped'; customerId: number; matchedImportId: number | null }
  | { rowNumber: number; outcome: 'rejected'; errors: RowError[] };

/**
 * Points and purchases in file order: an unknown member is rejected; a transaction the sync history
 * already holds (same content, same occurrence) is skipped; anything else is created. Keys are unique
 * within a file, so two lines of one file never merge.
 */
export function decideLedger(
  inputs: { rowNumber: number; key: string; memberId: string }[],
  members: ReadonlyMap<string, number>,
  synced: ReadonlyMap<string, { importId: number | null }>,
): LedgerDecision[] {
  return inputs.map(({ rowNumber, key, memberId }): LedgerDecision => {
    const customerId = members.get(memberId);
    if (customerId === undefined) {
      return {
        rowNumber,
        outcome: 'rejected',
        errors: [
          {
            field: 'member_id',
            code: 'UNKNOWN_MEMBER',
            message: 'member_id matches no legacy member id and no CareOS customer',
          },
        ],
      };
    }
    const earlier = synced.get(key);
    if (earlier) return { rowNumber, outcome: 'skipped', customerId, matchedImportId: earlier.importId };
    return { rowNumber, outcome: 'created', customerId };
  });
}
