import { asciiDigits, cellText } from '../../domain/cell-text';
import type { Checked } from '../../domain/row-error';
import { decimalAmount } from '../shared/values';

/** ISO 4217 codes a file may write as is; the symbols below stand for one of them. */
export const CURRENCY_CODES = [
  'THB',
  'USD',
  'EUR',
  'GBP',
  'JPY',
  'CNY',
  'HKD',
  'SGD',
  'MYR',
  'IDR',
  'VND',
  'PHP',
  'KRW',
  'INR',
  'AUD',
  'NZD',
  'CAD',
  'CHF',
  'LAK',
  'MMK',
  'KHR',
  'TWD',
  'AED',
] as const;
export type CurrencyCode = (typeof CURRENCY_CODES)[number];

// Longest first, so "US$" and "S$" are read before "$". "$" alone is the US dollar, as exports from
// US-built CRMs write it; a file in another dollar names its code.
const SYMBOLS: [string, CurrencyCode][] = [
  ['US$', 'USD'],
  ['S$', 'SGD'],
  ['HK$', 'HKD'],
  ['A$', 'AUD'],
  ['NZ$', 'NZD'],
  ['C$', 'CAD'],
  ['NT$', 'TWD'],
  ['RM', 'MYR'],
  ['บาท', 'THB'],
  ['฿', 'THB'],
  ['$', 'USD'],
  ['€', 'EUR'],
  ['£', 'GBP'],
  ['¥', 'JPY'],
  ['₩', 'KRW'],
  ['₹', 'INR'],
  ['₫', 'VND'],
  ['₱', 'PHP'],
  ['₭', 'LAK'],
];

export interface Money {
  /** Exact decimal text with two decimals, as decimalAmount gives it. */
  amount: string;
  /** ISO 4217; null when the text names none and the mapping gives no default. */
  currency: CurrencyCode | null;
}

/**
 * A money amount and the currency its text names, before or after the number ("$1,234.50",
 * "฿12,000", "12,000 THB", "1.234 EUR" is not: at most two decimals). A bare number takes
 * `defaultCurrency`. Two different currencies in one value are refused, never guessed.
 */
export function parseMoney(
  raw: string,
  field: string,
  opts: { allowNegative: boolean; defaultCurrency?: CurrencyCode | null },
): Checked<Money> {
  let text = asciiDigits(cellText(raw)).replace(/[\s\u00a0]/g, '');
  const named = new Set<CurrencyCode>();
  // A sign or parentheses may stand outside the symbol: "-$5", "($5)".
  const wrap = /^(\(|-)?(.*?)(\))?$/.exec(text)!;
  let body = wrap[2];
  for (let changed = true; changed;) {
    changed = false;
    for (const [mark, code] of [...SYMBOLS, ...CURRENCY_CODES.map((c) => [c, c] as [string, CurrencyCode])]) {
      const upper = body.toUpperCase();
      if (upper.startsWith(mark.toUpperCase())) body = body.slice(mark.length);
      else if (upper.endsWith(mark.toUpperCase())) body = body.slice(0, body.length - mark.length);
      else continue;
      named.add(code);
      changed = true;
      break;
    }
  }
  if (named.size > 1) return fail(field, 'CURRENCY_CONFLICT', `${field} names two different currencies`);
  text = `${wrap[1] ?? ''}${body}${wrap[3] ?? ''}`;
  const amount = decimalAmount(text, field, { allowNegative: opts.allowNegative });
  if (!amount.ok) return amount;
  return { ok: true, value: { amount: amount.value, currency: [...named][0] ?? opts.defaultCurrency ?? null } };
}

/**
 * `amount` × `rate` rounded half away from zero to two decimals, in exact integer arithmetic: money
 * never goes through a float.
 */
export function convertAmount(amount: string, rate: string): string {
  const [rateWhole, rateFrac = ''] = rate.split('.');
  const rateUnits = BigInt(rateWhole + rateFrac);
  const cents = BigInt(amount.replace('.', ''));
  const scale = 10n ** BigInt(rateFrac.length);
  const product = cents * rateUnits;
  const negative = product < 0n;
  const magnitude = negative ? -product : product;
  const rounded = (magnitude * 2n + scale) / (2n * scale);
  const digits = rounded.toString().padStart(3, '0');
  return `${negative && rounded !== 0n ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

function fail<T>(field: string, code: string, message: string): Checked<T> {
  return { ok: false, error: { field, code, message } };
}
