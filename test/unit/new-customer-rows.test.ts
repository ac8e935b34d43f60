import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { NewCustomerRows } from '../../src/sources/shared/new-customer-rows';

// `of` and `has` never touch the connection; `write` without skipping runs the writes as they are.
const noClient = {} as pg.PoolClient;

describe('NewCustomerRows', () => {
  const fresh = new NewCustomerRows(noClient, false, [101, 102, 103]);

  it('passes rows that all name customers the batch created', () => {
    const rows = [
      { customerId: 101, phone: '+66812345678' },
      { customerId: 103, phone: '+66812345679' },
    ];
    expect(fresh.of(rows)).toBe(rows);
    expect(fresh.has(102)).toBe(true);
    expect(fresh.has(7)).toBe(false);
  });

  it('refuses a row of a customer that existed before the batch, before anything is written', () => {
    expect(() => fresh.of([{ customerId: 101 }, { customerId: 7 }])).toThrow(
      /customer 7 .* this batch did not create that customer/,
    );
  });

  it('runs the writes with row triggers untouched when the batch may not skip them', async () => {
    const order: string[] = [];
    await fresh.write(async () => {
      order.push('writes');
    });
    expect(order).toEqual(['writes']);
  });
});
