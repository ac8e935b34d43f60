import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';

describe('TEMPORAL_UI_ORIGINS', () => {
  it('is unset by default: the api falls back to the dev server UI on TEMPORAL_UI_PORT', () => {
    expect(loadConfig({}).TEMPORAL_UI_ORIGINS).toBeUndefined();
  });

  it('takes a comma-separated list of origins', () => {
    expect(
      loadConfig({ TEMPORAL_UI_ORIGINS: 'https://temporal.crm.example, http://10.0.0.5:8080' }).TEMPORAL_UI_ORIGINS,
    ).toEqual(['https://temporal.crm.example', 'http://10.0.0.5:8080']);
  });

  it('refuses something that is not a URL, naming the variable', () => {
    expect(() => loadConfig({ TEMPORAL_UI_ORIGINS: 'temporal.crm.example' })).toThrow(/TEMPORAL_UI_ORIGINS/);
  });
});
