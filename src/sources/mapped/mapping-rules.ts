import { z } from 'zod';
import { CURRENCY_CODES } from './currency';
import { ATTRIBUTE_TYPES, type AttributeRule } from './attribute-values';
import type { DateFormat } from '../shared/values';

/** `attributes.<key>`: a custom attribute, stored in customer_attributes under `key`. */
export const ATTRIBUTE_TARGET = /^attributes\.([a-z0-9_]{1,63})$/;

/** The parts of a field spec beyond where its value comes from: types, currencies and rates. */
export const ruleProperties = {
  /** attributes only: how the value is read (default text). */
  type: z.enum(ATTRIBUTE_TYPES).optional(),
  /** total_sales and amount attributes: the ISO 4217 currency of a bare number. */
  currency: z.enum(CURRENCY_CODES).optional(),
  /** total_sales only: fixed rates into `to`; each converted value is stored beside the original with its rate. */
  convert: z
    .object({
      to: z.enum(CURRENCY_CODES),
      /** Units of `to` per unit of the currency named, as a decimal string ("35.50"). */
      rates: z.partialRecord(
        z.enum(CURRENCY_CODES),
        z.string().regex(/^\d{1,9}(?:\.\d{1,8})?$/, 'a rate is a decimal such as "35.50"'),
      ),
    })
    .strict()
    .optional(),
};

interface RuleSpec {
  type?: AttributeRule['type'];
  format?: DateFormat;
  buddhistEra?: boolean;
  currency?: AttributeRule['currency'];
  convert?: { to: (typeof CURRENCY_CODES)[number]; rates: Partial<Record<(typeof CURRENCY_CODES)[number], string>> };
}

/** Why a mapping's targets are wrong: an unknown field, a bad attribute key, an option on a field it does not apply to. */
export function targetProblems(fields: Record<string, RuleSpec>, fixed: readonly string[]): string[] {
  const problems: string[] = [];
  for (const [target, spec] of Object.entries(fields)) {
    const attribute = ATTRIBUTE_TARGET.test(target);
    if (!attribute && !fixed.includes(target)) {
      problems.push(
        `"${target}" is not a field: use one of ${fixed.join(', ')} or attributes.<key> (lower-case letters, digits, underscores)`,
      );
      continue;
    }
    if (spec.type && !attribute) problems.push(`${target}: type applies to attributes.<key> only`);
    if (spec.convert && target !== 'total_sales') problems.push(`${target}: convert applies to total_sales only`);
    if (spec.currency && target !== 'total_sales' && !(attribute && spec.type === 'amount'))
      problems.push(`${target}: currency applies to total_sales and amount attributes only`);
    const dated = target === 'date_of_birth' || (attribute && spec.type === 'date');
    if ((spec.format || spec.buddhistEra !== undefined) && !dated)
      problems.push(`${target}: format and buddhistEra apply to dates only`);
  }
  return problems;
}

/** The custom attributes a mapping fills, with how each is read, in the mapping's order. */
export function attributeRules(fields: Record<string, RuleSpec>): { key: string; rule: AttributeRule }[] {
  return Object.entries(fields).flatMap(([target, spec]) => {
    const key = ATTRIBUTE_TARGET.exec(target)?.[1];
    if (key === undefined) return [];
    const rule: AttributeRule = { type: spec.type ?? 'text' };
    if (rule.type === 'date')
      Object.assign(rule, { format: spec.format ?? 'YYYY-MM-DD', buddhistEra: spec.buddhistEra ?? false });
    if (rule.type === 'amount' && spec.currency) rule.currency = spec.currency;
    return [{ key, rule }];
  });
}

/** What the mapped source's validation needs of the mapping beyond the values: staged as the `rules` column. */
export interface MappedRules {
  attributes: Record<string, AttributeRule>;
  totalSales: { currency?: RuleSpec['currency']; convert?: RuleSpec['convert'] };
}

export function mappedRules(fields: Record<string, RuleSpec>): MappedRules {
  const sales = fields.total_sales;
  return {
    attributes: Object.fromEntries(attributeRules(fields).map(({ key, rule }) => [key, rule])),
    totalSales: {
      ...(sales?.currency ? { currency: sales.currency } : {}),
      ...(sales?.convert ? { convert: sales.convert } : {}),
    },
  };
}
