import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startFakeApp, VIEWER, type FakeApp } from './http-fake-app';

const BOB = 'bob-admin-token-0123456789';
let fake: FakeApp;
const uploadDir = mkdtempSync(path.join(os.tmpdir(), 'ferry-unit-uploads-'));
beforeAll(async () => {
  fake = await startFakeApp({
    rateLimits: { uploadsPerMinute: 2, actionsPerMinute: 3 },
    uploadDir,
    tokens: [
      { name: 'alice', role: 'admin', token: ADMIN },
      { name: 'victor', role: 'viewer', token: VIEWER },
      { name: 'bob', role: 'admin', token: BOB },
    ],
  });
});
afterAll(async () => {
  await fake?.close();
  rmSync(uploadDir, { recursive: true, force: true });
});

const call = (p: string, init: RequestInit & { token?: string } = {}) =>
  fetch(`${fake.url}${p}`, {
    ...init,
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.headers as Record<string, string>),
    },
  });

describe('request ids', () => {
  it('echoes a sane client id and puts it in every log line of the request', async () => {
    const res = await call('/api/imports/7', { token: ADMIN, headers: { 'x-request-id': 'trace-abc.123' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('trace-abc.123');
    const lines = fake.logLines.filter((l) => l.requestId === 'trace-abc.123');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some((l) => (l.res as { statusCode: number })?.statusCode === 404)).toBe(true);
  });

  it('replaces an id that is too long or carries odd characters, and never logs the token', async () => {
    for (const given of ['x'.repeat(200), 'a b', 'caf\u00e9', 'id;drop', '<script>']) {
      const res = await call('/healthz', { headers: { 'x-request-id': given } });
      const id = res.headers.get('x-request-id')!;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const none = await call('/healthz');
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(fake.logLines)).not.toContain(ADMIN);
  });
});

describe('security headers', () => {
  it('sets helmet headers on api answers and errors alike', async () => {
    for (const res of [await call('/healthz'), await call('/api/imports')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('strict-transport-security')).toContain('max-age=');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });
});

describe('one error shape', () => {
  it('tells 401 (no or unknown token) from 403 (viewer writing)', async () => {
    const missing = await call('/api/imports');
    expect(missing.status).toBe(401);
    expect((await missing.json()).error.code).toBe('UNAUTHENTICATED');
    const wrong = await call('/api/imports', { token: 'not-a-token-at-all' });
    expect(wrong.status).toBe(401);
    const viewer = await call('/api/imports/1/cancel', { method: 'POST', token: VIEWER });
    expect(viewer.status).toBe(403);
    expect(await viewer.json()).toEqual({ error: { code: 'FORBIDDEN', message: expect.any(String) } });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await call('/nowhere', { token: ADMIN });
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatchObject({ code: 'NOT_FOUND' });
    const api = await call('/api/nowhere', { token: ADMIN });
    expect(api.status).toBe(404);
    expect((await api.json()).error.code).toBe('NOT_FOUND');
  });

  it('answers a malformed JSON body with 400 INVALID_JSON', async () => {
    const res = await call('/api/imports/1/cancel', {
      method: 'POST',
      token: ADMIN,
      headers: { 'content-type': 'application/json' },
      body: '{"reason": ',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('INVALID_JSON');
  });

  it('bounds pagination: page and pageSize outside 1..500 are 400 INVALID_REQUEST', async () => {
    for (const q of ['pageSize=501', 'pageSize=0', 'page=0', 'page=abc', 'pageSize=1e9']) {
      const res = await call(`/api/imports?${q}`, { token: VIEWER });
      expect(res.status, q).toBe(400);
      const body = await res.json();
      expect(body.error.code).toBe('INVALID_REQUEST');
    }
  });

  it('answers an id that is not a positive integer with 400', async () => {
    const res = await call('/api/imports/abc', { token: VIEWER });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('INVALID_REQUEST');
  });

  it('answers multipart without a boundary, or with a broken body, with 400 MALFORMED_MULTIPART and leaves no temp file', async () => {
    const noBoundary = await call('/api/imports', {
      method: 'POST',
      token: BOB,
      headers: { 'content-type': 'multipart/form-data' },
      body: 'x',
    });
    expect(noBoundary.status).toBe(400);
    expect((await noBoundary.json()).error.code).toBe('MALFORMED_MULTIPART');
  });
});

describe('rate limits', () => {
  it('refuses operator actions past the limit with 429 RATE_LIMITED, per caller', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await call('/api/imports/9/cancel', { method: 'POST', token: ADMIN })).status);
    expect(statuses).toEqual([404, 404, 404, 429]);
    const limited = await call('/api/imports/9/rollback', { method: 'POST', token: ADMIN });
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.code).toBe('RATE_LIMITED');
    expect(limited.headers.get('ratelimit-policy') ?? limited.headers.get('ratelimit')).toBeTruthy();
    // Another admin has a budget of their own; reads are never limited.
    expect((await call('/api/imports/9/cancel', { method: 'POST', token: BOB })).status).toBe(404);
    expect((await call('/api/imports/9', { token: ADMIN })).status).toBe(404);
  });

  it('refuses uploads past the limit', async () => {
    const send = () =>
      call('/api/imports', { method: 'POST', token: ADMIN, headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect((await send()).status).toBe(400);
    expect((await send()).status).toBe(400);
    const third = await send();
    expect(third.status).toBe(429);
    expect((await third.json()).error.code).toBe('RATE_LIMITED');
    expect(readdirSync(uploadDir)).toEqual([]);
  });
});

describe('probes', () => {
  it('answers /readyz 503 naming the dependency that does not answer', async () => {
    const down = await startFakeApp({
      ready: async () => ({
        ok: false,
        checks: { database: { ok: true }, temporal: { ok: false, error: 'UNAVAILABLE' } },
      }),
    });
    try {
      const res = await fetch(`${down.url}/readyz`);
      expect(res.status).toBe(503);
      expect((await res.json()).checks.temporal).toEqual({ ok: false, error: 'UNAVAILABLE' });
      expect((await fetch(`${down.url}/healthz`)).status).toBe(200);
    } finally {
      await down.close();
    }
  });
});
