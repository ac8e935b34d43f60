import { describe, expect, it } from 'vitest';
import { survivorFields, type CustomerFields } from '../../src/domain/dedupe/survivor-fields';

const survivor: CustomerFields = { id: 1, firstName: 'Malee', lastName: 'Srisuk', gender: null, dateOfBirth: null };
const merged: CustomerFields[] = [
  { id: 2, firstName: 'Srisuk', lastName: 'Malee', gender: ' ', dateOfBirth: '1980-01-02' },
  { id: 3, firstName: 'Malee', lastName: 'Srisuk', gender: 'F', dateOfBirth: '1981-01-01' },
];

describe('survivor fields', () => {
  it('fills the blanks from the first merged customer that has a value', () => {
    expect(survivorFields(survivor, merged, 'fill_blanks')).toEqual({ gender: 'F', dateOfBirth: '1980-01-02' });
  });

  it('keeps every value of the survivor when it wins', () => {
    expect(survivorFields(survivor, merged, 'survivor_wins')).toEqual({});
  });

  it("takes the admin's choice per field over either rule", () => {
    expect(survivorFields(survivor, merged, 'survivor_wins', { dateOfBirth: 3, firstName: 1 })).toEqual({
      dateOfBirth: '1981-01-01',
    });
  });

  it('refuses a choice naming a customer outside the merge', () => {
    expect(() => survivorFields(survivor, merged, 'fill_blanks', { gender: 9 })).toThrow(/customer 9/);
  });
});
