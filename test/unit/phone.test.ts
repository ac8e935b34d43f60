import { describe, expect, it } from 'vitest';
import { normalizePhone, splitPhoneList } from '../../src/domain/phone';

function e164(raw: string): string {
  const result = normalizePhone(raw);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(raw)} to be valid, got ${result.error.code}`);
  return result.value.e164;
}

function errorCode(raw: string): string | null {
  const result = normalizePhone(raw);
  return result.ok ? null : result.error.code;
}

describe('normalizePhone', () => {
  it.each(['0812345678', '081-234-5678', '+66812345678', '+66 81 234 5678', '081 234 5678', '(081) 234.5678'])(
    'reads the Thai mobile written %j as +66812345678',
    (raw) => {
      expect(e164(raw)).toBe('+66812345678');
    },
  );

  it('reads the Bangkok landline 02-123-4567 as +6621234567', () => {
    expect(e164('02-123-4567')).toBe('+6621234567');
  });

  it('reads the Chiang Mai landline 053-123-456 as +6653123456', () => {
    expect(e164('053-123-456')).toBe('+6653123456');
  });

  it('reads Thai digits ๐๘๑-๒๓๔-๕๖๗๘ like their ASCII twins', () => {
    expect(e164('๐๘๑-๒๓๔-๕๖๗๘')).toBe('+66812345678');
  });

  it('reads full-width digits ０８１２３４５６７８ like their ASCII twins', () => {
    expect(e164('０８１２３４５６７８')).toBe('+66812345678');
  });

  it('reads the foreign-system prefix 0066 as +66', () => {
    expect(e164('0066 81 234 5678')).toBe('+66812345678');
  });

  it('restores the leading zero a spreadsheet dropped from 812345678', () => {
    expect(e164('812345678')).toBe('+66812345678');
  });

  it('ignores surrounding whitespace and non-breaking spaces', () => {
    expect(e164('  081\u00a0234\u00a05678  ')).toBe('+66812345678');
  });

  it('keeps the extension written with ต่อ apart from the number', () => {
    expect(normalizePhone('0812345678 ต่อ 12')).toEqual({ ok: true, value: { e164: '+66812345678', extension: '12' } });
  });

  it.each([
    ['02-123-4567 ext. 301', '301'],
    ['02-123-4567 x 5', '5'],
    ['02-123-4567#99', '99'],
  ])('keeps the extension of %j as %j', (raw, extension) => {
    expect(normalizePhone(raw)).toEqual({ ok: true, value: { e164: '+6621234567', extension } });
  });

  it('gives no extension to a plain number', () => {
    const result = normalizePhone('0812345678');
    expect(result.ok && result.value.extension).toBeNull();
  });

  it.each(['8.12345678E+08', '8.12345678e8', '812345678.0'])(
    'rejects %j as a number mangled by a spreadsheet',
    (raw) => {
      expect(errorCode(raw)).toBe('EXCEL_NUMERIC_MANGLED');
    },
  );

  it('rejects 12345 as too short to be a phone number', () => {
    expect(errorCode('12345')).toBe('INVALID_PHONE');
  });

  it('rejects a value with letters in it', () => {
    expect(errorCode('081-CALL-NOW')).toBe('INVALID_PHONE');
  });

  it('rejects a number longer than E.164 allows', () => {
    expect(errorCode('+66 81 234 5678 9012 3456')).toBe('INVALID_PHONE');
  });

  it('rejects a Thai-length number that is not in any Thai numbering range', () => {
    expect(errorCode('0012345678')).toBe('INVALID_PHONE');
  });

  it('keeps a number with a foreign country code in that country instead of reading it as Thai', () => {
    expect(e164('+1 202 555 0143')).toBe('+12025550143');
  });

  it('names the given field in the error and leaves the value out of the message', () => {
    const result = normalizePhone('081-CALL-NOW', 'phone item 2');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.field).toBe('phone item 2');
    expect(result.error.message).toContain('phone item 2');
    expect(result.error.message).not.toContain('CALL');
  });
});

describe('splitPhoneList', () => {
  it.each([',', ';', '/', '|', '\n', '\r\n'])('splits two numbers separated by %j', (separator) => {
    expect(splitPhoneList(`081-234-5678${separator}02-123-4567`)).toEqual(['081-234-5678', '02-123-4567']);
  });

  it('trims items and drops empty ones', () => {
    expect(splitPhoneList(' 0812345678 ,, ; 021234567 ,')).toEqual(['0812345678', '021234567']);
  });

  it('returns nothing for an empty or blank cell', () => {
    expect(splitPhoneList('')).toEqual([]);
    expect(splitPhoneList(' , ')).toEqual([]);
  });

  it('keeps a number written with spaces and dashes as one item', () => {
    expect(splitPhoneList('+66 81 234 5678')).toEqual(['+66 81 234 5678']);
  });

  it.each(['081-234-5678, 02-123-4567', '081-234-5678 / 02-123-4567', '0812345678;021234567'])(
    'never reads the second number of %j as an extension 02',
    (cell) => {
      const phones = splitPhoneList(cell).map((item) => normalizePhone(item));
      expect(phones).toEqual([
        { ok: true, value: { e164: '+66812345678', extension: null } },
        { ok: true, value: { e164: '+6621234567', extension: null } },
      ]);
    },
  );
});
