import type { RowError } from '../../domain/row-error';

export type LedgerDecision =
  | { rowNumber: number; outcome: 'created' | 'skipped'; customerId: number }
  | { rowNumber: number; outcome: 'rejected'; errors: RowError[] };

/**
 * Points and purchases in file order: an unknown member is rejected; a transaction the sync
 * history (or an earlier record) already holds is skipped; anything else is created.
 */
export function decideLedger(inputs: { rowNumber: number; record: { key: string; memberId: string } }[], members: Map<string, number>, synced: Set<string>): LedgerDecision[] {
  const seen = new Set(synced);
  return inputs.map(({ rowNumber, record }): LedgerDecision => {
    const customerId = members.get(record.memberId);
    if (customerId === undefined) {
      return { rowNumber, outcome: 'rejected', errors: [{ field: 'member_id', code: 'UNKNOWN_MEMBER', message: 'member_id matches no legacy member id and no CareOS customer' }] };
    }
    if (seen.has(record.key)) return { rowNumber, outcome: 'skipped', customerId };
    seen.add(record.key);
    return { rowNumber, outcome: 'created', customerId };
  });
}
