import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../../../src/db/queries/import-events';
import { isTerminal, reopenValidated } from '../../../src/db/queries/imports';
import { freshNanaFile, getJson, upload, waitForImport } from '../../support/http';
import { startStack, type Stack } from '../../support/stack';
import { multipartBody } from '../api-support';
import { exited, expectInvariants, faultPointWatch, runsOf, startApiProcess, stopProcess, until } from './support';

// The api between two writes of its own: killed after an upload's records committed but before its
// workflow started, stopped (SIGTERM) while an upload is still arriving, and stopped between
// reopening an approved dry run and starting its real run. The stack runs the worker in-process.
let stack: Stack;
const apis: ChildProcess[] = [];
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  for (const api of apis) await stopProcess(api);
  await stack?.close();
});

async function importRow(id: number) {
  const { rows } = await stack.pool.query(
    `SELECT status, total, workflow_id AS "workflowId" FROM imports WHERE id = $1`,
    [id],
  );
  return rows[0];
}

async function auditOf(id: number): Promise<string[][]> {
  const { rows } = await stack.pool.query(`SELECT action, actor FROM import_events WHERE import_id = $1 ORDER BY id`, [
    id,
  ]);
  return rows.map((r) => [r.action, r.actor]);
}

describe('the api killed after an upload committed, before its workflow started', () => {
  it('leaves the import queued with every record; the next api starts its run by itself and a retried upload gets the same import', async () => {
    const file = freshNanaFile(300);
    const watch = faultPointWatch();
    const doomed = await startApiProcess(stack, { faultPoints: 'upload-staged:kill', onLine: watch.onLine });
    apis.push(doomed.child);
    const {
      rows: [{ last }],
    } = await stack.pool.query(`SELECT coalesce(max(id), 0)::int AS last FROM imports`);

    await expect(
      upload(doomed.asStack, file, { fields: { batchSize: '100' } }),
      'the client sees the connection drop',
    ).rejects.toThrow();
    await watch.reached('upload-staged');
    expect(await exited(doomed.child), 'the api died at the fault point').toEqual({ code: null, signal: 'SIGKILL' });
    const {
      rows: [{ id }],
    } = await stack.pool.query(`SELECT id::int FROM imports WHERE id > $1`, [last]);
    const cut = await importRow(id);
    expect(cut, 'staged and queued').toMatchObject({ status: 'queued', total: 300 });
    const {
      rows: [staged],
    } = await stack.pool.query(`SELECT count(*)::int AS n FROM import_rows WHERE import_id = $1`, [id]);
    expect(staged.n, 'every record committed').toBe(300);
    await expect(stack.client.workflow.getHandle(cut.workflowId).describe(), 'no run exists').rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );

    const api = await startApiProcess(stack);
    apis.push(api.child);
    const retried = await upload(api.asStack, file, { fields: { batchSize: '100' } });
    expect(
      [retried.status, retried.body.id, retried.body.replayed],
      'the retry answers with the import the first request staged',
    ).toEqual([200, id, true]);

    // Nobody reads the import through the api: its reconciler finds it once quiet and starts the run.
    const final = await until(
      'the import to finish',
      async () => {
        const row = await importRow(id);
        return isTerminal(row) && row;
      },
      90_000,
      250,
    );
    expect(final.status).toBe('completed');
    await expectInvariants(stack.pool, id);
    expect(await auditOf(id)).toEqual([
      ['uploaded', 'alice'],
      ['workflow_started', 'ferry'],
    ]);
    expect(await runsOf(stack, cut.workflowId), 'one run').toBe(1);
    const {
      rows: [imports],
    } = await stack.pool.query(`SELECT count(*)::int AS n FROM imports WHERE id > $1`, [last]);
    expect(imports.n, 'nothing staged twice').toBe(1);
  });
});

describe('the api stopped (SIGTERM) while an upload is still arriving', () => {
  it('refuses new connections, lets the upload finish and answer 202, then exits 0; the import completes', async () => {
    const api = await startApiProcess(stack);
    apis.push(api.child);
    const body = multipartBody(
      [
        { name: 'source', content: 'nana' },
        { name: 'file', filename: 'customers.csv', content: freshNanaFile(200) },
      ],
      'drain',
    );
    const url = new URL(`${api.asStack.baseUrl}/api/imports`);
    const half = Math.floor(body.length / 2);
    let send!: (rest: Buffer) => void;
    const answered = new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            authorization: `Bearer ${api.asStack.adminToken}`,
            'content-type': 'multipart/form-data; boundary=drain',
            'content-length': body.length,
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      req.write(body.subarray(0, half));
      send = (rest) => req.end(rest);
    });

    await new Promise((r) => setTimeout(r, 300));
    api.child.kill('SIGTERM');
    await until(
      'the api to stop accepting connections',
      () =>
        fetch(`${api.asStack.baseUrl}/healthz`).then(
          () => false,
          () => true,
        ),
      10_000,
      100,
    );
    expect(api.child.exitCode, 'still running: an upload is in flight').toBeNull();
    send(body.subarray(half));

    const res = await answered;
    expect(res.status).toBe(202);
    expect(await exited(api.child, 30_000), 'a clean exit once the upload was answered').toEqual({
      code: 0,
      signal: null,
    });
    const done = await waitForImport(stack, res.body.id);
    expect(done.status).toBe('completed');
    expect(done.counts.total).toBe(200);
    await expectInvariants(stack.pool, res.body.id);
  });
});

describe('the api stopped between reopening an approved dry run and starting its real run', () => {
  it('the import, queued behind a closed dry run, gets its real run when next read', async () => {
    const res = await upload(stack, freshNanaFile(12), { fields: { dryRun: 'true' } });
    const validated = await waitForImport(stack, res.body.id);
    expect([validated.status, validated.counts.created]).toEqual(['validated', 0]);
    await stack.client.workflow.getHandle(res.body.workflowId).result();
    // What approveImport writes before it starts the run (src/imports/operator-actions.ts), and no more.
    await recordEvent(stack.pool, res.body.id, 'approved', 'alice', { afterDryRun: true });
    await reopenValidated(stack.pool, res.body.id);
    expect(
      (await getJson(stack, `/api/imports/${res.body.id}`)).body.status,
      'within the grace period nothing is judged',
    ).toBe('queued');

    const done = await waitForImport(stack, res.body.id, undefined, 60_000);
    expect(done.status, 'the real run, not the dry run again').toBe('completed');
    expect(done.counts.created).toBeGreaterThan(0);
    await expectInvariants(stack.pool, res.body.id);
    expect((await auditOf(res.body.id)).map(([action]) => action)).toEqual([
      'uploaded',
      'approved',
      'workflow_started',
    ]);
    expect(await runsOf(stack, res.body.workflowId), 'the dry run and the real run').toBe(2);
  });
});
