import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertMergeBatch } from '../../src/db/queries/merge-batches';
import { projectPath } from '../../src/project-root';
import { getJson } from '../support/http';
import { mergeCustomersVia, postJson, undoMergeVia } from '../support/merges';
import { q } from '../support/sources';
import { startStack, type Stack } from '../support/stack';

const PAIRS = 60;
let stack: Stack;
/** Pair i: two customers, one name and one phone. */
const pairs: [number, number][] = [];
let scanId: number;
const groupOf = new Map<number, number>();
beforeAll(async () => {
  stack = await startStack();
  for (let i = 0; i < PAIRS; i++) {
    const letters = String.fromCharCode(97 + (i % 26)) + String.fromCharCode(97 + Math.floor(i / 26));
    const pair: number[] = [];
    for (let k = 0; k < 2; k++) {
      const [c] = await q(stack, `INSERT INTO customers (first_name, last_name) VALUES ($1, $2) RETURNING id::int`, [
        `Kanok${letters}`,
        `Thongsuk${letters}`,
      ]);
      await q(stack, `INSERT INTO customer_phones (customer_id, phone) VALUES ($1, $2)`, [
        c.id,
        `+66891${String(i).padStart(6, '0')}`,
      ]);
      pair.push(c.id);
    }
    pairs.push([pair[0]!, pair[1]!]);
  }
  const scan = await postJson(stack, '/api/dedupe', {});
  await stack.client.workflow.getHandle(scan.body.workflowId).result();
  scanId = scan.body.id;
  const groups = (await getJson(stack, `/api/dedupe/${scanId}/groups?pageSize=100`)).body.items;
  for (const g of groups) groupOf.set(g.customers[0].id, g.id);
}, 120_000);
afterAll(async () => stack?.close());

const mergedCount = async (ids: number[]) =>
  (await q(stack, `SELECT count(*)::int AS n FROM customers WHERE id = ANY($1) AND merged_into IS NOT NULL`, [ids]))[0]
    .n;

describe('merging many groups in one workflow run', () => {
  it('merges each group in its own transaction, continuing as new, and a second run of the batch changes nothing', async () => {
    expect(groupOf.size).toBe(PAIRS);
    const named = pairs.slice(0, 24);
    const batch = await insertMergeBatch(
      stack.pool,
      { groupIds: named.map(([a]) => groupOf.get(a)!) },
      'fill_blanks',
      'test',
    );
    expect(batch.counts.merges).toBe(24);
    const handle = await stack.client.workflow.start('mergeBatchWorkflow', {
      workflowId: `merge-batch-small-${batch.id}`,
      taskQueue: stack.taskQueue,
      args: [{ batchId: batch.id, stepSize: 5, maxStepsPerRun: 2 }],
    });
    expect(await handle.result()).toEqual({ merges: 24, completed: 24, refused: 0 });
    expect((await handle.describe()).runId).not.toBe(handle.firstExecutionRunId);
    expect(await mergedCount(named.map(([, b]) => b))).toBe(24);
    expect(
      await q(stack, `SELECT DISTINCT customer_id::int AS c FROM customer_phones WHERE customer_id = ANY($1)`, [
        named.map(([, b]) => b),
      ]),
    ).toEqual([]);

    const changes = (await q(stack, `SELECT count(*)::int AS n FROM merge_changes`))[0].n;
    const again = await stack.client.workflow.execute('mergeBatchWorkflow', {
      workflowId: `merge-batch-again-${batch.id}`,
      taskQueue: stack.taskQueue,
      args: [{ batchId: batch.id }],
    });
    expect(again).toEqual({ merges: 24, completed: 24, refused: 0 });
    expect((await q(stack, `SELECT count(*)::int AS n FROM merge_changes`))[0].n).toBe(changes);
  });

  it('merges a scan’s groups from POST /api/merges, refuses the ones merged already, and each merge undoes on its own', async () => {
    const [a, b] = pairs[30]!;
    await mergeCustomersVia(stack, a, [b]);
    const res = await postJson(stack, '/api/merges', { scanId, minScore: 0 });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      status: 'running',
      workflowId: `merge-batch-${res.body.id}`,
      counts: { merges: PAIRS },
    });
    await stack.client.workflow.getHandle(res.body.workflowId).result();
    const batch = (await getJson(stack, `/api/merges/batches/${res.body.id}`)).body;
    // 24 merged by the earlier batch and one merged by hand are refused; 35 are merged now.
    expect(batch).toMatchObject({ status: 'completed', counts: { merges: PAIRS, completed: 35, refused: 25 } });
    expect(await mergedCount(pairs.map(([, m]) => m))).toBe(PAIRS);

    const [survivor, merged] = pairs[40]!;
    const {
      rows: [one],
    } = await stack.pool.query(`SELECT id::int FROM merges WHERE batch_id = $1 AND survivor_id = $2`, [
      res.body.id,
      survivor,
    ]);
    expect((await getJson(stack, `/api/merges/${one.id}`)).body).toMatchObject({
      status: 'completed',
      batchId: res.body.id,
    });
    await undoMergeVia(stack, one.id);
    expect(await q(stack, `SELECT merged_into FROM customers WHERE id = $1`, [merged])).toEqual([
      { merged_into: null },
    ]);
    expect(await q(stack, `SELECT count(*)::int AS n FROM customer_phones WHERE customer_id = $1`, [merged])).toEqual([
      { n: 1 },
    ]);
    expect(await mergedCount(pairs.map(([, m]) => m))).toBe(PAIRS - 1);
  });

  it('starts a batch from the command line; only the group undone since merges again', async () => {
    const env = { ...process.env, FERRY_URL: stack.baseUrl, FERRY_TOKEN: stack.adminToken };
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [projectPath('bin/ferry.js'), 'merge-all', String(scanId), '--min-score', '0', '--json'],
      { env, cwd: path.dirname(projectPath('bin/ferry.js')) },
    );
    const batch = JSON.parse(stdout);
    expect(batch).toMatchObject({ workflowId: `merge-batch-${batch.id}`, counts: { merges: PAIRS } });
    expect(await stack.client.workflow.getHandle(batch.workflowId).result()).toEqual({
      merges: PAIRS,
      completed: 1,
      refused: PAIRS - 1,
    });
    expect(await mergedCount(pairs.map(([, m]) => m))).toBe(PAIRS);
  });

  it('rejects a batch that names no group, and one that names both a scan and groups', async () => {
    const batches = async () => (await q(stack, `SELECT count(*)::int AS n FROM merge_batches`))[0].n;
    const before = await batches();
    expect((await postJson(stack, '/api/merges', { groupIds: [999_999] })).body.error.code).toBe('NO_GROUPS');
    expect(await batches()).toBe(before);
    expect((await postJson(stack, '/api/merges', { scanId, groupIds: [1] })).status).toBe(400);
    expect((await postJson(stack, '/api/merges', { scanId: 1 }, stack.viewerToken)).status).toBe(403);
  });

  it("counts a running batch's merges as they end, and lists that batch's merges alone", async () => {
    const groupIds = pairs.slice(0, 3).map(([a]) => groupOf.get(a)!);
    // Recorded without its workflow: the merges' statuses are set by hand, as the run would leave them.
    const batch = await insertMergeBatch(stack.pool, { groupIds }, 'fill_blanks', 'test');
    const ids = (await q(stack, `SELECT id::int FROM merges WHERE batch_id = $1 ORDER BY id`, [batch.id])).map(
      (r) => r.id,
    );
    await q(stack, `UPDATE merges SET status = 'completed' WHERE id = $1`, [ids[0]]);
    await q(stack, `UPDATE merges SET status = 'failed' WHERE id = $1`, [ids[1]]);
    expect((await getJson(stack, `/api/merges/batches/${batch.id}`)).body).toMatchObject({
      status: 'running',
      counts: { merges: 3, completed: 1, refused: 1 },
    });
    const listed = (await getJson(stack, `/api/merges?batchId=${batch.id}&pageSize=10`)).body;
    expect(listed.total).toBe(3);
    expect(listed.items.map((m: { id: number }) => m.id)).toEqual([...ids].reverse());
  });
});
