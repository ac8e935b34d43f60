import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNanaFile, upload, waitForImport } from '../support/http';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

const freshFile = (records = 3) => freshNanaFile(records);

async function send(
  file: string,
  headers: Record<string, string> = {},
  fields: Record<string, string> = { requireApproval: 'true', testBatchSize: '1' },
  token = stack.adminToken,
) {
  const form = new FormData();
  form.set('source', 'nana');
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('file', new Blob([file]), 'customers.csv');
  const res = await fetch(`${stack.baseUrl}/api/imports`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${token}`, ...headers },
  });
  return { status: res.status, body: await res.json(), replayed: res.headers.get('idempotent-replayed') };
}

const importsOf = async (sha: string) =>
  (await stack.pool.query(`SELECT id::int FROM imports WHERE file_sha256 = $1`, [sha])).rows.map((r) => r.id);

describe('Idempotency-Key', () => {
  it('two concurrent uploads with the same key create one import and start one workflow', async () => {
    const file = freshFile();
    const key = `k-${crypto.randomUUID()}`;
    const [a, b] = await Promise.all([send(file, { 'idempotency-key': key }), send(file, { 'idempotency-key': key })]);
    expect([a.status, b.status].sort()).toEqual([200, 202]);
    expect(a.body.id).toBe(b.body.id);
    const replay = a.status === 200 ? a : b;
    expect(replay.replayed).toBe('true');
    expect(replay.body.replayed).toBe(true);
    const { rows } = await stack.pool.query(`SELECT file_sha256 FROM imports WHERE id = $1`, [a.body.id]);
    expect(await importsOf(rows[0].file_sha256)).toEqual([a.body.id]);
    await waitForImport(stack, a.body.id, ['awaiting_approval']);
    const workflows: string[] = [];
    for await (const wf of stack.client.workflow.list({ query: `WorkflowId = "import-${a.body.id}"` }))
      workflows.push(wf.runId);
    expect(workflows).toHaveLength(1);
  });

  it('answers a later retry with the same key with the first import, even once the first has finished', async () => {
    const file = freshFile();
    const key = `k-${crypto.randomUUID()}`;
    const first = await send(file, { 'idempotency-key': key }, { dryRun: 'true' });
    expect(first.status).toBe(202);
    await waitForImport(stack, first.body.id);
    const again = await send(file, { 'idempotency-key': key }, { dryRun: 'true' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, status: 'validated', replayed: true });
  });

  it('records the key against the caller who sent it (keys are per caller)', async () => {
    const file = freshFile();
    const key = `k-${crypto.randomUUID()}`;
    const first = await send(file, { 'idempotency-key': key });
    const { rows } = await stack.pool.query(
      `SELECT actor, import_id::int AS "importId" FROM idempotency_keys WHERE key = $1`,
      [key],
    );
    expect(rows).toEqual([{ actor: 'alice', importId: first.body.id }]);
  });

  it('refuses a key reused for another file with 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const key = `k-${crypto.randomUUID()}`;
    expect((await send(freshFile(), { 'idempotency-key': key })).status).toBe(202);
    const other = await send(freshFile(), { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('refuses a malformed key with 400 before reading the body, and stages nothing', async () => {
    for (const key of ['short', 'x'.repeat(129), 'has space inside']) {
      const res = await send(freshFile(), { 'idempotency-key': key });
      expect(res.status, key).toBe(400);
      expect(res.body.error.code).toBe('INVALID_REQUEST');
    }
  });

  it('frees the key when the upload is refused, so a corrected retry goes through', async () => {
    const key = `k-${crypto.randomUUID()}`;
    const bad = await send('careos_cus_id,nana_cus_id\n', { 'idempotency-key': key });
    expect(bad.status).toBe(422);
    // A refused file never claimed the key: the same key now stages the corrected file.
    const good = await send(freshFile(), { 'idempotency-key': key });
    expect(good.status).toBe(202);
  });
});

describe('the same file again within 10 minutes', () => {
  it('answers with the running import instead of starting a second, unless force=true', async () => {
    const file = freshFile();
    const first = await send(file);
    expect(first.status).toBe(202);
    const again = await send(file);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.replayed).toBe('true');
    const forced = await send(file, {}, { requireApproval: 'true', testBatchSize: '1', force: 'true' });
    expect(forced.status).toBe(202);
    expect(forced.body.id).not.toBe(first.body.id);
  });

  it('double-clicked without a key: two concurrent uploads of one file create one import', async () => {
    const file = freshFile();
    const [a, b] = await Promise.all([send(file), send(file)]);
    expect([a.status, b.status].sort()).toEqual([200, 202]);
    expect(a.body.id).toBe(b.body.id);
  });

  it('lets the same file through once the earlier import has finished (a deliberate re-import)', async () => {
    const file = freshFile();
    const first = await send(file, {}, { dryRun: 'true' });
    await waitForImport(stack, first.body.id);
    const again = await send(file, {}, { dryRun: 'true' });
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(first.body.id);
  });
});

describe("the 10 minutes, on the database's clock", () => {
  it('an api host whose clock runs 11 minutes ahead still answers a repeated upload with the running import', async () => {
    const ahead = await startStack({ clock: { now: () => new Date(Date.now() + 11 * 60_000) } });
    try {
      const file = freshFile();
      const first = await upload(ahead, file, { fields: { requireApproval: 'true', testBatchSize: '1' } });
      expect(first.status).toBe(202);
      const again = await upload(ahead, file, { fields: { requireApproval: 'true', testBatchSize: '1' } });
      expect([again.status, again.body.id]).toEqual([200, first.body.id]);
      // And the window still ends: 11 minutes ago by the database's clock is outside it.
      await ahead.pool.query(`UPDATE imports SET created_at = now() - interval '11 minutes' WHERE id = $1`, [
        first.body.id,
      ]);
      const later = await upload(ahead, file, { fields: { requireApproval: 'true', testBatchSize: '1' } });
      expect(later.status).toBe(202);
      expect(later.body.id).not.toBe(first.body.id);
    } finally {
      await ahead.close();
    }
  });
});

it('keeps upload() callers working: a plain upload answers 202 with replayed false', async () => {
  const res = await upload(stack, freshFile(), { fields: { dryRun: 'true' } });
  expect(res.status).toBe(202);
  expect(res.body.replayed).toBe(false);
});
