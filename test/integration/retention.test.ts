import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRetentionSchedule } from '../../src/temporal/retention-schedule';
import { getJson, importFile, nanaCsv, post } from '../support/http';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ retentionDays: 90 });
});
afterAll(async () => stack?.close());

const rows = (prefix: string, phoneSuffix: number) =>
  nanaCsv([
    {
      nana_cus_id: `${prefix}-1`,
      firstname: 'Kept',
      lastname: 'Counts',
      phone: `08100004${String(phoneSuffix).padStart(2, '0')}`,
    },
    {
      nana_cus_id: `${prefix}-2`,
      firstname: 'Bad',
      lastname: 'Phone',
      phone: '12',
      email: `${prefix.toLowerCase()}@example.com`,
    },
  ]);

async function state(id: number) {
  const {
    rows: [r],
  } = await stack.pool.query(
    `SELECT (SELECT count(*)::int FROM import_rows WHERE import_id = $1) AS staged,
            (SELECT count(*)::int FROM import_errors WHERE import_id = $1 AND record <> '{}'::jsonb) AS "errorRecords",
            (SELECT json_agg(json_build_object('row', row_number, 'codes', (SELECT json_agg(e->>'code') FROM jsonb_array_elements(errors) e)) ORDER BY row_number) FROM import_errors WHERE import_id = $1) AS reasons,
            (SELECT count(*)::int FROM import_outcomes WHERE import_id = $1) AS outcomes,
            (SELECT purged_at IS NOT NULL FROM imports WHERE id = $1) AS purged`,
    [id],
  );
  return r;
}

const runRetention = () =>
  stack.client.workflow.execute('retentionWorkflow', {
    workflowId: `retention-test-${stack.taskQueue}-${Date.now()}`,
    taskQueue: stack.taskQueue,
    args: [{}],
  });

describe('retention', () => {
  it('purges staged and rejected records of imports finished before the period, and nothing else', async () => {
    const old = await importFile(stack, rows('OLD', 1));
    const recent = await importFile(stack, rows('NEW', 2));
    const running = await importFile(stack, rows('RUN', 3));
    // Old enough, but not finished (as if still running): never purged.
    await stack.pool.query(`UPDATE imports SET finished_at = now() - interval '91 days' WHERE id = ANY($1)`, [
      [old.id, running.id],
    ]);
    await stack.pool.query(`UPDATE imports SET status = 'running' WHERE id = $1`, [running.id]);
    await stack.pool.query(`UPDATE imports SET finished_at = now() - interval '89 days' WHERE id = $1`, [recent.id]);
    const oldBefore = await state(old.id);
    const untouched = { recent: await state(recent.id), running: await state(running.id) };
    expect(oldBefore).toMatchObject({ staged: 2, errorRecords: 1, outcomes: 2, purged: false });

    const summary: any = await runRetention();
    expect(summary).toMatchObject({ imports: 1, stagedRows: 2, errorRecords: 1 });

    expect(await state(old.id)).toEqual({ ...oldBefore, staged: 0, errorRecords: 0, purged: true });
    expect(await state(recent.id)).toEqual(untouched.recent);
    expect(await state(running.id)).toEqual(untouched.running);

    const detail = await getJson(stack, `/api/imports/${old.id}`);
    expect(detail.body.purgedAt).toEqual(expect.any(String));
    expect(detail.body.counts).toEqual(old.counts);
    expect(detail.body.audit.map((e: any) => e.action)).toContain('purged');
    const errors = await getJson(stack, `/api/imports/${old.id}/errors`);
    expect(JSON.stringify(errors.body)).not.toContain('old@example.com');
    expect(JSON.stringify(errors.body)).toContain('PHONE');

    // Idempotent: a second run finds nothing more to purge.
    expect(await runRetention()).toMatchObject({ imports: 0, stagedRows: 0, errorRecords: 0 });
  });

  it('refuses rollback after the purge with 409 PURGED', async () => {
    const done = await importFile(stack, rows('RBK', 4));
    await stack.pool.query(`UPDATE imports SET finished_at = now() - interval '100 days' WHERE id = $1`, [done.id]);
    await runRetention();
    const res = await post(stack, `/api/imports/${done.id}/rollback`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PURGED');
    expect(res.body.error.message).toMatch(/no longer be rolled back/);
  });

  it('creates the daily schedule once, however many workers start', async () => {
    const scheduleId = `ferry-retention-test-${stack.taskQueue}`;
    try {
      expect(await ensureRetentionSchedule(stack.client, { taskQueue: stack.taskQueue, scheduleId })).toBe('created');
      expect(await ensureRetentionSchedule(stack.client, { taskQueue: stack.taskQueue, scheduleId })).toBe('exists');
      const described = await stack.client.schedule.getHandle(scheduleId).describe();
      expect(described.action).toMatchObject({
        type: 'startWorkflow',
        workflowType: 'retentionWorkflow',
        taskQueue: stack.taskQueue,
      });
      expect(described.spec.calendars?.length).toBe(1);
    } finally {
      await stack.client.schedule
        .getHandle(scheduleId)
        .delete()
        .catch(() => undefined);
    }
  });
});
