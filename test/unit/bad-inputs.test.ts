/**
 * Rows of the bad-input table in ../shared/notes/reliability.md that the pure normalisers decide.
 * Choices made where the table leaves one (or asks for more than the pure code can hold):
 * - Row 33: the lost leading zero is restored; the `normalized_from_numeric` flag is not recorded,
 *   because Phone has nowhere to carry it to the database yet (the schema is not in src/domain).
 * - Row 37: libphonenumber-js/max decides. VoIP ranges 060/068 are valid numbers and accepted;
 *   "possible but not valid" (0691234567) and legacy 9-digit mobiles (01-234-5678) are rejected as
 *   INVALID_PHONE, so the raw value stays in the staged record and the error report, never "fixed"
 *   to 081. There is no separate possible/voip status yet. The metadata the fast path was derived
 *   from is named in src/domain/phone-thai-fast.ts and checked by phone-fast-path.test.ts.
 * - Row 39: the whole address is lower-cased, not only the domain (local parts are case-insensitive
 *   at every provider our customers use; comparison needs one spelling). Several addresses in one
 *   value are rejected here; the Nana source splits its email cell on commas before this runs.
 * - Row 40: Thai/IDN addresses are accepted and stored in Unicode (NFC, lower case), not punycode.
 * - Row 42: only yyyy-mm-dd is read; there is no declared-format option, so 01/02/03 and 3/4/2530
 *   are rejected and a Buddhist-era year is not converted: it is reported as in the future with a
 *   hint to subtract 543.
 * - Row 45: there is no national-id column or normaliser yet, so the row does not apply.
 * - Row 50: the error report escapes formula-like values with a leading ' (src/imports/error-report.ts),
 *   not U+200D. Phone, email and date drop zero-width characters anywhere and that escape, so a
 *   corrected report re-imports as the original file did. Nana names keep a leading U+200D:
 *   nana.ts (not owned here) does not strip it.
 * - Row 51: Nana names are stored NFC. Canonical reorderings (tone mark and below-vowel) become one
 *   spelling; NFKC-only differences (ำ vs ํา) stay distinct. Names are not a duplicate key (phones
 *   and Nana ids are), so deduplication does not depend on the choice.
 */
import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../../src/domain/date';
import { normalizeEmail } from '../../src/domain/email';
import { normalizePhone, splitPhoneList } from '../../src/domain/phone';
import { nanaSource } from '../../src/sources/nana/nana';
import { escapeFormula } from '../../src/domain/formula-escape';

const today = '2025-06-01';
const ok = <T>(value: T) => ({ ok: true, value });
const phoneError = (code: string) => ({ ok: false, error: { code } });

function nanaNames(firstname: string, lastname = 'Jaidee') {
  const result = nanaSource.validate({ nana_cus_id: 'N1', firstname, lastname, phone: '0812345678' }, { today });
  if (!result.ok) throw new Error(`expected a valid record, got ${result.errors.map((e) => e.code).join(', ')}`);
  return result.value;
}

describe('bad input 31: several phone numbers in one cell', () => {
  it('splits "081-234-5678, 02-123-4567" into a mobile and a landline, never a number with extension 02', () => {
    expect(splitPhoneList('081-234-5678, 02-123-4567').map((item) => normalizePhone(item))).toEqual([
      ok({ e164: '+66812345678', extension: null }),
      ok({ e164: '+6621234567', extension: null }),
    ]);
  });

  it('keeps both numbers of the cell on the Nana record', () => {
    const result = nanaSource.validate(
      { nana_cus_id: 'N1', firstname: 'Somsri', lastname: 'Jaidee', phone: '081-234-5678, 02-123-4567' },
      { today },
    );
    expect(result.ok && result.value.phones).toEqual([
      { e164: '+66812345678', extension: null },
      { e164: '+6621234567', extension: null },
    ]);
  });
});

describe('bad input 32: the Thai word for extension', () => {
  it('reads "0812345678 ต่อ 12" as +66812345678 extension 12', () => {
    expect(normalizePhone('0812345678 ต่อ 12')).toEqual(ok({ e164: '+66812345678', extension: '12' }));
  });
});

describe('bad input 33: leading zero lost in a numeric cell', () => {
  it('restores 812345678 to +66812345678', () => {
    expect(normalizePhone('812345678')).toEqual(ok({ e164: '+66812345678', extension: null }));
  });
});

describe('bad input 34: numbers mangled by a spreadsheet', () => {
  it.each(['8.12345678E+08', '812345678.0', '1.10170E+12'])(
    'rejects %j as EXCEL_NUMERIC_MANGLED without guessing digits',
    (raw) => {
      expect(normalizePhone(raw)).toMatchObject(phoneError('EXCEL_NUMERIC_MANGLED'));
    },
  );
});

describe('bad input 35: the foreign-style international prefix 0066', () => {
  it('reads "0066 81 234 5678" as +66812345678', () => {
    expect(normalizePhone('0066 81 234 5678')).toEqual(ok({ e164: '+66812345678', extension: null }));
  });
});

describe('bad input 36: Thai and full-width digits', () => {
  it.each(['๐๘๑-๒๓๔-๕๖๗๘', '０８１－２３４－５６７８'])('reads %j as +66812345678', (raw) => {
    expect(normalizePhone(raw)).toEqual(ok({ e164: '+66812345678', extension: null }));
  });
});

describe('bad input 37: legacy, possible-only and VoIP Thai numbers', () => {
  it.each(['01-234-5678', '0691234567'])('rejects %j as INVALID_PHONE instead of fixing it', (raw) => {
    expect(normalizePhone(raw)).toMatchObject(phoneError('INVALID_PHONE'));
  });

  it.each([
    ['060-123-4567', '+66601234567'],
    ['068-123-4567', '+66681234567'],
  ])('accepts the VoIP number %j as %j', (raw, e164) => {
    expect(normalizePhone(raw)).toEqual(ok({ e164, extension: null }));
  });
});

describe('bad input 38: foreign numbers in a Thai file', () => {
  it('keeps "+1 (202) 555-0143" in its own country', () => {
    expect(normalizePhone('+1 (202) 555-0143')).toEqual(ok({ e164: '+12025550143', extension: null }));
  });

  it.each(['(202) 555-0143', '202-555-0143', '392.555.0123x4567', '001-202-555-0143x1234', '+1-555-123-4567'])(
    'reports the bare foreign or made-up number %j as INVALID_PHONE rather than forcing it into +66',
    (raw) => {
      expect(normalizePhone(raw)).toMatchObject(phoneError('INVALID_PHONE'));
    },
  );
});

describe('bad input 39: messy email values', () => {
  it.each([
    [' A@B.CO ', 'a@b.co'],
    ['USER@EXAMPLE.COM', 'user@example.com'],
    ['a@b.co\u200b', 'a@b.co'],
  ])('normalises %j to %j', (raw, value) => {
    expect(normalizeEmail(raw)).toEqual(ok(value));
  });

  it.each(['mailto:a@b.co', 'a@b.co;c@d.co', 'a@b.co,c@d.co', 'a@b.co c@d.co'])(
    'rejects %j as INVALID_EMAIL',
    (raw) => {
      expect(normalizeEmail(raw)).toMatchObject({ ok: false, error: { code: 'INVALID_EMAIL' } });
    },
  );
});

describe('bad input 40: a Thai-script address', () => {
  it('accepts ผู้ใช้@ตัวอย่าง.ไทย and keeps it in Unicode', () => {
    expect(normalizeEmail('ผู้ใช้@ตัวอย่าง.ไทย')).toEqual(ok('ผู้ใช้@ตัวอย่าง.ไทย'));
  });

  it('stores the decomposed and composed spellings of an accented address the same way', () => {
    expect(normalizeEmail('jose\u0301@example.com')).toEqual(normalizeEmail('jos\u00e9@example.com'));
  });
});

describe('bad input 41: dates JavaScript would roll over', () => {
  it.each(['2023-02-30', '2023-02-29'])('rejects %s as INVALID_DATE instead of rolling into March', (raw) => {
    expect(parseIsoDate(raw, 'date_of_birth', today)).toMatchObject({ ok: false, error: { code: 'INVALID_DATE' } });
  });
});

describe('bad input 42: dates in other formats and Buddhist-era years', () => {
  it.each(['01/02/03', '3/4/2530'])('rejects %j, which has no declared format, as INVALID_DATE', (raw) => {
    expect(parseIsoDate(raw, 'date_of_birth', today)).toMatchObject({ ok: false, error: { code: 'INVALID_DATE' } });
  });

  it.each(['2530-04-03', '๒๕๓๐-๐๔-๐๓'])(
    'reports the Buddhist-era date %j as in the future with a hint to subtract 543',
    (raw) => {
      const result = parseIsoDate(raw, 'date_of_birth', today);
      expect(result).toMatchObject({ ok: false, error: { code: 'DATE_IN_FUTURE' } });
      expect(!result.ok && result.error.message).toContain('subtract 543');
    },
  );
});

describe('bad input 50: values coming back from a downloaded error report', () => {
  it.each([
    '\u200d+66 81 234 5678',
    escapeFormula('+66 81 234 5678'),
    escapeFormula('-0812345678'),
    "'\u200d+66812345678",
  ])('reads the phone %j as the number it was', (raw) => {
    expect(normalizePhone(raw)).toEqual(ok({ e164: '+66812345678', extension: null }));
  });

  it.each(['\u200dsomsri@example.com', 'somsri@example.com\u200d'])(
    'reads the email %j as the address it was',
    (raw) => {
      expect(normalizeEmail(raw)).toEqual(ok('somsri@example.com'));
    },
  );

  it("gives an address starting with a formula character back without the report's quote", () => {
    expect(escapeFormula('-somsri@example.com')).toBe("'-somsri@example.com");
    expect(normalizeEmail(escapeFormula('-somsri@example.com'))).toEqual(ok('-somsri@example.com'));
  });

  it('reads the date "\\u200d1988-04-12" as 1988-04-12', () => {
    expect(parseIsoDate('\u200d1988-04-12', 'date_of_birth', today)).toEqual(ok('1988-04-12'));
  });

  it('keeps a leading U+200D in a Nana name, because nana.ts does not strip it yet', () => {
    expect(nanaNames('\u200dSomsri').firstName).toBe('\u200dSomsri');
  });
});

describe('bad input 51: Thai names in different Unicode spellings', () => {
  it('stores a name typed with the tone mark before or after the below-vowel as one spelling', () => {
    // กุ่ : U+0E38 (class 103) and U+0E48 (class 107) in either order are canonically equivalent.
    expect(nanaNames('ก\u0e48\u0e38').firstName).toBe(nanaNames('ก\u0e38\u0e48').firstName);
  });

  it('stores a decomposed Latin accent as the composed character', () => {
    expect(nanaNames('Jose\u0301').firstName).toBe('Jos\u00e9');
  });

  it('keeps sara am and nikhahit + sara aa apart, since names are compared in NFC, not NFKC', () => {
    expect(nanaNames('น\u0e49\u0e33').firstName).not.toBe(nanaNames('น\u0e49\u0e4d\u0e32').firstName);
  });
});
