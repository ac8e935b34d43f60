import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNanaFile, getJson, post, upload, waitForImport } from '../support/http';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

const freshFile = (records = 3) => freshNanaFile(records);
const MISSING = 999_999_999_999;

const GET_ROUTES = (id: number) => [
  `/api/imports`,
  `/api/imports/${id}`,
  `/api/imports/${id}/errors`,
  `/api/imports/${id}/errors.csv`,
  `/api/imports/${id}/errors.xlsx`,
  `/api/imports/${id}/rollback-preview`,
  `/api/sources`,
  `/api/sources/nana/template.csv`,
];
const ACTIONS = ['cancel', 'approve', 'reject', 'rollback'];

describe('every route needs a token; writes need an admin', () => {
  it('answers 401 without a token and with an unknown one, on every read and write', async () => {
    for (const path of [...GET_ROUTES(1), ...ACTIONS.map((a) => `/api/imports/1/${a}`)]) {
      const method = path.split('/').length === 5 && ACTIONS.includes(path.split('/')[4]) ? 'POST' : 'GET';
      for (const headers of [
        {},
        { authorization: 'Bearer not-a-real-token' },
        { authorization: 'Basic YWxpY2U6eA==' },
      ] as Record<string, string>[]) {
        const res = await fetch(`${stack.baseUrl}${path}`, { method, headers });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect((await res.json()).error.code).toBe('UNAUTHENTICATED');
      }
    }
    expect((await fetch(`${stack.baseUrl}/api/imports`, { method: 'POST' })).status).toBe(401);
  });

  it('answers 403 to a viewer on every write, and stages nothing', async () => {
    const res = await upload(stack, freshFile(), { token: stack.viewerToken });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    for (const a of ACTIONS) {
      const r = await post(stack, `/api/imports/1/${a}`, stack.viewerToken);
      expect(r.status, a).toBe(403);
      expect(r.body.error.code).toBe('FORBIDDEN');
    }
  });

  it('answers 404 NOT_FOUND for an import or a source that does not exist', async () => {
    for (const path of GET_ROUTES(MISSING).filter((p) => p.includes(String(MISSING)))) {
      const res = await getJson(stack, path, stack.viewerToken);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    }
    for (const a of ACTIONS) expect((await post(stack, `/api/imports/${MISSING}/${a}`)).status, a).toBe(404);
    expect((await getJson(stack, '/api/sources/nope/template.csv')).status).toBe(404);
  });

  it('answers 400 INVALID_REQUEST for bad options and bad ids', async () => {
    for (const fields of [{ testBatchSize: '0' }, { batchSize: '50001' }, { dryRun: 'maybe' }] as Record<
      string,
      string
    >[]) {
      const res = await upload(stack, freshFile(), { fields });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(res.body.error.code).toBe('INVALID_REQUEST');
    }
    expect((await getJson(stack, '/api/imports/-1')).status).toBe(400);
    expect((await post(stack, '/api/imports/abc/cancel')).status).toBe(400);
  });
});

describe('reads', () => {
  it('lists with pageSize up to 500 and refuses 501; filters by status and source', async () => {
    const ok = await upload(stack, freshFile(), { fields: { dryRun: 'true' } });
    await waitForImport(stack, ok.body.id);
    const page = await getJson(stack, '/api/imports?page=1&pageSize=500', stack.viewerToken);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ page: 1, pageSize: 500, total: expect.any(Number) });
    const over = await getJson(stack, '/api/imports?pageSize=501');
    expect(over.status).toBe(400);
    expect(over.body.error.code).toBe('INVALID_REQUEST');
    expect((await getJson(stack, '/api/imports/1/errors?pageSize=501')).status).toBe(400);
    const validated = await getJson(stack, '/api/imports?status=validated&source=nana');
    expect(validated.body.items.every((i: any) => i.status === 'validated' && i.source === 'nana')).toBe(true);
    expect(validated.body.items.map((i: any) => i.id)).toContain(ok.body.id);
    const beyond = await getJson(stack, `/api/imports?page=${validated.body.total + 1}&pageSize=1&status=validated`);
    expect(beyond.body.items).toEqual([]);
  });

  it('answers every read route for a viewer', async () => {
    const ok = await upload(stack, freshFile(), { fields: { dryRun: 'true' } });
    await waitForImport(stack, ok.body.id);
    for (const path of GET_ROUTES(ok.body.id)) {
      const res = await fetch(`${stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${stack.viewerToken}` } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('x-request-id')).toBeTruthy();
    }
  });

  it('answers /readyz with the database and Temporal both reachable', async () => {
    const res = await fetch(`${stack.baseUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, checks: { database: { ok: true }, temporal: { ok: true } } });
  });
});

describe('operator actions record who did what', () => {
  it('approve, then roll back: the audit names the admin and the time of each step', async () => {
    const res = await upload(stack, freshFile(4), { fields: { requireApproval: 'true', testBatchSize: '1' } });
    expect(res.status).toBe(202);
    const id = res.body.id;
    await waitForImport(stack, id, ['awaiting_approval']);
    expect((await post(stack, `/api/imports/${id}/approve`)).status).toBe(202);
    await waitForImport(stack, id, ['completed']);
    const rb = await post(stack, `/api/imports/${id}/rollback`);
    expect(rb.status).toBe(202);
    expect(rb.body).toMatchObject({ id, status: 'rolling_back', workflowId: expect.any(String) });
    await waitForImport(stack, id, ['rolled_back']);
    const { body } = await getJson(stack, `/api/imports/${id}`, stack.viewerToken);
    const actions = body.audit.map((e: any) => `${e.action}:${e.actor}`);
    expect(actions).toEqual(expect.arrayContaining(['uploaded:alice', 'approved:alice', 'rollback_requested:alice']));
    expect(body.audit.every((e: any) => !Number.isNaN(Date.parse(e.at)))).toBe(true);
  });

  it('reject and cancel answer 202 and are audited; a second reject is 409', async () => {
    const a = await upload(stack, freshFile(), { fields: { requireApproval: 'true', testBatchSize: '1' } });
    const b = await upload(stack, freshFile(), { fields: { requireApproval: 'true', testBatchSize: '1' } });
    await waitForImport(stack, a.body.id, ['awaiting_approval']);
    await waitForImport(stack, b.body.id, ['awaiting_approval']);
    expect((await post(stack, `/api/imports/${a.body.id}/reject`)).status).toBe(202);
    expect((await post(stack, `/api/imports/${b.body.id}/cancel`)).status).toBe(202);
    await waitForImport(stack, a.body.id);
    await waitForImport(stack, b.body.id);
    expect((await post(stack, `/api/imports/${a.body.id}/reject`)).status).toBe(409);
    const audit = async (id: number) =>
      (await getJson(stack, `/api/imports/${id}`)).body.audit.map((e: any) => `${e.action}:${e.actor}`);
    expect(await audit(a.body.id)).toContain('rejected:alice');
    expect(await audit(b.body.id)).toEqual(expect.arrayContaining(['cancel_requested:alice']));
  });
});
