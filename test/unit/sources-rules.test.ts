import { describe, expect, it } from 'vitest';
import { careshopSource } from '../../src/sources/careshop/careshop';
import { mapFileHeader, mappingSchema } from '../../src/sources/mapped/mapping';
import { decideProfiles, type ProfileRecord } from '../../src/sources/shared/profile';
import { decimalAmount, parseDate, thaiNationalId } from '../../src/sources/shared/values';

const ctx = { today: '2025-01-01' };

describe('values', () => {
  it('reads amounts exactly, with currency symbols and separators', () => {
    expect(decimalAmount('$1,234.5', 'a', { allowNegative: false })).toEqual({ ok: true, value: '1234.50' });
    expect(decimalAmount('฿ 99', 'a', { allowNegative: false })).toEqual({ ok: true, value: '99.00' });
    expect(decimalAmount('(12.30)', 'a', { allowNegative: true })).toEqual({ ok: true, value: '-12.30' });
    expect(decimalAmount('1.234', 'a', { allowNegative: true }).ok).toBe(false);
    expect(decimalAmount('-5', 'a', { allowNegative: false })).toMatchObject({
      ok: false,
      error: { code: 'NEGATIVE_AMOUNT' },
    });
  });

  it('reads US, day-first and Buddhist-era dates as real calendar dates', () => {
    expect(parseDate('04/12/1988', 'd', ctx.today, 'MM/DD/YYYY')).toEqual({ ok: true, value: '1988-04-12' });
    expect(parseDate('12/04/2531', 'd', ctx.today, 'DD/MM/YYYY', true)).toEqual({ ok: true, value: '1988-04-12' });
    expect(parseDate('02/30/2000', 'd', ctx.today, 'MM/DD/YYYY').ok).toBe(false);
  });

  it('checks the Thai national id check digit', () => {
    expect(thaiNationalId('1-1017-00230-70-8')).toEqual({ ok: true, value: '1101700230708' });
    expect(thaiNationalId('1101700230705')).toMatchObject({ ok: false, error: { code: 'INVALID_NATIONAL_ID' } });
  });
});

describe('careshop validation', () => {
  it('accepts Thai mobiles only', () => {
    const v = (m: string) => careshopSource.validate({ firstname: 'A', lastname: 'B', mobile_phone: m }, ctx);
    expect(v('081-234-5678').ok).toBe(true);
    expect(v('02-123-4567')).toMatchObject({ ok: false, errors: [{ code: 'NOT_THAI_MOBILE' }] });
  });
});

describe('the profile rule', () => {
  const rec = (key: string, hash: string, phone: string, first = 'A'): ProfileRecord => ({
    key,
    hash,
    firstName: first,
    lastName: 'B',
    gender: null,
    dateOfBirth: null,
    phones: [{ e164: phone, extension: null }],
    emails: [],
    address: null,
    nationalIdHash: null,
    legacyId: null,
    amounts: [],
  });
  const empty = {
    history: new Map(),
    phoneOwners: new Map(),
    emailOwners: new Map(),
    nationalIdOwners: new Map(),
    linkedIds: new Map(),
  };

  it('sees earlier records of the batch as existing (same-phone-and-name: same phone and name is skipped, other name created)', () => {
    const { decisions } = decideProfiles(
      [
        { rowNumber: 1, record: rec('k1', 'h1', '+66811111111') },
        { rowNumber: 2, record: rec('k2', 'h2', '+66811111111') },
        { rowNumber: 3, record: rec('k3', 'h3', '+66811111111', 'Other') },
        { rowNumber: 4, record: rec('k1', 'h1', '+66811111111') },
        { rowNumber: 5, record: rec('k1', 'h9', '+66811111111') },
      ],
      empty,
      { kind: 'same-phone-and-name' },
    );
    expect(decisions.map((d) => d.outcome)).toEqual(['created', 'skipped', 'created', 'skipped', 'updated']);
  });

  it('follows the duplicate strategy', () => {
    const lookups = {
      ...empty,
      phoneOwners: new Map([['+66811111111', [{ customerId: 7, firstName: 'X', lastName: 'Y' }]]]),
    };
    const outcome = (duplicates: 'reject' | 'skip' | 'update' | 'create') =>
      decideProfiles([{ rowNumber: 1, record: rec('k', 'h', '+66811111111') }], lookups, {
        kind: 'strategy',
        duplicates,
      }).decisions[0];
    expect(outcome('reject')).toMatchObject({ outcome: 'rejected', errors: [{ code: 'DUPLICATE_CUSTOMER' }] });
    expect(outcome('skip')).toMatchObject({ outcome: 'skipped', customer: { existing: 7 } });
    expect(outcome('update')).toMatchObject({ outcome: 'updated', customer: { existing: 7 } });
    expect(outcome('create')).toMatchObject({ outcome: 'created', customer: { created: 0 } });
  });
});

describe('mappings', () => {
  it('joins, applies defaults and constants, and names the columns a file lacks', () => {
    const mapping = mappingSchema.parse({
      name: 'm',
      fields: {
        full_name: { join: ['First', 'Last'] },
        gender: { column: 'Sex', default: 'F' },
        email: { constant: 'x@example.com' },
        date_of_birth: { column: 'Dob', format: 'MM/DD/YYYY' },
      },
    });
    const m = mapFileHeader(['first', 'LAST', 'Sex', 'Dob'], mapping);
    expect(m.missing).toEqual([]);
    expect(m.header).toEqual(['full_name', 'gender', 'date_of_birth', 'email', 'date_format']);
    expect(m.project(['Anong', 'Boonmee', '', '04/12/1988'])).toEqual([
      'Anong Boonmee',
      'F',
      '04/12/1988',
      'x@example.com',
      'MM/DD/YYYY',
    ]);
    expect(mapFileHeader(['First'], mapping).missing).toEqual(['Last', 'Sex', 'Dob']);
  });
});
