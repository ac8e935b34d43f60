import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmSnapshot } from '../support/db-state';
import { nanaFile } from '../support/generate-nana';
import { freshNanaFile, getJson, importFile, nanaCsv, post, upload, waitForImport } from '../support/http';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

const freshFile = (records = 6) => freshNanaFile(records);

async function rowsProcessed(id: number): Promise<number> {
  const { rows } = await stack.pool.query(`SELECT rows_processed FROM imports WHERE id = $1`, [id]);
  return rows[0].rows_processed;
}

describe('cancel', () => {
  it('from the Temporal client (as the UI and `temporal workflow cancel` do) rolls the import back', async () => {
    const before = await crmSnapshot(stack.pool);
    const res = await upload(stack, freshFile(40), { fields: { requireApproval: 'true', testBatchSize: '10' } });
    await waitForImport(stack, res.body.id, ['awaiting_approval']);
    expect(await crmSnapshot(stack.pool)).not.toEqual(before);
    await stack.client.workflow.getHandle(res.body.workflowId).cancel();
    const done = await waitForImport(stack, res.body.id);
    expect(done.status).toBe('rolled_back');
    expect(done.failure.code).toBe('CANCELLED');
    expect(await crmSnapshot(stack.pool)).toEqual(before);
  });

  it('in the middle of a 50k-record import takes effect within seconds and leaves nothing behind', async () => {
    const before = await crmSnapshot(stack.pool);
    const res = await upload(stack, nanaFile({ records: 50_000, seed: 5 }), { fields: { batchSize: '1000' } });
    expect(res.status).toBe(202);
    for (let i = 0; (await rowsProcessed(res.body.id)) < 5_000; i++) {
      if (i > 1200) throw new Error('import never got going');
      await new Promise((r) => setTimeout(r, 50));
    }
    const cancelledAt = Date.now();
    expect((await post(stack, `/api/imports/${res.body.id}/cancel`)).status).toBe(202);
    const rollingBack = await waitForImport(stack, res.body.id, ['rolling_back', 'rolled_back']);
    expect(Date.now() - cancelledAt).toBeLessThan(10_000);
    expect(rollingBack.counts.total).toBe(50_000);
    const done = await waitForImport(stack, res.body.id);
    expect(done.status).toBe('rolled_back');
    expect(await crmSnapshot(stack.pool)).toEqual(before);
    const { body } = await getJson(stack, `/api/imports/${res.body.id}`);
    expect(body.audit.map((e: any) => [e.action, e.actor])).toEqual(
      expect.arrayContaining([
        ['cancel_requested', 'alice'],
        ['rolled_back', 'ferry'],
      ]),
    );
  });
});

describe('terminate', () => {
  it('leaves the import stranded: it is marked failed when read, and the api rolls it back', async () => {
    const before = await crmSnapshot(stack.pool);
    const res = await upload(stack, freshFile(), { fields: { requireApproval: 'true', testBatchSize: '3' } });
    await waitForImport(stack, res.body.id, ['awaiting_approval']);
    await stack.client.workflow.getHandle(res.body.workflowId).terminate('operator test');
    const failed = await waitForImport(stack, res.body.id);
    expect(failed.status).toBe('failed');
    expect(failed.failure.code).toBe('WORKFLOW_STRANDED');
    expect(await crmSnapshot(stack.pool)).not.toEqual(before);
    const rb = await post(stack, `/api/imports/${res.body.id}/rollback`);
    expect(rb.status).toBe(202);
    await stack.client.workflow.getHandle(rb.body.workflowId).result();
    expect((await waitForImport(stack, res.body.id)).status).toBe('rolled_back');
    expect(await crmSnapshot(stack.pool)).toEqual(before);
  });
});

describe('approval', () => {
  it('waits after the test batch and completes when approved, recording who approved', async () => {
    const res = await upload(stack, freshFile(), {
      fields: { requireApproval: 'true', testBatchSize: '2', batchSize: '2' },
    });
    const waiting = await waitForImport(stack, res.body.id, ['awaiting_approval']);
    expect(waiting.counts.created).toBe(2);
    const approved = await post(stack, `/api/imports/${res.body.id}/approve`);
    expect(approved.status).toBe(202);
    const done = await waitForImport(stack, res.body.id);
    expect(done.status).toBe('completed');
    expect(done.counts.created).toBe(6);
    const { body } = await getJson(stack, `/api/imports/${res.body.id}`);
    expect(body.audit.map((e: any) => [e.action, e.actor])).toEqual([
      ['uploaded', 'alice'],
      ['approved', 'alice'],
    ]);
    expect((await post(stack, `/api/imports/${res.body.id}/approve`)).status).toBe(409);
  });

  it('rolls the test batch back when rejected', async () => {
    const before = await crmSnapshot(stack.pool);
    const res = await upload(stack, freshFile(), { fields: { requireApproval: 'true', testBatchSize: '2' } });
    await waitForImport(stack, res.body.id, ['awaiting_approval']);
    expect((await post(stack, `/api/imports/${res.body.id}/reject`, stack.viewerToken)).status).toBe(403);
    expect((await post(stack, `/api/imports/${res.body.id}/reject`)).status).toBe(202);
    const done = await waitForImport(stack, res.body.id);
    expect(done.status).toBe('rolled_back');
    expect(done.failure.code).toBe('REJECTED');
    expect(await crmSnapshot(stack.pool)).toEqual(before);
  });

  it('expires when no decision comes in time, and undoes the test batch', async () => {
    const before = await crmSnapshot(stack.pool);
    const res = await upload(stack, freshFile(), {
      fields: { requireApproval: 'true', testBatchSize: '2', approvalTimeoutSeconds: '2' },
    });
    const done = await waitForImport(stack, res.body.id);
    expect(done.status).toBe('expired');
    expect(done.failure.code).toBe('APPROVAL_EXPIRED');
    expect(await crmSnapshot(stack.pool)).toEqual(before);
  });

  it('starts a validated dry run for real without a new upload', async () => {
    const before = await crmSnapshot(stack.pool);
    const res = await upload(stack, freshFile(), { fields: { dryRun: 'true' } });
    const validated = await waitForImport(stack, res.body.id);
    expect(validated.status).toBe('validated');
    expect(await crmSnapshot(stack.pool)).toEqual(before);
    expect((await post(stack, `/api/imports/${res.body.id}/approve`)).status).toBe(202);
    const done = await waitForImport(stack, res.body.id);
    expect(done.status).toBe('completed');
    expect(done.counts.created).toBe(6);
  });
});

describe('rollback that meets later work', () => {
  it('names the conflict in the preview, keeps it by default, and removes it with force', async () => {
    const before = await crmSnapshot(stack.pool);
    const first = await importFile(
      stack,
      nanaCsv([
        { nana_cus_id: 'CF-1', firstname: 'Shared', lastname: 'Customer', phone: '0898880001' },
        { nana_cus_id: 'CF-2', firstname: 'Lonely', lastname: 'Customer', phone: '0898880002' },
      ]),
    );
    const {
      rows: [shared],
    } = await stack.pool.query(`SELECT id::int FROM customers WHERE import_id = $1 AND first_name = 'Shared'`, [
      first.id,
    ]);
    const later = await importFile(
      stack,
      nanaCsv([
        {
          careos_cus_id: String(shared.id),
          nana_cus_id: 'CF-LATER',
          firstname: 'Shared',
          lastname: 'Customer',
          phone: '0898880003',
        },
      ]),
    );
    expect(later.counts.linked).toBe(1);

    const preview = await getJson(stack, `/api/imports/${first.id}/rollback-preview`);
    expect(preview.body.keep).toMatchObject({ customers: 1, customerIds: [shared.id] });
    expect(preview.body.remove).toMatchObject({ customers: 1, phones: 1, relations: 1 });

    const rb = await post(stack, `/api/imports/${first.id}/rollback`);
    await stack.client.workflow.getHandle(rb.body.workflowId).result();
    const kept = await stack.pool.query(`SELECT first_name FROM customers WHERE import_id = $1`, [first.id]);
    expect(kept.rows).toEqual([{ first_name: 'Shared' }]);
    const { body } = await getJson(stack, `/api/imports/${first.id}`);
    // The plan the rollback ran on (its kept set as recorded under the lock) is the one previewed.
    const { id: _id, ...previewed } = preview.body;
    expect(body.rollback.result).toEqual(previewed);

    const forced = await post(stack, `/api/imports/${first.id}/rollback?force=true`);
    await stack.client.workflow.getHandle(forced.body.workflowId).result();
    expect(await crmSnapshot(stack.pool)).toEqual(before);
  });
});
