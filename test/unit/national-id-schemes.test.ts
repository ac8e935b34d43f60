import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_NATIONAL_ID_KEY } from '../../src/domain/national-id-hash';
import {
  checkNationalId,
  defaultSchemeFor,
  NATIONAL_ID_CHECKERS,
  NATIONAL_ID_SCHEMES,
  schemeNationalIdHash,
  type NationalIdScheme,
} from '../../src/domain/national-id';

const valid = (raw: string, scheme: NationalIdScheme) => checkNationalId(raw, scheme, 'nric');
const rejection = (raw: string, scheme: NationalIdScheme) => {
  const result = checkNationalId(raw, scheme, 'nric');
  return result.ok ? null : result.error;
};

describe('Thai national id (th)', () => {
  it('accepts 13 digits with their check digit, dashes and Thai digits too', () => {
    expect(valid('1-1017-00230-70-8', 'th')).toEqual({ ok: true, value: '1101700230708' });
    expect(valid('๑๑๐๑๗๐๐๒๓๐๗๐๘', 'th')).toEqual({ ok: true, value: '1101700230708' });
  });
  it('rejects a wrong check digit and other lengths, naming the scheme', () => {
    expect(rejection('1101700230705', 'th')).toEqual({
      field: 'nric',
      code: 'INVALID_NATIONAL_ID',
      message: 'nric is not a valid Thai national id (scheme th): fails the check digit',
    });
    expect(rejection('S1234567D', 'th')?.message).toContain('(scheme th): must be 13 digits');
  });
});

describe('Singapore NRIC/FIN (sg)', () => {
  // Published examples: ICA's S1234567D, and test vectors of GovTech FormSG and python-idnumbers.
  it.each([
    'S1234567D',
    's1234567d',
    'S8076606H',
    'S1728872E',
    'S2111122H',
    'G4549883U',
    'G4552218R',
    'M1234567K',
    'M3960741N',
  ])('accepts %s', (id) => {
    expect(valid(id, 'sg')).toEqual({ ok: true, value: id.toUpperCase() });
  });
  it('computes the T and F series with their own offset and letters', () => {
    // T shares S's letters with 4 added; F shares G's letters without it.
    expect(valid('T1234567J', 'sg').ok).toBe(true);
    expect(valid('F1234567N', 'sg').ok).toBe(true);
    expect(valid('T1234567D', 'sg').ok).toBe(false);
    expect(valid('F1234567D', 'sg').ok).toBe(false);
  });
  it.each(['S1179607H', 'S1234567A', 'M1234567N', 'X1728872E', 'S123456D', '1101700230708'])(
    'rejects %s naming the scheme',
    (id) => {
      expect(rejection(id, 'sg')).toMatchObject({
        code: 'INVALID_NATIONAL_ID',
        message: expect.stringContaining('is not a valid Singapore NRIC/FIN (scheme sg)'),
      });
    },
  );
});

describe('Malaysian MyKad (my)', () => {
  it('accepts 12 digits starting with a real YYMMDD date, dashes removed', () => {
    expect(valid('900131-14-5678', 'my')).toEqual({ ok: true, value: '900131145678' });
    expect(valid('000229015555', 'my').ok).toBe(true);
  });
  it.each([
    ['901331145678', 'does not start with a valid date (YYMMDD)'],
    ['010229015555', 'does not start with a valid date (YYMMDD)'],
    ['900431145678', 'does not start with a valid date (YYMMDD)'],
    ['90013114567', 'must be 12 digits'],
  ])('rejects %s: %s', (id, reason) => {
    expect(rejection(id, 'my')?.message).toBe(`nric is not a valid Malaysian MyKad number (scheme my): ${reason}`);
  });
});

describe('any other id (any)', () => {
  it('keeps the id opaque: trimmed, spaces out, upper-cased', () => {
    expect(valid('  ab 123456 ', 'any')).toEqual({ ok: true, value: 'AB123456' });
    expect(rejection('x'.repeat(65), 'any')?.code).toBe('INVALID_NATIONAL_ID');
  });
});

describe('schemes', () => {
  it('treats an empty cell as no id in every scheme', () => {
    for (const scheme of NATIONAL_ID_SCHEMES) expect(valid(' ', scheme)).toEqual({ ok: true, value: null });
  });
  it('offers an example that its own checker accepts', () => {
    for (const scheme of NATIONAL_ID_SCHEMES) expect(valid(NATIONAL_ID_CHECKERS[scheme].example, scheme).ok).toBe(true);
  });
  it('follows the region by default', () => {
    expect([defaultSchemeFor('TH'), defaultSchemeFor('SG'), defaultSchemeFor('MY'), defaultSchemeFor('ID')]).toEqual([
      'th',
      'sg',
      'my',
      'any',
    ]);
  });
});

describe('schemeNationalIdHash', () => {
  it('keeps the Thai digest every stored id already has', () => {
    expect(schemeNationalIdHash('th', '1101700230708', DEVELOPMENT_NATIONAL_ID_KEY)).toBe(
      'bf43bdd3c8b5e910431169ffed80d77dc21b49b27b2d02739384c85a1a1dd966',
    );
  });
  it('never gives two schemes the same digest for the same text', () => {
    const digests = NATIONAL_ID_SCHEMES.map((scheme) =>
      schemeNationalIdHash(scheme, '900131145678', DEVELOPMENT_NATIONAL_ID_KEY),
    );
    expect(new Set(digests).size).toBe(NATIONAL_ID_SCHEMES.length);
  });
});

describe('what users are shown', () => {
  it("gives the loyalty-users template's national id column an example of every scheme", async () => {
    const { loyaltyUsersSource } = await import('../../src/sources/loyalty-users/loyalty-users');
    const nric = loyaltyUsersSource.columns.find((c) => c.name === 'nric');
    for (const scheme of NATIONAL_ID_SCHEMES)
      expect(nric?.description).toContain(
        `${scheme}: ${NATIONAL_ID_CHECKERS[scheme].label}, e.g. ${NATIONAL_ID_CHECKERS[scheme].example}`,
      );
  });
});
