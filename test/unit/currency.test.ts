import { describe, expect, it } from 'vitest';
import { convertAmount, parseMoney } from '../../src/sources/mapped/currency';
import { attributeValue } from '../../src/sources/mapped/attribute-values';

const money = (raw: string, defaultCurrency?: 'THB' | 'USD') =>
  parseMoney(raw, 'total_sales', { allowNegative: true, defaultCurrency });

describe('parseMoney', () => {
  it('keeps the currency a symbol or code names, before or after the number', () => {
    expect(money('$1,234.50')).toEqual({ ok: true, value: { amount: '1234.50', currency: 'USD' } });
    expect(money('฿12,000')).toEqual({ ok: true, value: { amount: '12000.00', currency: 'THB' } });
    expect(money('12,000 THB')).toEqual({ ok: true, value: { amount: '12000.00', currency: 'THB' } });
    expect(money('99 บาท')).toEqual({ ok: true, value: { amount: '99.00', currency: 'THB' } });
    expect(money('S$10')).toEqual({ ok: true, value: { amount: '10.00', currency: 'SGD' } });
    expect(money('eur 5.5')).toEqual({ ok: true, value: { amount: '5.50', currency: 'EUR' } });
    expect(money('-$5')).toEqual({ ok: true, value: { amount: '-5.00', currency: 'USD' } });
    expect(money('($1,000.00)')).toEqual({ ok: true, value: { amount: '-1000.00', currency: 'USD' } });
  });

  it('gives a bare number the default currency, or none', () => {
    expect(money('500', 'THB')).toEqual({ ok: true, value: { amount: '500.00', currency: 'THB' } });
    expect(money('500')).toEqual({ ok: true, value: { amount: '500.00', currency: null } });
    expect(money('$500', 'THB')).toEqual({ ok: true, value: { amount: '500.00', currency: 'USD' } });
  });

  it('refuses two currencies in one value and anything that is not an amount', () => {
    expect(money('$5 THB')).toMatchObject({ ok: false, error: { field: 'total_sales', code: 'CURRENCY_CONFLICT' } });
    expect(money('1.234')).toMatchObject({ ok: false, error: { code: 'INVALID_AMOUNT' } });
    expect(money('abc')).toMatchObject({ ok: false, error: { code: 'INVALID_AMOUNT' } });
  });
});

describe('convertAmount', () => {
  it('multiplies exactly and rounds half away from zero to cents', () => {
    expect(convertAmount('100.10', '35.125')).toBe('3516.01');
    expect(convertAmount('0.01', '0.5')).toBe('0.01');
    expect(convertAmount('-0.01', '0.5')).toBe('-0.01');
    expect(convertAmount('-0.01', '0.4')).toBe('0.00');
    expect(convertAmount('999999999999.99', '1')).toBe('999999999999.99');
  });
});

describe('attributeValue', () => {
  const today = '2026-01-01';
  it('reads each type to its stored form', () => {
    expect(attributeValue('03/15/2024', 'case_creation_date', { type: 'date', format: 'MM/DD/YYYY' }, today)).toEqual({
      ok: true,
      value: '2024-03-15',
    });
    expect(attributeValue('15/03/2567', 'd', { type: 'date', format: 'DD/MM/YYYY', buddhistEra: true }, today)).toEqual(
      { ok: true, value: '2024-03-15' },
    );
    expect(attributeValue(' 1,204.50 ', 'n', { type: 'number' }, today)).toEqual({ ok: true, value: '1204.50' });
    expect(attributeValue('-007', 'n', { type: 'number' }, today)).toEqual({ ok: true, value: '-7' });
    expect(attributeValue('฿1,000', 'a', { type: 'amount' }, today)).toEqual({ ok: true, value: '1000.00 THB' });
    expect(attributeValue('1000', 'a', { type: 'amount', currency: 'USD' }, today)).toEqual({
      ok: true,
      value: '1000.00 USD',
    });
    expect(attributeValue('  gold  ', 't', { type: 'text' }, today)).toEqual({ ok: true, value: 'gold' });
  });

  it('names the attribute in every rejection', () => {
    expect(
      attributeValue('15/03/2024', 'case_creation_date', { type: 'date', format: 'MM/DD/YYYY' }, today),
    ).toMatchObject({ ok: false, error: { field: 'attributes.case_creation_date', code: 'DATE_ORDER_CONFLICT' } });
    expect(attributeValue('12a', 'visits', { type: 'number' }, today)).toMatchObject({
      ok: false,
      error: { field: 'attributes.visits', code: 'INVALID_NUMBER' },
    });
    expect(attributeValue('a\u0001b', 'note', { type: 'text' }, today)).toMatchObject({
      ok: false,
      error: { field: 'attributes.note', code: 'INVALID_CHARACTERS' },
    });
  });
});
