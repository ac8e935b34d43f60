import { describe, expect, it } from 'vitest';
import { headerKey, mapHeader, type ColumnSpec } from '../../src/domain/columns';

const specs: ColumnSpec[] = [
  { name: 'nana_cus_id', required: true, aliases: ['nana_id'], description: '', example: '' },
  { name: 'firstname', required: true, aliases: ['first_name'], description: '', example: '' },
  { name: 'phone', required: true, aliases: ['mobile', 'phone_number'], description: '', example: '' },
  { name: 'email', required: false, aliases: ['email_address'], description: '', example: '' },
];

describe('headerKey', () => {
  it('lower-cases and trims a header cell', () => {
    expect(headerKey('  Phone  ')).toBe('phone');
  });

  it('turns spaces and dashes into one underscore', () => {
    expect(headerKey('First Name')).toBe('first_name');
    expect(headerKey('first-name')).toBe('first_name');
    expect(headerKey('First  -  Name')).toBe('first_name');
  });

  it('drops a byte order mark and zero-width characters', () => {
    expect(headerKey('\ufeffnana_cus_id')).toBe('nana_cus_id');
    expect(headerKey('pho\u200bne\u2060')).toBe('phone');
  });

  it('composes accents so a decomposed header matches the composed spelling', () => {
    expect(headerKey('Pre\u0301nom')).toBe('pr\u00e9nom');
  });
});

describe('mapHeader', () => {
  it('maps canonical names to their columns in file order', () => {
    expect(mapHeader(['phone', 'nana_cus_id', 'firstname'], specs)).toEqual({
      columns: ['phone', 'nana_cus_id', 'firstname'],
      missing: [],
      unknown: [],
      duplicates: [],
    });
  });

  it('maps aliases to their canonical column', () => {
    expect(mapHeader(['nana_id', 'first_name', 'mobile', 'email_address'], specs).columns).toEqual([
      'nana_cus_id',
      'firstname',
      'phone',
      'email',
    ]);
  });

  it('maps headers that differ in case, spaces, dashes and a BOM', () => {
    const mapping = mapHeader(['\ufeffNANA-ID', ' First Name ', 'Phone Number'], specs);
    expect(mapping.columns).toEqual(['nana_cus_id', 'firstname', 'phone']);
    expect(mapping.unknown).toEqual([]);
  });

  it('ignores empty cells at the end of the header left by a trailing delimiter', () => {
    expect(mapHeader(['nana_cus_id', 'firstname', 'phone', '', ' '], specs)).toEqual({
      columns: ['nana_cus_id', 'firstname', 'phone', null, null],
      missing: [],
      unknown: [],
      duplicates: [],
    });
  });

  it('reports an empty header cell in the middle of the header as unknown, by column number', () => {
    const mapping = mapHeader(['nana_cus_id', '', 'firstname', 'phone'], specs);
    expect(mapping.unknown).toEqual(['(empty header in column 2)']);
    expect(mapping.columns).toEqual(['nana_cus_id', null, 'firstname', 'phone']);
  });

  it('reports unknown headers as written, trimmed', () => {
    const mapping = mapHeader(['nana_cus_id', 'firstname', 'phone', ' Favourite Colour '], specs);
    expect(mapping.unknown).toEqual(['Favourite Colour']);
    expect(mapping.columns[3]).toBeNull();
  });

  it('reports every required column that is missing, and not optional ones', () => {
    expect(mapHeader(['firstname'], specs).missing).toEqual(['nana_cus_id', 'phone']);
  });

  it('reports a column given twice under different spellings as a duplicate', () => {
    const mapping = mapHeader(['nana_cus_id', 'firstname', 'phone', 'Mobile'], specs);
    expect(mapping.duplicates).toEqual(['Mobile']);
    expect(mapping.missing).toEqual([]);
  });

  it('reports missing, unknown and duplicate headers together', () => {
    expect(mapHeader(['phone', 'mobile', 'shoe_size'], specs)).toEqual({
      columns: ['phone', 'phone', null],
      missing: ['nana_cus_id', 'firstname'],
      unknown: ['shoe_size'],
      duplicates: ['mobile'],
    });
  });
});
