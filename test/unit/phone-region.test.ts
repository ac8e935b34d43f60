import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../src/domain/phone';
import { thaiFastE164 } from '../../src/domain/phone-thai-fast';
import { regionSchema } from '../../src/domain/region';

describe('normalizePhone in a region', () => {
  it('reads a Singapore mobile without +65 as Singaporean', () => {
    expect(normalizePhone('9123 4567', 'mobile', 'SG')).toEqual({
      ok: true,
      value: { e164: '+6591234567', extension: null },
    });
    expect(normalizePhone('8123-4567', 'mobile', 'SG')).toMatchObject({ ok: true, value: { e164: '+6581234567' } });
  });

  it('reads a Malaysian mobile with its trunk 0 as Malaysian', () => {
    expect(normalizePhone('012-345 6789', 'mobile', 'MY')).toMatchObject({ ok: true, value: { e164: '+60123456789' } });
  });

  it('keeps numbers with a country code whatever the region', () => {
    expect(normalizePhone('+66 81 234 5678', 'mobile', 'SG')).toMatchObject({
      ok: true,
      value: { e164: '+66812345678' },
    });
  });

  it('does not take the Thai fast path outside Thailand', () => {
    // The fast path would answer +66… for this shape; in Singapore it is not a valid number at all.
    expect(thaiFastE164('0812345678')).toBe('+66812345678');
    expect(normalizePhone('0812345678', 'mobile', 'SG')).toMatchObject({ ok: false, error: { code: 'INVALID_PHONE' } });
  });

  it('repairs a lost leading zero and 0066 only in Thailand', () => {
    expect(normalizePhone('812345678', 'phone', 'TH')).toMatchObject({ ok: true, value: { e164: '+66812345678' } });
    expect(normalizePhone('812345678', 'phone', 'SG').ok).toBe(false);
  });

  it('reads Thai numbers as before when no region is given', () => {
    expect(normalizePhone('081-234-5678')).toMatchObject({ ok: true, value: { e164: '+66812345678' } });
  });
});

describe('regionSchema', () => {
  it('takes any case and refuses codes without numbering data', () => {
    expect(regionSchema.parse(' sg ')).toBe('SG');
    expect(regionSchema.safeParse('XX').success).toBe(false);
    expect(regionSchema.safeParse('SGP').success).toBe(false);
  });
});
