import fc from 'fast-check';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { pgArray, pgArrayOf, type ArrayElement } from '../../src/db/array-literal';

// What node-postgres itself sends for a JS array parameter: the literal must be the same text.
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue(v: unknown): string };
const pgSends = (values: unknown[]) => prepareValue(values);

const element: fc.Arbitrary<ArrayElement> = fc.oneof(
  fc.string({
    unit: fc.constantFrom('a', 'Z', ' ', ',', '{', '}', '"', '\\', "'", 'ก', '๒', '\n', '\t', 'NULL', '😀'),
    maxLength: 12,
  }),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

describe('pgArray', () => {
  it('sends exactly the literal node-postgres would, whatever the elements', () => {
    fc.assert(
      fc.property(fc.array(element, { maxLength: 30 }), (values) => {
        expect(pgArrayOf(values)).toBe(pgSends(values));
      }),
      { numRuns: 5_000 },
    );
  });

  it('reads one column of the rows, nulls as NULL, and an empty batch as {}', () => {
    const rows = [
      { id: 17, ext: null, name: 'Rabbit "Care", Co.\\Ltd' },
      { id: 9007199254740991, ext: '12', name: '' },
    ];
    expect(pgArray(rows, (r) => r.id)).toBe('{"17","9007199254740991"}');
    expect(pgArray(rows, (r) => r.ext)).toBe('{NULL,"12"}');
    expect(pgArray(rows, (r) => r.name)).toBe('{"Rabbit \\"Care\\", Co.\\\\Ltd",""}');
    expect(pgArray([], (r: { id: number }) => r.id)).toBe('{}');
  });
});
