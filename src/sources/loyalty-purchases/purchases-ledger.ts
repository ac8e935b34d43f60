import type { LedgerFacts } from '../shared/ledger-facts';
import type { PurchaseRecord } from './loyalty-purchases';
import { insertPurchases } from '../../db/queries/loyalty-ledger';

/** Purchases, kept in purchases; a line adds its amount (negative for a refund) to the member's total. */
export const PURCHASES_LEDGER: LedgerFacts<PurchaseRecord> = {
  table: 'purchases',
  insert: (client, importId, lines) =>
    insertPurchases(
      client,
      importId,
      lines.map(({ customerId, rowNumber, value: v }) => ({
        customerId,
        rowNumber,
        memberId: v.memberId,
        transactionDate: v.transactionDate,
        amount: v.amount,
        store: v.store,
        items: v.items,
      })),
    ),
  storedColumnsOf: (v) => ({
    member_id: v.memberId,
    transaction_date: v.transactionDate,
    amount: v.amount,
    store: v.store,
    items: v.items,
  }),
  amountOf: (v) => v.amount,
  totalName: 'purchase total',
};
