import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOptionsSchema } from '../../src/imports/import-options';
import { temporalControl } from '../../src/temporal/workflow-control';
import { freshNanaFile, getJson, upload, waitForImport } from '../support/http';
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
  for (const id of foreign) await stack.client.workflow.getHandle(id).terminate('test over').catch(() => undefined);
  await stack?.close();
});

/** `import-<id>` running on a queue no worker polls, as another database's import left it. */
async function startForeignImport(importId: number, recordedAt: string) {
  const workflowId = `import-${importId}`;
  foreign.push(workflowId);
  await stack.client.workflow.start('importWorkflow', { workflowId, taskQueue: nobody, args: [{ importId }], memo: { source: 'nana', recordedAt } });
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
    const request = { id, source: 'nana', fileName: 'x.csv', createdBy: 'admin', options: importOptionsSchema.parse({}), recordedAt: new Date('2026-12-01T10:00:00.123Z') };
    foreign.push(`import-${id}`);
    expect(await control.start(request)).toBe(`import-${id}`);
    const first = await stack.client.workflow.getHandle(`import-${id}`).describe();
    expect(await control.start(request)).toBe(`import-${id}`);
    expect((await stack.client.workflow.getHandle(`import-${id}`).describe()).runId).toBe(first.runId);
    await expect(control.start({ ...request, recordedAt: new Date('2026-12-01T10:00:00.124Z') })).rejects.toMatchObject({ code: 'WORKFLOW_ID_IN_USE', status: 409 });
  });

  it('the same holds for rollback-<id>: a repeated request finds its run, another database\'s running rollback is refused', async () => {
    const control = temporalControl(stack.client, nobody);
    const id = 2_000_000_000 + Math.floor(Math.random() * 1e8);
    const request = { force: false, by: 'admin', recordedAt: new Date('2026-12-01T10:00:00.123Z') };
    foreign.push(`rollback-${id}`);
    expect(await control.rollback(id, request)).toBe(`rollback-${id}`);
    const first = await stack.client.workflow.getHandle(`rollback-${id}`).describe();
    expect(first.memo).toEqual({ requestedBy: 'admin', recordedAt: '2026-12-01T10:00:00.123Z' });
    expect(await control.rollback(id, request)).toBe(`rollback-${id}`);
    expect((await stack.client.workflow.getHandle(`rollback-${id}`).describe()).runId).toBe(first.runId);
    await expect(control.rollback(id, { ...request, recordedAt: new Date('2026-12-01T10:00:00.124Z') })).rejects.toMatchObject({ code: 'WORKFLOW_ID_IN_USE', status: 409 });
  });
});
