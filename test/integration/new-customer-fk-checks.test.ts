import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayWriteWithoutRowTriggers } from '../../src/db/queries/row-triggers';
import { importState, orphanRows } from '../support/db-state';
import { nanaFile } from '../support/generate-nana';
import { balances, freshNanaFile, importFile } from '../support/http';
import { startStack, type Stack } from '../support/stack';

// A foreign-key check locks the customer it finds (FOR KEY SHARE), which stamps the customer's row
// with the checking transaction (xmax), even when that transaction inserted the customer itself.
// A customer row left unstamped is one no key check ever looked at.
const EXISTING = 5;
const file = nanaFile({ records: 3_000, seed: 11, existingCustomerIds: [1, 2, 3, 4, 5] });

let fast: Stack;
let checked: Stack;
beforeAll(async () => {
  [fast, checked] = await Promise.all([startStack(), startStack({ newCustomerFkChecks: 'always' })]);
  for (const stack of [fast, checked]) {
    await stack.pool.query(
      `INSERT INTO customers (first_name, last_name) SELECT 'Existing' || i, 'Customer' FROM generate_series(1, $1) i`,
      [EXISTING],
    );
  }
});
afterAll(async () => Promise.all([fast?.close(), checked?.close()]));

async function lockedCustomers(stack: Stack, where: string, params: unknown[]): Promise<{ n: number; locked: number }> {
  const {
    rows: [r],
  } = await stack.pool.query(
    `SELECT count(*)::int AS n, (count(*) FILTER (WHERE xmax::text <> '0'))::int AS locked FROM customers WHERE ${where}`,
    params,
  );
  return r;
}

describe('rows of the customers a batch creates', () => {
  let fastDone: any;
  let checkedDone: any;
  beforeAll(async () => {
    [fastDone, checkedDone] = await Promise.all([
      importFile(fast, file, { fields: { batchSize: '1000' } }),
      importFile(checked, file, { fields: { batchSize: '1000' } }),
    ]);
  });

  it('give the same database with or without their per-row key checks', async () => {
    expect(fastDone.status).toBe('completed');
    expect(balances(fastDone)).toBe(true);
    expect(fastDone.counts).toEqual(checkedDone.counts);
    expect(fastDone.counts.created).toBeGreaterThan(2_000);
    expect(fastDone.counts.linked).toBeGreaterThan(0);
    const [a, b] = await Promise.all([importState(fast.pool, fastDone.id), importState(checked.pool, checkedDone.id)]);
    expect(a.records).toEqual(b.records);
    expect(a.totals).toEqual(b.totals);
    expect(await orphanRows(fast.pool)).toEqual({});
  });

  it('are written without a key check when the database allows it', async () => {
    expect(await lockedCustomers(fast, 'import_id = $1', [fastDone.id])).toEqual({
      n: fastDone.counts.created,
      locked: 0,
    });
    // Under NEW_CUSTOMER_FK_CHECKS=always every new customer's phones were checked against it.
    expect(await lockedCustomers(checked, 'import_id = $1', [checkedDone.id])).toEqual({
      n: checkedDone.counts.created,
      locked: checkedDone.counts.created,
    });
  });

  it('never stand in for the rows of customers that existed before: those are still checked', async () => {
    const { rows: linkedTo } = await fast.pool.query(
      `SELECT DISTINCT customer_id::int AS id FROM customer_relations WHERE import_id = $1 AND customer_id <= $2`,
      [fastDone.id, EXISTING],
    );
    expect(linkedTo.length).toBeGreaterThan(0);
    expect(await lockedCustomers(fast, 'id = ANY($1::bigint[])', [linkedTo.map((r) => r.id)])).toEqual({
      n: linkedTo.length,
      locked: linkedTo.length,
    });
  });
});

describe('a trigger of the CRM on a table Ferry writes', () => {
  beforeAll(async () => {
    await fast.pool.query(`CREATE TABLE crm_phone_audit (phone text NOT NULL)`);
    await fast.pool.query(
      `CREATE FUNCTION crm_audit_phone() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO crm_phone_audit VALUES (NEW.phone); RETURN NEW; END $$`,
    );
    await fast.pool.query(
      `CREATE TRIGGER crm_phone_audit AFTER INSERT ON customer_phones FOR EACH ROW EXECUTE FUNCTION crm_audit_phone()`,
    );
  });
  afterAll(async () => {
    await fast.pool.query(`DROP TRIGGER IF EXISTS crm_phone_audit ON customer_phones`);
    await fast.pool.query(`DROP FUNCTION IF EXISTS crm_audit_phone(); DROP TABLE IF EXISTS crm_phone_audit`);
  });

  it('fires for every row: its presence turns the fast path off', async () => {
    const done = await importFile(fast, freshNanaFile(40));
    expect(done.counts.created).toBe(40);
    const {
      rows: [phones],
    } = await fast.pool.query(`SELECT count(*)::int AS n FROM customer_phones WHERE import_id = $1`, [done.id]);
    const {
      rows: [audited],
    } = await fast.pool.query(`SELECT count(*)::int AS n FROM crm_phone_audit`);
    expect(audited.n).toBe(phones.n);
    expect(await lockedCustomers(fast, 'import_id = $1', [done.id])).toEqual({ n: 40, locked: 40 });
  });
});

describe('the database role', () => {
  const role = `ferry_fk_${randomBytes(4).toString('hex')}`;
  let limited: pg.Client;
  beforeAll(async () => {
    await fast.pool.query(`CREATE ROLE ${role} LOGIN`);
    const url = new URL(fast.databaseUrl);
    url.username = role;
    limited = new pg.Client({ connectionString: url.toString() });
    await limited.connect();
  });
  afterAll(async () => {
    await limited?.end();
    await fast.pool.query(`REVOKE SET ON PARAMETER session_replication_role FROM ${role}`);
    await fast.pool.query(`DROP ROLE IF EXISTS ${role}`);
  });

  it('keeps per-row checks unless it may set session_replication_role, and skips them once granted', async () => {
    const gate = () => mayWriteWithoutRowTriggers(limited);
    expect(await gate()).toBe(false);
    await fast.pool.query(`GRANT SET ON PARAMETER session_replication_role TO ${role}`);
    expect(await gate()).toBe(true);
  });
});
