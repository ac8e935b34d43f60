import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../../../src/db/queries/import-events';
import { reopenValidated } from '../../../src/db/queries/imports';
import { loadImport } from '../../../src/imports/load-import';
import { reconcileImport, reconcileUnfinished, type OperatorDeps } from '../../../src/imports/reconcile-import';
import { temporalControl } from '../../../src/temporal/import-control';
import { stageQueuedNanaImport } from '../../support/staged-import';
import { freshNanaFile, getJson, upload, waitForImport } from '../../support/http';
import { startStack, type Stack } from '../../support/stack';
import { expectInvariants, runsOf, until } from './support';

// The reconciler judges a queued import whose workflow has closed: was that run the one the import
// was queued for (it ended without finishing: stranded), or an earlier one (an approved dry run's:
// the real run is still to start)? It once told them apart by comparing the run's closeTime, on
// Temporal's clock, with the import's updated_at, on the database's. Those clocks may run apart
// on separate hosts, and an approval can follow the dry run's close by a round trip. Here the
// database's clock is skewed by rewriting updated_at past the run's closeTime, one way and the other.
// The quiet period itself is measured on the database's clock, whatever the api host's says.
let stack: Stack;
let idle: Stack;
beforeAll(async () => {
  [stack, idle] = await Promise.all([startStack(), startStack({ worker: false })]);
});
afterAll(async () => {
  await Promise.all([stack?.close(), idle?.close()]);
});

async function closeTime(s: Stack, workflowId: string): Promise<Date> {
  const { closeTime: t } = await s.client.workflow.getHandle(workflowId).describe();
  if (!t) throw new Error(`${workflowId} has not closed`);
  return t;
}

/** Sets the import's updated_at, as a database whose clock differs from Temporal's would have written it. */
async function skewUpdatedAt(s: Stack, id: number, at: Date): Promise<void> {
  await s.pool.query(`UPDATE imports SET updated_at = $2 WHERE id = $1`, [id, at]);
}

async function eventsOf(s: Stack, id: number): Promise<string[]> {
  return (await s.pool.query(`SELECT action FROM import_events WHERE import_id = $1 ORDER BY id`, [id])).rows.map(
    (r) => r.action,
  );
}

describe('an approved dry run whose real run never started, the database clock behind Temporal', () => {
  it('gets its real run: the closed run is the dry run, whatever the clocks say', async () => {
    const res = await upload(stack, freshNanaFile(12), { fields: { dryRun: 'true' } });
    expect((await waitForImport(stack, res.body.id)).status).toBe('validated');
    await stack.client.workflow.getHandle(res.body.workflowId).result();
    // What approveImport writes before it starts the run, and no more (the api stopped there).
    await recordEvent(stack.pool, res.body.id, 'approved', 'alice', { afterDryRun: true });
    await reopenValidated(stack.pool, res.body.id);
    // Reopened "before" the dry run closed by the database's clock, and long enough ago to be judged.
    const closed = await closeTime(stack, res.body.workflowId);
    await skewUpdatedAt(stack, res.body.id, new Date(Math.min(closed.getTime(), Date.now()) - 15_000));

    // The read reconciles: the real run starts (the worker may already have picked it up), nothing is marked failed.
    expect((await getJson(stack, `/api/imports/${res.body.id}`)).body.status, 'started, not marked failed').not.toBe(
      'failed',
    );
    const done = await waitForImport(stack, res.body.id, undefined, 60_000);
    expect(done.status).toBe('completed');
    expect(done.counts.created).toBeGreaterThan(0);
    await expectInvariants(stack.pool, res.body.id);
    expect(await runsOf(stack, res.body.workflowId), 'the dry run and the real run').toBe(2);
  });
});

describe('a run terminated while its import was still queued, the database clock ahead of Temporal', () => {
  it('is marked failed (stranded), not started again behind the operator', async () => {
    // No worker polls this stack's queue: the run stays queued until it is terminated.
    const res = await upload(idle, freshNanaFile(8));
    expect(res.status).toBe(202);
    await idle.client.workflow.getHandle(res.body.workflowId).terminate('operator test');
    const closed = await closeTime(idle, res.body.workflowId);
    // Queued "after" the run closed by the database's clock, and long enough ago to be judged.
    await until(
      'the run to have closed over 11 s ago',
      async () => Date.now() - closed.getTime() > 11_000,
      20_000,
      250,
    );
    await skewUpdatedAt(idle, res.body.id, new Date(closed.getTime() + 500));

    const read = (await getJson(idle, `/api/imports/${res.body.id}`)).body;
    expect([read.status, read.failure?.code]).toEqual(['failed', 'WORKFLOW_STRANDED']);
    expect(await runsOf(idle, res.body.workflowId), 'the terminated run only').toBe(1);
    expect(await eventsOf(idle, res.body.id)).toEqual(['uploaded', 'marked_failed']);
  });
});

describe("the api host's clock apart from the database's", () => {
  const record = {
    careos_cus_id: '',
    nana_cus_id: 'N-CLOCK',
    gender: 'F',
    firstname: 'Somsri',
    lastname: 'Jaidee',
    email: '',
    date_of_birth: '',
    phone: '0812345678',
    company_name: '',
    force_create: '',
  };
  /** The reconciler as an api whose clock reads `offsetMs` from the database's; no worker polls its queue. */
  const apiWithClock = (offsetMs: number): OperatorDeps => ({
    pool: idle.pool,
    clock: { now: () => new Date(Date.now() + offsetMs) },
    workflows: temporalControl(idle.client, idle.taskQueue),
  });

  it('an api a minute ahead leaves an import queued a moment ago alone (its upload may be starting the run)', async () => {
    const { id } = await stageQueuedNanaImport(idle.pool, [record]);
    const { imp } = await loadImport(idle.pool, id);
    const deps = apiWithClock(60_000);
    expect((await reconcileImport(deps, imp)).status).toBe('queued');
    expect((await reconcileUnfinished(deps)).started, 'the periodic pass starts nothing either').toBe(0);
    expect(await eventsOf(idle, id), 'nothing judged').toEqual([]);
    await expect(idle.client.workflow.getHandle(`import-${id}`).describe(), 'no run started').rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
  });

  it('an api a minute behind still starts the run of an import quiet for the grace period', async () => {
    const { id } = await stageQueuedNanaImport(idle.pool, [record]);
    await idle.pool.query(`UPDATE imports SET updated_at = now() - interval '11 seconds' WHERE id = $1`, [id]);
    const { imp } = await loadImport(idle.pool, id);
    await reconcileImport(apiWithClock(-60_000), imp);
    expect(await eventsOf(idle, id)).toEqual(['workflow_started']);
    const run = await idle.client.workflow.getHandle(`import-${id}`).describe();
    expect(run.status.name).toBe('RUNNING');
    await idle.client.workflow.getHandle(`import-${id}`).terminate('test done');
  });
});
