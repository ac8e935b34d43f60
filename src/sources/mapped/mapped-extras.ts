import { cellText } from '../../domain/cell-text';
import { convertAmount, parseMoney } from './currency';
import { attributeValue } from './attribute-values';
import type { MappedRules } from './mapping-rules';
import type { ProfileRecord } from '../shared/profile';
import type { Problems } from '../shared/values';

const NO_RULES: MappedRules = { attributes: {}, totalSales: {} };

/** The mapping's rules as staged beside the values (a constant per import). */
export function stagedRules(raw: Record<string, string>): MappedRules {
  return raw.rules ? (JSON.parse(raw.rules) as MappedRules) : NO_RULES;
}

/** The custom attributes of a staged mapped record, each read by its type; empty values are left out. */
export function mappedAttributes(
  raw: Record<string, string>,
  rules: MappedRules,
  p: Problems,
  today: string,
): NonNullable<ProfileRecord['attributes']> {
  const values = raw.attributes ? (JSON.parse(raw.attributes) as Record<string, string>) : {};
  return Object.entries(values).flatMap(([key, text]) => {
    if (cellText(text) === '') return [];
    const value = p.take(attributeValue(text, key, rules.attributes[key] ?? { type: 'text' }, today), null);
    return value === null ? [] : [{ key, value }];
  });
}

/**
 * total_sales with the currency its text names (or the mapping's default); converted only at a
 * fixed rate the mapping names, the original amount and currency kept.
 */
export function mappedTotalSales(text: string, rules: MappedRules, p: Problems): ProfileRecord['amounts'] {
  if (text === '') return [];
  const { currency, convert } = rules.totalSales;
  const money = p.take(parseMoney(text, 'total_sales', { allowNegative: true, defaultCurrency: currency }), null);
  if (money === null) return [];
  const base = { name: 'total_sales', amount: money.amount, currency: money.currency };
  if (!convert) return [base];
  const rate = money.currency === convert.to ? '1' : money.currency ? convert.rates[money.currency] : undefined;
  if (rate === undefined) {
    p.add(
      'total_sales',
      'NO_RATE',
      `total_sales: the mapping converts to ${convert.to} but names no rate for ${money.currency ?? 'an amount without a currency'}`,
    );
    return [];
  }
  return [{ ...base, conversion: { rate, amount: convertAmount(money.amount, rate), currency: convert.to } }];
}
