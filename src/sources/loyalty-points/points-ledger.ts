import type { LedgerFacts } from '../shared/ledger-facts';
import type { PointsRecord } from './loyalty-points';
import { insertPoints } from '../../db/queries/loyalty-ledger';

/** Points credits and debits, kept in points_transactions; a line adds its signed delta to the member's balance. */
export const POINTS_LEDGER: LedgerFacts<PointsRecord> = {
  table: 'points_transactions',
  insert: (client, importId, lines) =>
    insertPoints(
      client,
      importId,
      lines.map(({ customerId, rowNumber, value: v }) => ({
        customerId,
        rowNumber,
        memberId: v.memberId,
        type: v.type,
        points: v.points,
        delta: v.delta,
        occurredOn: v.date,
        description: v.description,
      })),
    ),
  storedColumnsOf: (v) => ({
    member_id: v.memberId,
    type: v.type,
    points: v.points,
    delta: v.delta,
    occurred_on: v.date,
    description: v.description,
  }),
  amountOf: (v) => v.delta,
  totalName: 'points balance',
};
