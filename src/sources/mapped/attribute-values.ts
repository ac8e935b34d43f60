import { asciiDigits, cellText } from '../../domain/cell-text';
import { parseMoney, type CurrencyCode } from './currency';
import type { Checked } from '../../domain/row-error';
import { parseDate, type DateFormat } from '../shared/values';

export const ATTRIBUTE_TYPES = ['text', 'date', 'number', 'amount'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** How one custom attribute is read: what a mapping says of `attributes.<key>`. */
export interface AttributeRule {
  type: AttributeType;
  format?: DateFormat;
  buddhistEra?: boolean;
  /** amount: the currency of a bare number. */
  currency?: CurrencyCode;
}

const MAX_TEXT = 1000;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * One attribute value as stored in customer_attributes.value: text trimmed, a date as yyyy-mm-dd,
 * a number without thousands separators ("1234.5"), an amount as "1234.50 USD" (its currency left
 * off when neither the text nor the mapping names one). The field in errors is `attributes.<key>`.
 */
export function attributeValue(raw: string, key: string, rule: AttributeRule, today: string): Checked<string> {
  const field = `attributes.${key}`;
  const text = cellText(raw);
  switch (rule.type) {
    case 'text':
      if (text.length > MAX_TEXT) return fail(field, 'TOO_LONG', `${field} must be at most ${MAX_TEXT} characters`);
      if (CONTROL.test(text)) return fail(field, 'INVALID_CHARACTERS', `${field} contains control characters`);
      return { ok: true, value: text.normalize('NFC') };
    case 'date':
      return parseDate(text, field, today, rule.format ?? 'YYYY-MM-DD', rule.buddhistEra ?? false);
    case 'number':
      return plainNumber(text, field);
    case 'amount': {
      const money = parseMoney(text, field, { allowNegative: true, defaultCurrency: rule.currency });
      if (!money.ok) return money;
      return {
        ok: true,
        value: money.value.currency ? `${money.value.amount} ${money.value.currency}` : money.value.amount,
      };
    }
  }
}

/** "1,234.5", "-3", "0.125" → "1234.5", "-3", "0.125": digits kept exactly, never through a float. */
function plainNumber(text: string, field: string): Checked<string> {
  const m = /^([+-]?)((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)$/.exec(asciiDigits(text).replace(/[\s\u00a0]/g, ''));
  if (!m || m[2].replace(/[,.]/g, '').length > 30)
    return fail(field, 'INVALID_NUMBER', `${field} must be a number (thousands separators allowed)`);
  const digits = m[2].replace(/,/g, '');
  const [whole, frac] = digits.split('.');
  const normal = `${whole.replace(/^0+(?=\d)/, '')}${frac === undefined ? '' : `.${frac}`}`;
  return { ok: true, value: m[1] === '-' && /[1-9]/.test(normal) ? `-${normal}` : normal };
}

function fail<T>(field: string, code: string, message: string): Checked<T> {
  return { ok: false, error: { field, code, message } };
}
