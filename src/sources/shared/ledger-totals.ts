/** Per customer: how many transactions, and their sum in hundredths (points and money have two decimals). */
export interface MemberTotal {
  count: number;
  cents: bigint;
}

/** An exact decimal with two decimals ("-50.25", as validation writes it) in hundredths. */
export function toCents(amount: string): bigint {
  const [whole, fraction = ''] = amount.split('.');
  const negative = whole.startsWith('-');
  const cents = BigInt(whole.replace('-', '') || '0') * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
  return negative ? -cents : cents;
}

/** Lines summed per customer. */
export function memberTotals(lines: { customerId: number; amount: string }[]): Map<number, MemberTotal> {
  const totals = new Map<number, MemberTotal>();
  for (const line of lines) {
    const total = totals.get(line.customerId) ?? { count: 0, cents: 0n };
    total.count += 1;
    total.cents += toCents(line.amount);
    totals.set(line.customerId, total);
  }
  return totals;
}

/** Customers whose count or sum differs between the two sides (a customer missing on one side differs). */
export function differingMembers(
  file: ReadonlyMap<number, MemberTotal>,
  tables: ReadonlyMap<number, MemberTotal>,
): number {
  let differing = 0;
  for (const customerId of new Set([...file.keys(), ...tables.keys()])) {
    const a = file.get(customerId);
    const b = tables.get(customerId);
    if (a?.count !== b?.count || a?.cents !== b?.cents) differing += 1;
  }
  return differing;
}
