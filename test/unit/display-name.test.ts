import { describe, expect, it } from 'vitest';
import { displayName } from '../../src/files/display-name';

describe('displayName', () => {
  it('keeps an ordinary file name', () => {
    expect(displayName('customers-2025-06.csv')).toBe('customers-2025-06.csv');
  });

  it('keeps a Thai file name', () => {
    expect(displayName('ลูกค้า นานา.csv')).toBe('ลูกค้า นานา.csv');
  });

  it('strips a ../ path that climbs out of the upload folder', () => {
    expect(displayName('../../etc/passwd')).toBe('passwd');
  });

  it('strips a Windows path with backslashes', () => {
    expect(displayName('C:\\Users\\bi\\..\\exports\\nana.csv')).toBe('nana.csv');
  });

  it('removes control characters such as NUL, newline and DEL', () => {
    expect(displayName('na\u0000na\n\r\u001b\u007f.csv')).toBe('nana.csv');
  });

  it('removes the right-to-left override that disguises an extension', () => {
    expect(displayName('invoice\u202Evsc.exe')).toBe('invoicevsc.exe');
  });

  it('removes the other bidi embedding and isolate characters', () => {
    expect(displayName('\u202Aa\u202Bb\u202Cc\u202Dd\u2066e\u2067f\u2068g\u2069.csv')).toBe('abcdefg.csv');
  });

  it('trims surrounding whitespace', () => {
    expect(displayName('  nana.csv  ')).toBe('nana.csv');
  });

  it('caps the name at 200 characters', () => {
    const result = displayName(`${'a'.repeat(300)}.csv`);
    expect(result).toHaveLength(200);
    expect(result).toBe('a'.repeat(200));
  });

  it.each([undefined, '', '   ', '/', '\u202E\u0000'])(
    'falls back to upload.csv for the unusable name %j',
    (original) => {
      expect(displayName(original)).toBe('upload.csv');
    },
  );

  it('falls back to upload.csv for a name that is only a parent-folder reference such as ../', () => {
    expect(['../', '..', 'exports/..', '..\\'].map(displayName)).toEqual([
      'upload.csv',
      'upload.csv',
      'upload.csv',
      'upload.csv',
    ]);
  });
});
