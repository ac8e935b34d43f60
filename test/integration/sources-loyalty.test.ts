import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_NATIONAL_ID_KEY, nationalIdHash } from '../../src/domain/national-id-hash';
import { getJson, importFile, nanaCsv, outcomeCounts, post } from '../support/http';
import { csv, q } from '../support/sources';
import { startStack, TEST_NATIONAL_ID_KEY, type Stack } from '../support/stack';

const USERS = ['name', 'email', 'mobile', 'nric', 'dob', 'gender', 'address', 'city', 'postcode', 'old_member_id'];
const POINTS = ['member_id', 'points', 'type', 'date', 'description'];
const PURCHASES = ['member_id', 'transaction_date', 'amount', 'store', 'items'];
const NID = '1101700230708';

let stack: Stack;

/** Waits on the rollback workflow itself (polling the api would race its stranded-workflow reconciler). */
async function rolledBack(id: number) {
  await stack.client.workflow.getHandle(`rollback-${id}`).result();
  const [row] = await q(stack, `SELECT status FROM imports WHERE id = $1`, [id]);
  expect(row.status).toBe('rolled_back');
}
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

const users = (rows: Record<string, string>[], duplicates?: string) =>
  importFile(stack, csv(USERS, rows), { source: 'loyalty-users', fields: duplicates ? { duplicates } : {} });
const errorsOf = async (id: number) =>
  (await getJson(stack, `/api/imports/${id}/errors`)).body.items.map((e: any) => [
    e.rowNumber,
    ...e.errors.map((x: any) => x.code),
  ]);

describe('loyalty-users', () => {
  it('creates members with their address, national id (hashed) and legacy id', async () => {
    const done = await users([
      {
        name: 'Malee Srisuk',
        email: 'Malee@Example.com',
        mobile: '089-123-4567',
        nric: NID,
        dob: '1990-01-31',
        gender: 'F',
        address: '99/1 Sukhumvit',
        city: 'Bangkok',
        postcode: '10110',
        old_member_id: 'M-1',
      },
    ]);
    expect(done.status).toBe('completed');
    expect(outcomeCounts(done)).toMatchObject({ created: 1 });
    const [c] = await q(
      stack,
      `SELECT c.first_name, c.last_name, c.gender, to_char(c.date_of_birth, 'YYYY-MM-DD') AS dob, r.original_id, a.postcode, i.id_hash
      FROM customers c JOIN customer_relations r ON r.customer_id = c.id AND r.source = 'loyalty-users' JOIN customer_addresses a ON a.customer_id = c.id
      JOIN customer_identities i ON i.customer_id = c.id WHERE c.import_id = $1`,
      [done.id],
    );
    expect(c).toMatchObject({
      first_name: 'Malee',
      last_name: 'Srisuk',
      gender: 'F',
      dob: '1990-01-31',
      original_id: 'M-1',
      postcode: '10110',
    });
    expect(c.id_hash).toMatch(/^[0-9a-f]{64}$/);
    // Under the worker's configured key (validation, the batch that writes it and verification alike), never the development key or a plain SHA-256.
    expect(c.id_hash).toBe(nationalIdHash(NID, TEST_NATIONAL_ID_KEY));
    expect(c.id_hash).not.toBe(nationalIdHash(NID, DEVELOPMENT_NATIONAL_ID_KEY));
    expect(c.id_hash).not.toBe(createHash('sha256').update(`ferry:th_national_id:${NID}`).digest('hex'));
    const clear = await q(stack, `SELECT count(*)::int AS n FROM customer_identities WHERE id_hash LIKE $1`, [
      `%${NID}%`,
    ]);
    expect(clear[0].n).toBe(0);
  });

  it('rejects a bad national id checksum, a missing email and a bad gender, with every reason', async () => {
    const done = await users([
      { name: 'Bad Row', email: '', mobile: '0891234000', nric: '1101700230705', gender: 'X' },
    ]);
    expect(await errorsOf(done.id)).toEqual([[1, 'REQUIRED', 'INVALID_NATIONAL_ID', 'INVALID_GENDER']]);
  });

  it('applies each duplicate strategy to a record matching by email, mobile or national id', async () => {
    const base = { name: 'Dup Person', email: 'dup@example.com', mobile: '0897770001', old_member_id: 'D-1' };
    expect(outcomeCounts(await users([base]))).toMatchObject({ created: 1 });
    const byEmail = { name: 'Dup Changed', email: 'dup@example.com', mobile: '0897770002', city: 'Chiang Mai' };
    const rejected = await users([byEmail]);
    expect(await errorsOf(rejected.id)).toEqual([[1, 'DUPLICATE_CUSTOMER']]);
    expect(outcomeCounts(await users([byEmail], 'skip'))).toMatchObject({ skipped: 1, created: 0 });
    const created = await users([{ ...byEmail, email: 'dup2@example.com', mobile: '0897770001' }], 'create');
    expect(outcomeCounts(created)).toMatchObject({ created: 1 });
    const updated = await users([byEmail], 'update');
    expect(outcomeCounts(updated)).toMatchObject({ updated: 1 });
    const [c] = await q(
      stack,
      `SELECT c.id::int, c.first_name, c.last_name, (SELECT array_agg(phone ORDER BY phone) FROM customer_phones p WHERE p.customer_id = c.id) AS phones
      FROM customers c JOIN customer_relations r ON r.customer_id = c.id WHERE r.original_id = 'D-1'`,
    );
    expect(c).toMatchObject({ first_name: 'Dup', last_name: 'Changed', phones: ['+66897770001', '+66897770002'] });
    await post(stack, `/api/imports/${updated.id}/rollback`);
    await rolledBack(updated.id);
    const [back] = await q(
      stack,
      `SELECT first_name, last_name, (SELECT array_agg(phone) FROM customer_phones p WHERE p.customer_id = c.id) AS phones FROM customers c WHERE id = $1`,
      [c.id],
    );
    expect(back).toEqual({ first_name: 'Dup', last_name: 'Person', phones: ['+66897770001'] });
  });

  it('matches a national id as a duplicate', async () => {
    await users([{ name: 'Nid Owner', email: 'nid1@example.com', mobile: '0896660001', nric: '3100500123458' }]);
    const dup = await users([
      { name: 'Nid Other', email: 'nid2@example.com', mobile: '0896660002', nric: '3100500123458' },
    ]);
    expect(await errorsOf(dup.id)).toEqual([[1, 'DUPLICATE_CUSTOMER']]);
  });
});

describe('loyalty-points and loyalty-purchases', () => {
  it('resolve member ids through loyalty-users and nana legacy ids, keep a balance and exact amounts', async () => {
    await users([{ name: 'Points Member', email: 'points@example.com', mobile: '0895550001', old_member_id: 'P-1' }]);
    await importFile(
      stack,
      nanaCsv([{ nana_cus_id: 'NANA-P', firstname: 'Nana', lastname: 'Member', phone: '0895550002' }]),
    );
    const [crm] = await q(stack, `SELECT id::text FROM customers WHERE first_name = 'Nana' AND last_name = 'Member'`);
    const points = await importFile(
      stack,
      csv(POINTS, [
        { member_id: 'P-1', points: '150', type: 'Credit', date: '2024-03-01', description: 'Welcome' },
        { member_id: 'P-1', points: '50.25', type: 'debit', date: '2024-03-02' },
        { member_id: 'NANA-P', points: '1,000', type: 'Credit', date: '2024-03-03' },
        { member_id: crm.id, points: '1', type: 'Credit', date: '2024-03-04' },
        { member_id: 'NOBODY', points: '5', type: 'Credit', date: '2024-03-05' },
        { member_id: 'P-1', points: '-5', type: 'Refund', date: '2024-13-01' },
      ]),
      { source: 'loyalty-points' },
    );
    expect(points.status).toBe('completed');
    expect(outcomeCounts(points)).toEqual({ created: 4, linked: 0, updated: 0, skipped: 0, rejected: 2 });
    expect(await errorsOf(points.id)).toEqual([
      [5, 'UNKNOWN_MEMBER'],
      [6, 'NEGATIVE_AMOUNT', 'INVALID_TYPE', 'INVALID_DATE'],
    ]);
    const balances = await q(
      stack,
      `SELECT c.first_name, sum(t.delta)::text AS balance FROM points_transactions t JOIN customers c ON c.id = t.customer_id GROUP BY 1 ORDER BY 1`,
    );
    expect(balances).toEqual([
      { first_name: 'Nana', balance: '1001.00' },
      { first_name: 'Points', balance: '99.75' },
    ]);

    const purchases = await importFile(
      stack,
      csv(PURCHASES, [
        { member_id: 'P-1', transaction_date: '2024-03-02', amount: '฿1,250.50', store: 'Siam', items: 'Case' },
        { member_id: 'NANA-P', transaction_date: '2024-03-03', amount: '0.10' },
        { member_id: 'NANA-P', transaction_date: '2024-03-03', amount: '0.20' },
        { member_id: 'GHOST', transaction_date: '2024-03-03', amount: '1' },
      ]),
      { source: 'loyalty-purchases' },
    );
    expect(outcomeCounts(purchases)).toMatchObject({ created: 3, rejected: 1 });
    const [sum] = await q(stack, `SELECT sum(amount)::text AS total FROM purchases WHERE member_id = 'NANA-P'`);
    expect(sum.total).toBe('0.30');
    const again = await importFile(
      stack,
      csv(PURCHASES, [
        { member_id: 'P-1', transaction_date: '2024-03-02', amount: '1250.50', store: 'Siam', items: 'Case' },
      ]),
      { source: 'loyalty-purchases' },
    );
    expect(outcomeCounts(again)).toMatchObject({ skipped: 1, created: 0 });
  });
});
