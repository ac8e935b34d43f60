import { describe, expect, it } from 'vitest';
import { differingMembers, memberTotals, toCents } from '../../src/sources/shared/ledger-totals';
import { numberOccurrences, transactionKey } from '../../src/sources/shared/ledger-sync';

describe('ledger totals', () => {
  it('reads exact decimals as hundredths, negatives included', () => {
    expect([toCents('17.00'), toCents('-50.25'), toCents('-0.00'), toCents('1000000000000.99')]).toEqual([
      1700n,
      -5025n,
      0n,
      100000000000099n,
    ]);
  });

  it('counts a member whose sum or count differs, or who is on one side only', () => {
    const file = memberTotals([
      { customerId: 1, amount: '10.00' },
      { customerId: 1, amount: '10.00' },
      { customerId: 1, amount: '-3.00' },
      { customerId: 2, amount: '5.00' },
    ]);
    expect(file.get(1)).toEqual({ count: 3, cents: 1700n });
    expect(
      differingMembers(
        file,
        new Map([
          [1, { count: 3, cents: 1700n }],
          [2, { count: 1, cents: 500n }],
        ]),
      ),
    ).toBe(0);
    // Two identical lines merged into one transaction: the sum and the count both differ.
    expect(
      differingMembers(
        file,
        new Map([
          [1, { count: 2, cents: 700n }],
          [2, { count: 1, cents: 500n }],
        ]),
      ),
    ).toBe(1);
    expect(
      differingMembers(
        file,
        new Map([
          [1, { count: 3, cents: 1700n }],
          [3, { count: 1, cents: 500n }],
        ]),
      ),
    ).toBe(2);
  });
});

describe('transaction identity', () => {
  it('numbers identical lines in file order, continuing after the lines of earlier batches', () => {
    expect(numberOccurrences(['a', 'b', 'a', 'a'], new Map())).toEqual([1, 1, 2, 3]);
    expect(numberOccurrences(['a', 'b', 'a'], new Map([['a', 2]]))).toEqual([3, 1, 4]);
  });

  it('keeps the bare hash for a first occurrence, so earlier sync history still matches', () => {
    expect(transactionKey('h', 1)).toBe('h');
    expect(transactionKey('h', 2)).toBe('h#2');
  });
});
