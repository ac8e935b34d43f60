import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePhone, normalizePhoneSlow } from '../../src/domain/phone';
import { THAI_METADATA_SOURCE, thaiFastE164 } from '../../src/domain/phone-thai-fast';

// Compressed metadata: a country's types sit at index 11, in this order (libphonenumber-js getType()).
const TYPE_ORDER = [
  'fixedLine',
  'mobile',
  'tollFree',
  'premiumRate',
  'personalNumber',
  'voicemail',
  'uan',
  'pager',
  'voip',
  'sharedCost',
];
const metadata = createRequire(import.meta.url)('libphonenumber-js/metadata.max.json') as {
  countries: Record<string, unknown[]>;
};

function thaiTypePatterns(): Record<string, string> {
  const types = metadata.countries.TH[11] as ([string, number[]] | 0)[];
  const patterns: Record<string, string> = {};
  types.forEach((type, i) => {
    if (type) patterns[TYPE_ORDER[i]] = type[0];
  });
  return patterns;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Every national number the fast path could claim, by prefix: the TH patterns never look past the 4th digit. */
function shapesByPrefix(): string[] {
  const suffixes5 = ['00000', '99999', '40517'];
  const suffixes4 = ['0000', '9999', '7306'];
  const numbers: string[] = [];
  for (const lead of ['6', '8', '9']) {
    for (let p = 0; p < 1000; p++) for (const s of suffixes5) numbers.push(`${lead}${pad(p, 3)}${s}`);
  }
  for (const lead of ['2', '3', '4', '5', '6', '7']) {
    for (let p = 0; p < 1000; p++) for (const s of suffixes4) numbers.push(`${lead}${pad(p, 3)}${s}`);
  }
  return numbers;
}

describe('the Thai phone fast path', () => {
  it('was derived from the TH patterns of the libphonenumber-js metadata in node_modules', () => {
    // When this fails, libphonenumber-js was upgraded: re-derive THAI_FAST in phone-thai-fast.ts from the new patterns.
    const patterns = thaiTypePatterns();
    expect({ fixedLine: patterns.fixedLine, mobile: patterns.mobile, voip: patterns.voip }).toEqual({
      fixedLine: THAI_METADATA_SOURCE.fixedLine,
      mobile: THAI_METADATA_SOURCE.mobile,
      voip: THAI_METADATA_SOURCE.voip,
    });
  });

  it('claims exactly the numbers libphonenumber-js accepts among every 0-prefixed and +66 prefix of the fast shapes', () => {
    const numbers = shapesByPrefix();
    let claimed = 0;
    for (const national of numbers) {
      for (const written of [`0${national}`, `+66${national}`]) {
        const slow = normalizePhoneSlow(written);
        const fast = thaiFastE164(written);
        if (fast !== null) claimed += 1;
        // Claimed exactly when valid, and then with libphonenumber's E.164.
        expect({ written, fast }).toEqual({ written, fast: slow.ok ? slow.value.e164 : null });
        expect(normalizePhone(written)).toEqual(slow);
      }
    }
    expect(claimed).toBeGreaterThan(numbers.length);
  });

  it.each([
    ['0601234567', '+66601234567'],
    ['0681234567', '+66681234567'],
    ['0671012345', '+66671012345'],
    ['021234567', '+6621234567'],
    ['+66912345678', '+66912345678'],
  ])('answers %j as %j without libphonenumber', (compact, e164) => {
    expect(thaiFastE164(compact)).toBe(e164);
  });

  it.each([
    '0691234567',
    '0670123456',
    '0679123456',
    '0301234567',
    '061234567',
    '0812345678 ',
    '66812345678',
    '+660812345678',
    '1800123456',
  ])('leaves %j to libphonenumber', (compact) => {
    expect(thaiFastE164(compact)).toBeNull();
  });
});

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const mobileNational = fc.tuple(fc.constantFrom('6', '8', '9'), digits(8)).map(([a, b]) => a + b);
const landlineNational = fc.tuple(fc.constantFrom('2', '3', '4', '5', '6', '7'), digits(7)).map(([a, b]) => a + b);
const separator = fc.constantFrom('', '', '', ' ', '-', '.', ' - ', '\u00a0', '(', ')');
const prefix = fc.constantFrom('0', '0', '+66', '+66 ', '0066', '0066 ', '+66-', '', '66', '+660', '00066');
const extension = fc.constantFrom('', '', '', ' ต่อ 12', ' ext. 301', 'x5', '#99', ' extension 1234567');
const THAI_DIGITS = '๐๑๒๓๔๕๖๗๘๙';
const FULLWIDTH_DIGITS = '０１２３４５６７８９';

/** A Thai number in a fast-path shape, written the many ways spreadsheets and people write it. */
const writtenThaiNumber = fc
  .record({
    national: fc.oneof(mobileNational, landlineNational),
    prefix,
    separators: fc.array(separator, { minLength: 10, maxLength: 10 }),
    extension,
    script: fc.constantFrom('ascii', 'ascii', 'thai', 'fullwidth'),
    padding: fc.constantFrom('', ' ', '\t', '\u200d', '\ufeff'),
  })
  .map(({ national, prefix, separators, extension, script, padding }) => {
    const body = [...national].map((d, i) => d + separators[i]).join('');
    let text = `${prefix}${body}${extension}`;
    if (script !== 'ascii') {
      const table = script === 'thai' ? THAI_DIGITS : FULLWIDTH_DIGITS;
      text = text.replace(/\d/g, (d) => table[Number(d)]);
    }
    return `${padding}${text}${padding === '\t' ? ' ' : ''}`;
  });

describe('normalizePhone with the fast path (property)', () => {
  it('gives exactly what libphonenumber alone gives for Thai numbers in every common written form', () => {
    fc.assert(
      fc.property(writtenThaiNumber, (raw) => {
        expect(normalizePhone(raw, 'phone item 2')).toEqual(normalizePhoneSlow(raw, 'phone item 2'));
      }),
      { numRuns: 20_000, seed: 66 },
    );
  });

  it('gives exactly what libphonenumber alone gives for any string', () => {
    const phoneish = fc.stringMatching(/^[+0-9 ()\-.]{0,20}$/);
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), phoneish), (raw) => {
        expect(normalizePhone(raw)).toEqual(normalizePhoneSlow(raw));
      }),
      { numRuns: 10_000, seed: 67 },
    );
  });
});
