import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, importFile, nanaCsv, post, upload, waitForImport } from '../support/http';
import { nanaFile } from '../support/generate-nana';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await stack.pool.query(sql, params);
  return rows[0].n;
}

async function snapshot() {
  const { rows } = await stack.pool.query(
    `SELECT (SELECT count(*)::int FROM customers) AS customers, (SELECT count(*)::int FROM customer_phones) AS phones,
            (SELECT count(*)::int FROM customer_emails) AS emails, (SELECT count(*)::int FROM customer_companies) AS companies,
            (SELECT json_agg(json_build_object('id', original_id, 'customer', customer_id, 'active', active) ORDER BY id) FROM customer_relations) AS relations`,
  );
  return rows[0];
}

describe('rollback', () => {
  it('undoes everything when a batch fails for good after the test batch', async () => {
    const before = await snapshot();
    await stack.pool.query(
      `CREATE FUNCTION fail_customer() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE check_violation USING MESSAGE = 'refused'; END $$`,
    );
    await stack.pool.query(
      `CREATE TRIGGER fail_customer BEFORE INSERT ON customers FOR EACH ROW WHEN (NEW.last_name = 'Failing') EXECUTE FUNCTION fail_customer()`,
    );
    try {
      const rows = Array.from({ length: 6 }, (_, i) => ({
        nana_cus_id: `RB-${i}`,
        firstname: `Row${i}`,
        lastname: i === 4 ? 'Failing' : 'Fine',
        phone: `08100000${10 + i}`,
        email: `r${i}@example.com`,
      }));
      const done = await importFile(stack, nanaCsv(rows), { fields: { testBatchSize: '2', batchSize: '2' } });
      expect(done.status).toBe('rolled_back');
      expect(done.failure).toMatchObject({ code: 'SQL_23514' });
      expect(await snapshot()).toEqual(before);
      expect(
        await count(`SELECT count(*)::int AS n FROM import_outcomes WHERE import_id = $1 AND phase = 'import'`, [
          done.id,
        ]),
      ).toBe(0);
    } finally {
      await stack.pool.query(`DROP TRIGGER fail_customer ON customers; DROP FUNCTION fail_customer()`);
    }
  });

  it('undoes a completed import on request, re-activating the pairs it moved', async () => {
    const {
      rows: [owner],
    } = await stack.pool.query(
      `INSERT INTO customers (first_name, last_name) VALUES ('Old', 'Owner') RETURNING id::int`,
    );
    const {
      rows: [target],
    } = await stack.pool.query(
      `INSERT INTO customers (first_name, last_name) VALUES ('New', 'Owner') RETURNING id::int`,
    );
    await stack.pool.query(
      `INSERT INTO customer_relations (customer_id, source, original_id) VALUES ($1, 'nana', 'RB-MOVED')`,
      [owner.id],
    );
    const before = await snapshot();
    const done = await importFile(
      stack,
      nanaCsv([
        {
          careos_cus_id: String(target.id),
          nana_cus_id: 'RB-MOVED',
          firstname: 'New',
          lastname: 'Owner',
          phone: '0810000100',
        },
        {
          nana_cus_id: 'RB-NEW',
          firstname: 'Brand',
          lastname: 'New',
          phone: '0810000101',
          company_name: '"A Co., Ltd."',
        },
      ]),
    );
    expect(done.status).toBe('completed');
    expect(await snapshot()).not.toEqual(before);
    // The import's own new pair goes first, so the old one comes back: restored, not "taken over".
    const plan = { restore: { relations: 1 }, keep: { customers: 0, customerIds: [], relationsNotRestored: 0 } };
    const preview = await getJson(stack, `/api/imports/${done.id}/rollback-preview`);
    expect(preview.body).toMatchObject(plan);

    const res = await post(stack, `/api/imports/${done.id}/rollback`);
    expect(res.status).toBe(202);
    const handle = stack.client.workflow.getHandle(res.body.workflowId);
    await handle.result();
    expect(await snapshot()).toEqual(before);
    const after = await waitForImport(stack, done.id);
    expect(after.status).toBe('rolled_back');
    expect((await getJson(stack, `/api/imports/${done.id}`)).body.rollback.result).toMatchObject(plan);

    // Idempotent: a second rollback changes nothing.
    const again: any = await stack.client.workflow.execute('rollbackWorkflow', {
      workflowId: `rollback-again-${done.id}`,
      taskQueue: stack.taskQueue,
      args: [{ importId: done.id }],
    });
    expect(again.remove).toEqual({ customers: 0, phones: 0, emails: 0, companies: 0, relations: 0 });
    expect(again.restore).toEqual({ relations: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it('rolls back when an operator cancels a running import', async () => {
    const before = await snapshot();
    // Slow every batch down so the cancel lands mid-import.
    await stack.pool.query(
      `CREATE FUNCTION slow_batch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.3); RETURN NULL; END $$`,
    );
    await stack.pool.query(
      `CREATE TRIGGER slow_batch AFTER INSERT ON import_batches FOR EACH STATEMENT EXECUTE FUNCTION slow_batch()`,
    );
    try {
      const res = await upload(stack, nanaFile({ records: 400, seed: 3, duplicatePhoneRate: 0 }), {
        fields: { batchSize: '10', testBatchSize: '5' },
      });
      expect(res.status).toBe(202);
      const running = await waitForImport(stack, res.body.id, ['running'], 30_000);
      for (
        let i = 0;
        i < 100 &&
        (await count(`SELECT count(*)::int AS n FROM import_batches WHERE import_id = $1`, [running.id])) < 3;
        i++
      ) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const cancel = await post(stack, `/api/imports/${running.id}/cancel`);
      expect(cancel.status).toBe(202);
      const done = await waitForImport(stack, running.id);
      expect(done.status).toBe('rolled_back');
      expect(done.failure.code).toBe('CANCELLED');
      expect(await snapshot()).toEqual(before);
    } finally {
      await stack.pool.query(`DROP TRIGGER slow_batch ON import_batches; DROP FUNCTION slow_batch()`);
    }
  });
});
