import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balances, getJson, importFile, nanaCsv, outcomeCounts, post, upload, waitForImport } from '../support/http';
import { csv, q } from '../support/sources';
import { startStack, type Stack } from '../support/stack';

const HEADER = ['careshop_id', 'firstname', 'lastname', 'mobile_phone', 'email'];
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

const careshop = (rows: Record<string, string>[], fields: Record<string, string> = {}) =>
  importFile(stack, csv(HEADER, rows), { source: 'careshop', fields });

async function existing(first: string, last: string, phone: string): Promise<number> {
  const [c] = await q(stack, `INSERT INTO customers (first_name, last_name) VALUES ($1, $2) RETURNING id::int`, [
    first,
    last,
  ]);
  await q(stack, `INSERT INTO customer_phones (customer_id, phone) VALUES ($1, $2)`, [c.id, phone]);
  return c.id;
}

describe('careshop', () => {
  it('skips a record whose phone belongs to a customer with the same first and last name, and creates one with another name', async () => {
    const same = await existing('Suda', 'Rakdee', '+66811110001');
    await existing('Other', 'Person', '+66811110002');
    const done = await careshop([
      {
        careshop_id: 'CS-1',
        firstname: 'Suda',
        lastname: 'Rakdee',
        mobile_phone: '081-111-0001',
        email: 'suda@example.com',
      },
      { careshop_id: 'CS-2', firstname: 'Preecha', lastname: 'Sookjai', mobile_phone: '0811110002' },
      { careshop_id: 'CS-3', firstname: 'New', lastname: 'Face', mobile_phone: '+66 81 111 0003' },
    ]);
    expect(done.status).toBe('completed');
    expect(outcomeCounts(done)).toEqual({ created: 2, linked: 0, updated: 0, skipped: 1, rejected: 0 });
    const owners = await q(stack, `SELECT count(*)::int AS n FROM customer_phones WHERE phone = '+66811110002'`);
    expect(owners[0].n).toBe(2);
    const history = await q(
      stack,
      `SELECT original_key, customer_id::int, hash IS NOT NULL AS hashed FROM sync_history WHERE source = 'careshop' ORDER BY original_key`,
    );
    expect(history.map((h) => h.original_key)).toEqual(['CS-1', 'CS-2', 'CS-3']);
    expect(history[0]).toMatchObject({ customer_id: same, hashed: true });
  });

  it('rejects a phone that is not a valid Thai mobile number', async () => {
    const done = await careshop([
      { careshop_id: 'CS-10', firstname: 'Land', lastname: 'Line', mobile_phone: '02-123-4567' },
      { careshop_id: 'CS-11', firstname: 'Bad', lastname: 'Number', mobile_phone: '12345' },
      { careshop_id: 'CS-12', firstname: 'No', lastname: 'Phone', mobile_phone: '' },
    ]);
    expect(outcomeCounts(done)).toMatchObject({ created: 0, rejected: 3 });
    const { body } = await getJson(stack, `/api/imports/${done.id}/errors`);
    expect(body.items.map((e: any) => e.errors[0].code)).toEqual(['NOT_THAI_MOBILE', 'INVALID_PHONE', 'REQUIRED']);
  });

  it('skips records already synced with the same content and updates those whose content changed', async () => {
    const rows = [
      { careshop_id: 'CS-20', firstname: 'Gap', lastname: 'One', mobile_phone: '0822220001' },
      { careshop_id: 'CS-21', firstname: 'Gap', lastname: 'Two', mobile_phone: '0822220002' },
    ];
    expect(outcomeCounts(await careshop(rows))).toMatchObject({ created: 2 });
    const again = await careshop([rows[0], { ...rows[1], email: 'two@example.com' }]);
    expect(outcomeCounts(again)).toEqual({ created: 0, linked: 0, updated: 1, skipped: 1, rejected: 0 });
    const emails = await q(
      stack,
      `SELECT e.email FROM customer_emails e JOIN customers c ON c.id = e.customer_id WHERE c.last_name = 'Two' AND c.first_name = 'Gap'`,
    );
    expect(emails).toEqual([{ email: 'two@example.com' }]);
  });

  it('waits, visibly, while a nana import is in progress, then loads', async () => {
    const { nana, shop } = await shopBehindHeldNana(stack, {
      nanaId: 'W-1',
      shopId: 'CS-30',
      name: 'Wait',
      phones: ['0833330001', '0833330002'],
    });
    const waiting = await waitForImport(stack, shop.body.id, ['waiting']);
    expect(waiting.phase).toBe('waiting_for_nana');
    const made = await q(stack, `SELECT count(*)::int AS n FROM customers WHERE import_id = $1`, [shop.body.id]);
    expect(made[0].n).toBe(0);
    await post(stack, `/api/imports/${nana.body.id}/approve`);
    await waitForImport(stack, nana.body.id);
    const done = await waitForImport(stack, shop.body.id);
    expect(done.status).toBe('completed');
    expect(outcomeCounts(done)).toMatchObject({ created: 1 });
    expect(done.timeline.map((t: any) => t.status)).toContain('waiting');
  });
});

describe('careshop: a long wait', () => {
  let patient: Stack;
  beforeAll(async () => {
    // Two looks a run, a look every 0.2 s: the wait continues as new every ~0.4 s.
    patient = await startStack({ workflowDefaults: { maxWaitPollsPerRun: 2, prerequisitePollSeconds: 0.2 } });
  });
  afterAll(async () => patient?.close());

  async function runsOf(workflowId: string) {
    const runs = [];
    for await (const wf of patient.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) runs.push(wf);
    return runs;
  }

  it('continues as new while it waits, stays visibly waiting, then loads once the nana import ends', async () => {
    const { nana, shop } = await shopBehindHeldNana(patient, {
      nanaId: 'LW-1',
      shopId: 'CS-40',
      name: 'Long',
      phones: ['0833340001', '0833340002'],
    });
    const deadline = Date.now() + 60_000;
    while ((await runsOf(shop.body.workflowId)).length < 3) {
      if (Date.now() > deadline) throw new Error('the waiting import did not continue as new');
      await new Promise((r) => setTimeout(r, 250));
    }
    const waiting = await waitForImport(patient, shop.body.id, ['waiting']);
    expect(waiting.phase).toBe('waiting_for_nana');
    const progress = await patient.client.workflow
      .getHandle(shop.body.workflowId)
      .query<{ status: string; phase: string; total: number; valid: number }>('progress');
    expect(progress).toMatchObject({ status: 'waiting', phase: 'waiting_for_nana', total: 1, valid: 1 });
    const made = await q(patient, `SELECT count(*)::int AS n FROM customers WHERE import_id = $1`, [shop.body.id]);
    expect(made[0].n).toBe(0);

    await post(patient, `/api/imports/${nana.body.id}/approve`);
    await waitForImport(patient, nana.body.id);
    const done = await waitForImport(patient, shop.body.id);
    expect(done.status).toBe('completed');
    expect(outcomeCounts(done)).toEqual({ created: 1, linked: 0, updated: 0, skipped: 0, rejected: 0 });
    expect(balances(done)).toBe(true);
    expect(done.verification.ok).toBe(true);
    // Validated once, in the first run: continuing as new never validates or stages again.
    expect(done.timeline.filter((t: any) => t.phase === 'validating')).toHaveLength(1);
    const [c] = await q(
      patient,
      `SELECT c.first_name, p.phone FROM customers c JOIN customer_phones p ON p.customer_id = c.id WHERE c.import_id = $1`,
      [shop.body.id],
    );
    expect(c).toEqual({ first_name: 'Long', phone: '+66833340002' });

    // The imports row says completed a moment before the last run closes; visibility follows a moment later.
    await patient.client.workflow.getHandle(shop.body.workflowId).result();
    let runs = await runsOf(shop.body.workflowId);
    while (runs.some((r) => r.status.name === 'RUNNING') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      runs = await runsOf(shop.body.workflowId);
    }
    const continued = runs.filter((r) => r.status.name === 'CONTINUED_AS_NEW');
    expect(continued.length).toBeGreaterThanOrEqual(2);
    expect(runs.filter((r) => r.status.name === 'COMPLETED')).toHaveLength(1);
    expect(continued.length + 1).toBe(runs.length);
    // Two looks a run: a waiting run's history stays a few dozen events however long the wait.
    for (const run of continued) expect(run.historyLength).toBeLessThan(50);
  });
});

/** A Nana import held at its approval (so it stays in progress), then a Care Shop upload behind it. */
async function shopBehindHeldNana(
  on: Stack,
  r: { nanaId: string; shopId: string; name: string; phones: [string, string] },
) {
  const nana = await upload(
    on,
    nanaCsv([{ nana_cus_id: r.nanaId, firstname: r.name, lastname: 'Nana', phone: r.phones[0] }]),
    { fields: { requireApproval: 'true', testBatchSize: '1' } },
  );
  await waitForImport(on, nana.body.id, ['awaiting_approval']);
  const shop = await upload(
    on,
    csv(HEADER, [{ careshop_id: r.shopId, firstname: r.name, lastname: 'Shop', mobile_phone: r.phones[1] }]),
    { source: 'careshop' },
  );
  expect(shop.status).toBe(202);
  return { nana, shop };
}
