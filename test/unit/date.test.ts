import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../../src/domain/date';

const today = '2025-06-01';

function check(raw: string) {
  return parseIsoDate(raw, 'date_of_birth', today);
}

describe('parseIsoDate', () => {
  it('accepts 1988-04-12 as a birth date', () => {
    expect(check('1988-04-12')).toEqual({ ok: true, value: '1988-04-12' });
  });

  it('trims whitespace around the date', () => {
    expect(check(' 1988-04-12 ')).toEqual({ ok: true, value: '1988-04-12' });
  });

  it('accepts 2024-02-29 because 2024 is a leap year', () => {
    expect(check('2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
  });

  it('accepts 2000-02-29 because 2000 is a leap year divisible by 400', () => {
    expect(check('2000-02-29').ok).toBe(true);
  });

  it('rejects 1900-02-29 because 1900 is not a leap year', () => {
    expect(check('1900-02-29')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_DATE', message: 'date_of_birth is not a real calendar date' },
    });
  });

  it('rejects 2023-02-29 because 2023 is not a leap year', () => {
    expect(check('2023-02-29')).toMatchObject({ ok: false, error: { field: 'date_of_birth', code: 'INVALID_DATE' } });
  });

  it('rejects 2023-02-30 as not a real calendar date', () => {
    expect(check('2023-02-30')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_DATE', message: 'date_of_birth is not a real calendar date' },
    });
  });

  it.each(['1988-04-31', '1988-13-01', '1988-00-10', '1988-04-00'])('rejects the impossible date %s', (raw) => {
    expect(check(raw)).toMatchObject({ ok: false, error: { code: 'INVALID_DATE' } });
  });

  it.each(['12/04/1988', '1988/04/12', '1988-4-12', '19880412', '12 April 1988', '1988-04-12T00:00:00Z'])(
    'rejects %j because it is not written yyyy-mm-dd',
    (raw) => {
      expect(check(raw)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_DATE', message: 'date_of_birth must be a date written yyyy-mm-dd' },
      });
    },
  );

  it('accepts today as a birth date', () => {
    expect(check(today)).toEqual({ ok: true, value: today });
  });

  it('rejects tomorrow as a date in the future without a Buddhist-era hint', () => {
    const result = check('2025-06-02');
    expect(result).toMatchObject({ ok: false, error: { code: 'DATE_IN_FUTURE' } });
    expect(!result.ok && result.error.message).not.toContain('Buddhist');
  });

  it('rejects the Buddhist-era date 2531-04-12 as in the future and hints to subtract 543', () => {
    const result = check('2531-04-12');
    expect(result).toMatchObject({ ok: false, error: { field: 'date_of_birth', code: 'DATE_IN_FUTURE' } });
    expect(!result.ok && result.error.message).toMatch(/Buddhist era: subtract 543/);
  });

  it('rejects 1899-12-31 as before 1900', () => {
    expect(check('1899-12-31')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_DATE', message: 'date_of_birth is before 1900' },
    });
  });

  it('accepts 1900-01-01, the first date allowed', () => {
    expect(check('1900-01-01').ok).toBe(true);
  });

  it('names the field it was given in the error', () => {
    expect(parseIsoDate('nope', 'joined_on', today)).toMatchObject({
      ok: false,
      error: { field: 'joined_on', message: expect.stringContaining('joined_on') },
    });
  });
});
