import { cellText } from '../../domain/cell-text';
import type { ColumnSpec } from '../../domain/columns';
import { legacyId, type Problems } from './values';

/** The column every ledger line names its member in. */
export const MEMBER_COLUMN: ColumnSpec = {
  name: 'member_id',
  required: true,
  aliases: ['member', 'old_member_id', 'customer_id'],
  description: 'Legacy member id (old_member_id of loyalty-users, or a Nana id), or a CareOS customer id',
  example: 'M-0001',
};

/** A line's member id; a missing one is REQUIRED, unless the cell already failed otherwise. */
export function memberId(raw: string, p: Problems): string {
  const id = p.take(legacyId(raw, 'member_id'), null);
  if (id === null && p.errors.every((e) => e.field !== 'member_id'))
    p.add('member_id', 'REQUIRED', 'member_id is required');
  return id ?? '';
}

/** A free-text cell: null when empty, cut at `max` characters. */
export function optionalText(raw: string | undefined, max: number): string | null {
  const t = cellText(raw ?? '').normalize('NFC');
  return t === '' ? null : t.slice(0, max);
}
