import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';

describe('DEFAULT_REGION', () => {
  it('is TH when unset or empty', () => {
    expect(loadConfig({}).DEFAULT_REGION).toBe('TH');
    expect(loadConfig({ DEFAULT_REGION: '' }).DEFAULT_REGION).toBe('TH');
  });

  it('takes a country code in any case', () => {
    expect(loadConfig({ DEFAULT_REGION: 'sg' }).DEFAULT_REGION).toBe('SG');
  });

  it('refuses a value that is not a country code with phone numbering, naming the variable', () => {
    expect(() => loadConfig({ DEFAULT_REGION: 'Singapore' })).toThrow(
      /DEFAULT_REGION: region must be an ISO 3166-1 alpha-2 country code/,
    );
  });
});
