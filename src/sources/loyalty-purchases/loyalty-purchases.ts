import { cellText } from '../../domain/cell-text';
import { readLocalDate } from '../../domain/date-order';
import { localeOf } from '../../domain/import-locale';
import { MEMBER_COLUMN, memberId, optionalText } from '../shared/ledger-columns';
import { contentHash, decimalAmount, Problems } from '../shared/values';
import type { SourceDefinition, ValidationContext, ValidationResult } from '../source';

/** A purchase; `amount` is an exact decimal as text, negative for a refund. */
export interface PurchaseRecord {
  hash: string;
  memberId: string;
  transactionDate: string;
  amount: string;
  store: string | null;
  items: string | null;
}

function validatePurchase(raw: Record<string, string>, ctx: ValidationContext): ValidationResult<PurchaseRecord> {
  const p = new Problems();
  const member = memberId(raw.member_id ?? '', p);
  const transactionDate =
    cellText(raw.transaction_date ?? '') === ''
      ? (p.add('transaction_date', 'REQUIRED', 'transaction_date is required'), '')
      : p.take(
          readLocalDate(
            raw.transaction_date,
            'transaction_date',
            ctx.today,
            localeOf(ctx).dateOrder,
            localeOf(ctx).dateEra,
          ),
          '',
        );
  const amount =
    cellText(raw.amount ?? '') === ''
      ? (p.add('amount', 'REQUIRED', 'amount is required'), '')
      : p.take(decimalAmount(raw.amount, 'amount', { allowNegative: true }), '');
  const store = optionalText(raw.store, 200);
  const items = optionalText(raw.items, 4000);
  if (p.errors.length > 0) return { ok: false, errors: p.errors };
  const hash = contentHash({ member, transactionDate, amount, store, items });
  return { ok: true, value: { hash, memberId: member, transactionDate, amount, store, items } };
}

export const loyaltyPurchasesSource: SourceDefinition<PurchaseRecord> = {
  name: 'loyalty-purchases',
  label: 'Loyalty purchases',
  description: 'Purchase history of loyalty members; amounts are exact decimals',
  columns: [
    MEMBER_COLUMN,
    {
      name: 'transaction_date',
      required: true,
      aliases: ['date', 'purchase_date'],
      description: 'yyyy-mm-dd',
      example: '2024-03-02',
    },
    {
      name: 'amount',
      required: true,
      aliases: ['total', 'value'],
      description:
        'Amount with at most two decimals; currency symbols and thousands separators allowed; negative for a refund',
      example: '1,250.50',
    },
    {
      name: 'store',
      required: false,
      aliases: ['store_name', 'branch'],
      description: 'Store location',
      example: 'Siam Paragon',
    },
    {
      name: 'items',
      required: false,
      aliases: ['item', 'products'],
      description: 'Item details',
      example: 'Phone case x1',
    },
  ],
  validate: validatePurchase,
  templateRows: [
    {
      member_id: 'M-0001',
      transaction_date: '2024-03-02',
      amount: '1,250.50',
      store: 'Siam Paragon',
      items: 'Phone case x1',
    },
  ],
};
