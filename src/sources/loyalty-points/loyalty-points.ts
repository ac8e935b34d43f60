import { cellText } from '../../domain/cell-text';
import { readLocalDate } from '../../domain/date-order';
import { localeOf } from '../../domain/import-locale';
import type { SourceDefinition, ValidationContext, ValidationResult } from '../source';
import { MEMBER_COLUMN, memberId, optionalText } from '../shared/ledger-columns';
import { contentHash, decimalAmount, Problems } from '../shared/values';

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

export const loyaltyPointsSource: SourceDefinition<PointsRecord> = {
  name: 'loyalty-points',
  label: 'Loyalty points',
  description: 'Points credits and debits of loyalty members; the balance is the sum of the ledger',
  columns: [
    MEMBER_COLUMN,
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
