import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { crmSnapshot, importState } from '../../support/db-state';
import { nanaFile } from '../../support/generate-nana';
import { importFile } from '../../support/http';
import { startStack, type Stack } from '../../support/stack';
import { committedBatches, expectInvariants, until } from './support';

// F11: an operator resets a finished import's workflow to an early event: every batch runs again.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

describe('F11: workflow reset to an early event after the import completed', () => {
  it('re-runs the batches as no-ops: same outcomes, no duplicate customers', async () => {
    const done = await importFile(stack, nanaFile({ records: 3_000, seed: 111 }), { fields: { batchSize: '250' } });
    expect(done.status).toBe('completed');
    const before = await importState(stack.pool, done.id);
    const crmBefore = await crmSnapshot(stack.pool);
    const batchesBefore = await committedBatches(stack.pool, done.id);

    const handle = stack.client.workflow.getHandle(done.workflowId);
    const firstRunId = (await handle.describe()).raw.workflowExecutionInfo?.firstRunId ?? undefined;
    const history = await stack.client.workflow.getHandle(done.workflowId, firstRunId).fetchHistory();
    const firstTask = history.events!.find(
      (e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
    )!;
    const { runId } = await stack.client.workflowService.resetWorkflowExecution({
      namespace: 'default',
      workflowExecution: { workflowId: done.workflowId, runId: firstRunId },
      reason: 'F11 fault test',
      workflowTaskFinishEventId: firstTask.eventId,
      requestId: randomUUID(),
    });
    expect(runId).toBeTruthy();
    // The reset run (and any run it continues as) completes.
    await until(
      'the reset run to complete',
      async () => {
        const d = await handle.describe();
        return d.runId !== firstRunId && d.status.name !== 'RUNNING' ? d.status.name : null;
      },
      80_000,
      250,
    ).then((status) => expect(status).toBe('COMPLETED'));
    const {
      rows: [imp],
    } = await stack.pool.query(`SELECT status FROM imports WHERE id = $1`, [done.id]);
    expect(imp.status).toBe('completed');

    await expectInvariants(stack.pool, done.id);
    expect(await committedBatches(stack.pool, done.id)).toBe(batchesBefore);
    const after = await importState(stack.pool, done.id);
    expect(after.records).toEqual(before.records);
    expect(after.totals).toEqual(before.totals);
    expect(await crmSnapshot(stack.pool)).toEqual(crmBefore);
  });
});
