import { describe, expect, it } from 'vitest';
import { readLocalDate } from '../../src/domain/date-order';

const TODAY = '2025-06-01';
const read = (raw: string, order?: 'DD/MM/YYYY' | 'MM/DD/YYYY', era?: 'CE' | 'BE') =>
  readLocalDate(raw, 'dob', TODAY, order, era);

describe('readLocalDate', () => {
  it('reads ISO dates whatever the declared order', () => {
    expect(read('1990-01-31')).toEqual({ ok: true, value: '1990-01-31' });
    expect(read('1990-01-31', 'MM/DD/YYYY')).toEqual({ ok: true, value: '1990-01-31' });
  });

  it('reads a slash date in the declared order, both-way dates included', () => {
    expect(read('04/12/1988', 'DD/MM/YYYY')).toEqual({ ok: true, value: '1988-12-04' });
    expect(read('04/12/1988', 'MM/DD/YYYY')).toEqual({ ok: true, value: '1988-04-12' });
    expect(read('4.7.1990', 'DD/MM/YYYY')).toEqual({ ok: true, value: '1990-07-04' });
  });

  it('reports a date that reads only in the other order instead of swapping it', () => {
    expect(read('25/12/1990', 'MM/DD/YYYY')).toMatchObject({
      ok: false,
      error: {
        field: 'dob',
        code: 'DATE_ORDER_CONFLICT',
        message: expect.stringContaining('only when read as DD/MM/YYYY'),
      },
    });
    expect(read('12/25/1990', 'DD/MM/YYYY')).toMatchObject({ ok: false, error: { code: 'DATE_ORDER_CONFLICT' } });
  });

  it('rejects a slash date when no order is declared', () => {
    expect(read('04/12/1988')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_DATE', message: expect.stringContaining('dateOrder') },
    });
  });

  it('rejects dates impossible in either order as not real dates', () => {
    expect(read('31/31/1990', 'DD/MM/YYYY')).toMatchObject({ ok: false, error: { code: 'INVALID_DATE' } });
    expect(read('31/02/1990', 'DD/MM/YYYY')).toMatchObject({ ok: false, error: { code: 'INVALID_DATE' } });
  });

  it('subtracts 543 from Buddhist-era years when the era is declared, and above 2400 when it is not', () => {
    expect(read('31/01/2533', 'DD/MM/YYYY', 'BE')).toEqual({ ok: true, value: '1990-01-31' });
    expect(read('2533-01-31')).toEqual({ ok: true, value: '1990-01-31' });
    expect(read('2533-01-31', undefined, 'CE')).toMatchObject({ ok: false, error: { code: 'DATE_IN_FUTURE' } });
  });
});

describe("a mapping's declared date layout", () => {
  it('reports a value that reads only in the other order instead of calling it no date', async () => {
    const { parseDate } = await import('../../src/sources/shared/values');
    expect(parseDate('12/25/1990', 'date_of_birth', TODAY, 'DD/MM/YYYY')).toMatchObject({
      ok: false,
      error: { code: 'DATE_ORDER_CONFLICT', message: expect.stringContaining('but DD/MM/YYYY is declared') },
    });
    expect(parseDate('04/12/1988', 'date_of_birth', TODAY, 'MM/DD/YYYY')).toEqual({ ok: true, value: '1988-04-12' });
    expect(parseDate('31/31/1990', 'date_of_birth', TODAY, 'DD/MM/YYYY')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_DATE' },
    });
  });
});
