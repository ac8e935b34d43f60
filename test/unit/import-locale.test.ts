import { describe, expect, it } from 'vitest';
import { localeOf, resolveLocale } from '../../src/domain/import-locale';

describe('resolveLocale', () => {
  it("takes the upload's choice over the mapping's, and the mapping's over the deployment's", () => {
    expect(resolveLocale([{ region: 'MY' }, { region: 'SG' }], 'TH')).toEqual({ region: 'MY', nationalIdScheme: 'my' });
    expect(resolveLocale([{}, { region: 'SG' }], 'TH')).toEqual({ region: 'SG', nationalIdScheme: 'sg' });
    expect(resolveLocale([{}, {}], 'SG')).toEqual({ region: 'SG', nationalIdScheme: 'sg' });
  });

  it('lets a scheme be chosen apart from the region, and keeps declared dates', () => {
    expect(
      resolveLocale([{ nationalIdScheme: 'any', dateOrder: 'DD/MM/YYYY', dateEra: 'BE' }, { region: 'SG' }], 'TH'),
    ).toEqual({ region: 'SG', nationalIdScheme: 'any', dateOrder: 'DD/MM/YYYY', dateEra: 'BE' });
  });

  it("reads an unknown region's ids as opaque", () => {
    expect(resolveLocale([{ region: 'ID' }], 'TH').nationalIdScheme).toBe('any');
  });
});

describe('localeOf', () => {
  it('is Thai for a context without a locale', () => {
    expect(localeOf({})).toEqual({ region: 'TH', nationalIdScheme: 'th' });
  });
});
