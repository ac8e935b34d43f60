import { randomBytes } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOptionsSchema } from '../../src/imports/import-options';
import { temporalControl } from '../../src/temporal/import-control';
import { crmSnapshot } from '../support/db-state';
import { freshNanaFile, getJson, importFile, post, upload, waitForImport } from '../support/http';
import { startStack, type Stack } from '../support/stack';

// Workflow ids are import-<id>: a database recreated or restored from a backup while Temporal keeps
// its history numbers new imports with ids whose workflows may still be running.
let stack: Stack;
const nobody = `ferry-test-nobody-${randomBytes(4).toString('hex')}`;
const foreign: string[] = [];
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  for (const id of foreign)
    await stack.client.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => undefined);
  await stack?.close();
});

/** `import-<id>` running on a queue no worker polls, as another database's import left it. */
async function startForeignImport(importId: number, recordedAt: string) {
  const workflowId = `import-${importId}`;
  foreign.push(workflowId);
  await stack.client.workflow.start('importWorkflow', {
    workflowId,
    taskQueue: nobody,
    args: [{ importId }],
    memo: { source: 'nana', recordedAt },
  });
  return workflowId;
}

describe('an import whose workflow id is taken by another database', () => {
  it('answers 409 WORKFLOW_ID_IN_USE, records the import failed, leaves the other workflow alone, and the next upload runs', async () => {
    const { rows } = await stack.pool.query(`SELECT nextval(pg_get_serial_sequence('imports', 'id'))::int AS n`);
    const taken = rows[0].n + 1;
    const workflowId = await startForeignImport(taken, '2020-01-01T00:00:00.000Z');

    const refused = await upload(stack, freshNanaFile(2));
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('WORKFLOW_ID_IN_USE');
    expect(refused.body.error.details).toEqual({ importId: taken });
    expect(refused.body.error.message).toContain(`workflow ${workflowId} is already running for another import`);
    const { body: failed } = await getJson(stack, `/api/imports/${taken}`);
    expect(failed.status).toBe('failed');
    expect(failed.failure.code).toBe('WORKFLOW_ID_IN_USE');

    const other = await stack.client.workflow.getHandle(workflowId).describe();
    expect(other.status.name).toBe('RUNNING');
    expect(other.memo).toEqual({ source: 'nana', recordedAt: '2020-01-01T00:00:00.000Z' });

    const next = await upload(stack, freshNanaFile(2));
    expect(next.status).toBe(202);
    expect(next.body.id).toBe(taken + 1);
    expect((await waitForImport(stack, next.body.id)).status).toBe('completed');
  });

  it('a repeated start of the same import finds its own run; another recording of the id is refused', async () => {
    const control = temporalControl(stack.client, nobody);
    const id = 2_000_000_000 + Math.floor(Math.random() * 1e8);
    const request = {
      id,
      source: 'nana',
      fileName: 'x.csv',
      createdBy: 'admin',
      options: importOptionsSchema.parse({}),
      recordedAt: new Date('2026-12-01T10:00:00.123Z'),
    };
    foreign.push(`import-${id}`);
    expect(await control.start(request)).toBe(`import-${id}`);
    const first = await stack.client.workflow.getHandle(`import-${id}`).describe();
    expect(await control.start(request)).toBe(`import-${id}`);
    expect((await stack.client.workflow.getHandle(`import-${id}`).describe()).runId).toBe(first.runId);
    await expect(control.start({ ...request, recordedAt: new Date('2026-12-01T10:00:00.124Z') })).rejects.toMatchObject(
      { code: 'WORKFLOW_ID_IN_USE', status: 409 },
    );
  });

  it("the same holds for rollback-<id>: a repeated request finds its run, another database's running rollback is refused", async () => {
    const control = temporalControl(stack.client, nobody);
    const id = 2_000_000_000 + Math.floor(Math.random() * 1e8);
    const request = { force: false, by: 'admin', recordedAt: new Date('2026-12-01T10:00:00.123Z') };
    foreign.push(`rollback-${id}`);
    expect(await control.rollback(id, request)).toBe(`rollback-${id}`);
    const first = await stack.client.workflow.getHandle(`rollback-${id}`).describe();
    expect(first.memo).toEqual({ requestedBy: 'admin', recordedAt: '2026-12-01T10:00:00.123Z' });
    expect(await control.rollback(id, request)).toBe(`rollback-${id}`);
    expect((await stack.client.workflow.getHandle(`rollback-${id}`).describe()).runId).toBe(first.runId);
    await expect(
      control.rollback(id, { ...request, recordedAt: new Date('2026-12-01T10:00:00.124Z') }),
    ).rejects.toMatchObject({ code: 'WORKFLOW_ID_IN_USE', status: 409 });
  });
});

describe("a workflow started for another database's import of the same id, on a live worker", () => {
  /** The imports row, its events and every CRM table: what a foreign workflow must not touch. */
  async function footprint(importId: number) {
    const {
      rows: [row],
    } = await stack.pool.query(`SELECT to_jsonb(i) AS row FROM imports i WHERE id = $1`, [importId]);
    const { rows: events } = await stack.pool.query(
      `SELECT action FROM import_events WHERE import_id = $1 ORDER BY id`,
      [importId],
    );
    return { row, events, crm: await crmSnapshot(stack.pool) };
  }

  /** Runs the workflow on this stack's worker and returns the application failure that ended it. */
  async function endingFailure(
    workflowType: string,
    workflowId: string,
    args: object,
  ): Promise<{ type?: string; message: string }> {
    const handle = await stack.client.workflow.start(workflowType, {
      workflowId,
      taskQueue: stack.taskQueue,
      args: [args],
      memo: { recordedAt: '2020-01-01T00:00:00.000Z' },
    });
    const err = await handle.result().then(
      () => null,
      (e) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    let cause = err.cause;
    while (cause && !(cause instanceof ApplicationFailure)) cause = cause.cause;
    return cause;
  }

  it("neither imports nor rolls back anything; the import's own rollback still does", async () => {
    const done = await importFile(stack, freshNanaFile(3));
    expect(done.status).toBe('completed');
    await stack.client.workflow.getHandle(`import-${done.id}`).result(); // its notification step ends after the status
    const before = await footprint(done.id);
    expect(before.crm.customers.length).toBeGreaterThan(0);
    const theirs = { importId: done.id, recordedAt: '2020-01-01T00:00:00.000Z' };

    const refused = {
      type: 'FOREIGN_WORKFLOW',
      message: expect.stringContaining(
        `started for import ${done.id} recorded ${theirs.recordedAt}, but import ${done.id} here was recorded ${done.createdAt}`,
      ),
    };
    expect(await endingFailure('importWorkflow', `import-${done.id}`, theirs)).toMatchObject(refused);
    expect(
      await endingFailure('rollbackWorkflow', `rollback-${done.id}`, {
        ...theirs,
        force: true,
        requestedBy: 'elsewhere',
      }),
    ).toMatchObject(refused);
    expect(await footprint(done.id)).toEqual(before);
    const unknownId = 2_000_000_000 + Math.floor(Math.random() * 1e8);
    foreign.push(`import-${unknownId}`);
    expect(
      await endingFailure('importWorkflow', `import-${unknownId}`, {
        importId: unknownId,
        recordedAt: theirs.recordedAt,
      }),
    ).toMatchObject({ type: 'FOREIGN_WORKFLOW', message: expect.stringContaining(`holds no import ${unknownId}`) });

    const rollback = await post(stack, `/api/imports/${done.id}/rollback`);
    expect(rollback.status).toBe(202);
    expect((await waitForImport(stack, done.id, ['rolled_back', 'failed'])).status).toBe('rolled_back');
    expect((await crmSnapshot(stack.pool)).customers.length).toBeLessThan(before.crm.customers.length);
  });
});
