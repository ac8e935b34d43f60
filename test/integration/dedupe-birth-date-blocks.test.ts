import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertScan } from '../../src/db/queries/dedupe';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(async () => stack?.close());

interface Person {
  first: string;
  last: string;
  dob: string | null;
  phone: string | null;
}

/*
 * A CRM large enough for a name token two customers share to be rare (one in 32 or fewer): 80
 * customers of distinct names and birth dates, a tenth of them "Somchai".
 */
function crm(): Person[] {
  const people: Person[] = Array.from({ length: 80 }, (_, i) => ({
    first: i % 10 === 0 ? 'Somchai' : `Given${i}`,
    last: `Family${i}`,
    dob: `1960-01-${String(1 + (i % 28)).padStart(2, '0')}`,
    phone: `+6681${String(i).padStart(7, '0')}`,
  }));
  // One person twice, a letter apart, with a birth date and a rare first name in common and no phone.
  people.push({ first: 'Boonsong', last: 'Phetcharat', dob: '1977-07-07', phone: null });
  people.push({ first: 'Boonsong', last: 'Phetcharath', dob: '1977-07-07', phone: null });
  // Look-alikes: the same, but the name in common is "Somchai", which a tenth of the CRM carries.
  people.push({ first: 'Somchai', last: 'Wongsawat', dob: '1980-08-08', phone: null });
  people.push({ first: 'Somchai', last: 'Wongsawad', dob: '1980-08-08', phone: null });
  return people;
}

async function scanGroups(): Promise<string[][]> {
  const scan = await insertScan(stack.pool, {}, 'test');
  await stack.client.workflow.execute('dedupeWorkflow', {
    workflowId: `dedupe-birth-date-${scan.id}`,
    taskQueue: stack.taskQueue,
    args: [{ scanId: scan.id }],
  });
  const { rows } = await stack.pool.query<{ names: string[] }>(
    `SELECT array(SELECT c.last_name FROM customers c WHERE c.id = ANY(g.customer_ids) ORDER BY c.id) AS names
     FROM dedupe_groups g WHERE g.scan_id = $1`,
    [scan.id],
  );
  return rows.map((r) => r.names);
}

describe('birth-date blocks', () => {
  it('groups a pair that shares only a birth date and a rare name, and not one that shares a common name', async () => {
    for (const p of crm()) {
      const {
        rows: [c],
      } = await stack.pool.query(
        `INSERT INTO customers (first_name, last_name, date_of_birth) VALUES ($1, $2, $3) RETURNING id`,
        [p.first, p.last, p.dob],
      );
      if (p.phone)
        await stack.pool.query(`INSERT INTO customer_phones (customer_id, phone) VALUES ($1, $2)`, [c.id, p.phone]);
    }
    expect(await scanGroups()).toEqual([['Phetcharat', 'Phetcharath']]);
  });
});
