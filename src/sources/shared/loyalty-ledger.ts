import { cellText } from '../../domain/cell-text';
import { readLocalDate } from '../../domain/date-order';
import { localeOf } from '../../domain/import-locale';
import type { SourceDefinition, ValidationContext, ValidationResult } from '../source';
import { contentHash, decimalAmount, legacyId, Problems } from './values';

/** A points credit or debit; `points` and `delta` are exact decimals as text. */
export interface PointsRecord {
  /** The content's hash; the transaction's identity adds its occurrence in the file (ledger-sync.ts). */
  hash: string;
  memberId: string;
  type: 'credit' | 'debit';
  points: string;
  delta: string;
  date: string;
  description: string | null;
}

export interface PurchaseRecord {
  hash: string;
  memberId: string;
  transactionDate: string;
  amount: string;
  store: string | null;
  items: string | null;
}

const MEMBER = {
  name: 'member_id',
  required: true,
  aliases: ['member', 'old_member_id', 'customer_id'],
  description: 'Legacy member id (old_member_id of loyalty-users, or a Nana id), or a CareOS customer id',
  example: 'M-0001',
};

function memberId(raw: string, p: Problems): string {
  const id = p.take(legacyId(raw, 'member_id'), null);
  if (id === null && p.errors.every((e) => e.field !== 'member_id'))
    p.add('member_id', 'REQUIRED', 'member_id is required');
  return id ?? '';
}

function optionalText(raw: string | undefined, max: number): string | null {
  const t = cellText(raw ?? '').normalize('NFC');
  return t === '' ? null : t.slice(0, max);
}

function validatePoints(raw: Record<string, string>, ctx: ValidationContext): ValidationResult<PointsRecord> {
  const p = new Problems();
  const member = memberId(raw.member_id ?? '', p);
  const points =
    cellText(raw.points ?? '') === ''
      ? (p.add('points', 'REQUIRED', 'points is required'), '')
      : p.take(decimalAmount(raw.points, 'points', { allowNegative: false }), '');
  const typeText = cellText(raw.type ?? '').toLowerCase();
  if (typeText !== 'credit' && typeText !== 'debit') p.add('type', 'INVALID_TYPE', 'type must be Credit or Debit');
  const date =
    cellText(raw.date ?? '') === ''
      ? (p.add('date', 'REQUIRED', 'date is required'), '')
      : p.take(readLocalDate(raw.date, 'date', ctx.today, localeOf(ctx).dateOrder, localeOf(ctx).dateEra), '');
  const description = optionalText(raw.description, 1000);
  if (p.errors.length > 0) return { ok: false, errors: p.errors };
  const type = typeText as 'credit' | 'debit';
  const content = { member, type, points, date, description };
  const hash = contentHash(content);
  // A transaction has no id of its own: its content and its occurrence among identical lines are its identity.
  return {
    ok: true,
    value: { hash, memberId: member, type, points, delta: type === 'debit' ? `-${points}` : points, date, description },
  };
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

export const loyaltyPointsSource: SourceDefinition<PointsRecord> = {
  name: 'loyalty-points',
  label: 'Loyalty points',
  description: 'Points credits and debits of loyalty members; the balance is the sum of the ledger',
  columns: [
    MEMBER,
    {
      name: 'points',
      required: true,
      aliases: ['point', 'amount'],
      description: 'Points, a positive number with at most two decimals',
      example: '150',
    },
    { name: 'type', required: true, aliases: ['transaction_type'], description: 'Credit or Debit', example: 'Credit' },
    {
      name: 'date',
      required: true,
      aliases: ['transaction_date', 'points_date'],
      description: 'yyyy-mm-dd, or d/m/yyyy in the order the import declares (dateOrder)',
      example: '2024-03-01',
    },
    {
      name: 'description',
      required: false,
      aliases: ['note', 'remarks'],
      description: 'Transaction note',
      example: 'Welcome bonus',
    },
  ],
  validate: validatePoints,
  templateRows: [
    { member_id: 'M-0001', points: '150', type: 'Credit', date: '2024-03-01', description: 'Welcome bonus' },
    { member_id: 'M-0001', points: '50', type: 'Debit', date: '2024-03-15', description: 'Redeemed voucher' },
  ],
};

export const loyaltyPurchasesSource: SourceDefinition<PurchaseRecord> = {
  name: 'loyalty-purchases',
  label: 'Loyalty purchases',
  description: 'Purchase history of loyalty members; amounts are exact decimals',
  columns: [
    MEMBER,
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
