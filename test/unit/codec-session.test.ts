import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCodecKeys } from '../../src/codec-keys';
import { ADMIN, startFakeApp, VIEWER, type FakeApp } from './http-fake-app';

const UI = 'http://127.0.0.1:8233';
const HOUR = 60 * 60 * 1000;
let now = Date.parse('2026-03-01T08:00:00Z');
const clock = { now: () => new Date(now) };
const codecKeys = parseCodecKeys(`k1:${randomBytes(32).toString('base64')}`);
const plain = {
  metadata: { encoding: Buffer.from('json/plain').toString('base64') },
  data: Buffer.from('{"importId":7}').toString('base64'),
};

let fake: FakeApp;
beforeAll(async () => {
  fake = await startFakeApp({ clock, codecKeys, codecCorsOrigins: [UI] });
});
afterAll(async () => fake?.close());

async function signIn(token = VIEWER, app = fake) {
  const res = await fetch(`${app.url}/codec/session`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: res.status, setCookie: res.headers.get('set-cookie') ?? '' };
}
const cookieOf = (setCookie: string) => setCookie.split(';')[0];

function decode(headers: Record<string, string>, app = fake) {
  return fetch(`${app.url}/codec/decode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
    body: JSON.stringify({ payloads: [plain] }),
  });
}

describe('the codec session cookie', () => {
  it('is set only for a valid token, HttpOnly, SameSite=Strict, scoped to /codec, for 8 hours, and holds no token', async () => {
    expect((await signIn('not-a-real-token')).status).toBe(401);
    const noToken = await fetch(`${fake.url}/codec/session`, { method: 'POST' });
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('set-cookie')).toBeNull();
    const { status, setCookie } = await signIn(VIEWER);
    expect(status).toBe(204);
    const attributes = setCookie.split(';').map((s) => s.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['path=/codec', 'httponly', 'samesite=strict', 'max-age=28800']));
    // No PUBLIC_URL and plain http: a Secure cookie would be dropped (see the next test).
    expect(attributes).not.toContain('secure');
    expect(setCookie).toMatch(/^ferry_codec_session=v2\.\d+\.[A-Za-z0-9_-]{43};/);
    expect(setCookie).not.toContain(VIEWER);
  });

  it('is not made Secure by a Host header, which the client writes; PUBLIC_URL on https makes it Secure', async () => {
    const viaHost = (app: FakeApp) =>
      new Promise<string>((resolve, reject) => {
        const { port } = new URL(app.url);
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: '/codec/session',
            method: 'POST',
            headers: { host: 'ferry.crm.example', authorization: `Bearer ${ADMIN}` },
          },
          (res) => {
            res.resume();
            resolve(String(res.headers['set-cookie'] ?? ''));
          },
        );
        req.on('error', reject).end();
      });
    expect((await viaHost(fake)).toLowerCase()).not.toContain('; secure');
    const behindTls = await startFakeApp({
      clock,
      codecKeys,
      codecCorsOrigins: [UI],
      publicUrl: 'https://ferry.crm.example',
    });
    try {
      expect((await viaHost(behindTls)).toLowerCase()).toContain('; secure');
      expect((await signIn(VIEWER, behindTls)).setCookie.toLowerCase()).toContain('; secure');
    } finally {
      await behindTls.close();
    }
  });

  it('encodes for an admin only: a viewer may decode, never forge a payload', async () => {
    const call = (token: string) =>
      fetch(`${fake.url}/codec/encode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ payloads: [plain] }),
      });
    const viewer = await call(VIEWER);
    expect([viewer.status, ((await viewer.json()) as any).error.code]).toEqual([403, 'FORBIDDEN']);
    const admin = await call(ADMIN);
    expect(admin.status).toBe(200);
    expect(admin.headers.get('cache-control')).toBe('no-store');
  });

  it('decodes for a request from the Temporal UI origin, and from no other origin or without one', async () => {
    const cookie = cookieOf((await signIn(VIEWER)).setCookie);
    const ok = await decode({ cookie, origin: UI, 'sec-fetch-site': 'same-site' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(UI);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(((await ok.json()) as any).payloads).toEqual([plain]);
    // Another port of the same host is the same site: the browser sends the cookie, Ferry refuses it.
    expect((await decode({ cookie, origin: 'http://127.0.0.1:9999' })).status).toBe(401);
    expect((await decode({ cookie, origin: fake.url })).status).toBe(401);
    expect((await decode({ cookie })).status).toBe(401);
    expect((await decode({ cookie, origin: UI, 'sec-fetch-site': 'cross-site' })).status).toBe(401);
    expect((await decode({ origin: UI })).status).toBe(401);
  });

  it('opens nothing but the codec: not the api, and it is no bearer token', async () => {
    const cookie = cookieOf((await signIn(ADMIN)).setCookie);
    const api = await fetch(`${fake.url}/api/imports`, { headers: { cookie, origin: UI } });
    expect(api.status).toBe(401);
    const value = cookie.split('=')[1];
    expect((await decode({ authorization: `Bearer ${value}` })).status).toBe(401);
    expect((await fetch(`${fake.url}/codec/session`, { method: 'POST', headers: { cookie, origin: UI } })).status).toBe(
      401,
    );
    // A bearer header wins over the cookie: a wrong token is refused even with a good cookie.
    expect((await decode({ cookie, origin: UI, authorization: 'Bearer not-a-real-token' })).status).toBe(401);
  });

  it('expires after 8 hours, and refuses a tampered value', async () => {
    const cookie = cookieOf((await signIn(VIEWER)).setCookie);
    const [, exp, mac] = cookie.split('=')[1].split('.');
    const later = `ferry_codec_session=v1.${Number(exp) + 3600}.${mac}`;
    expect((await decode({ cookie: later, origin: UI })).status).toBe(401);
    const flipped = `ferry_codec_session=v1.${exp}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    expect((await decode({ cookie: flipped, origin: UI })).status).toBe(401);
    now += 8 * HOUR - 60_000;
    expect((await decode({ cookie, origin: UI })).status).toBe(200);
    now += 2 * 60_000;
    const expired = await decode({ cookie, origin: UI });
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as any).error.message).toContain('sign in');
  });

  it('dies with its token: an api without that token refuses the cookie', async () => {
    const cookie = cookieOf((await signIn(VIEWER)).setCookie);
    const other = await startFakeApp({
      clock,
      codecKeys,
      codecCorsOrigins: [UI],
      tokens: [{ name: 'alice', role: 'admin', token: ADMIN }],
    });
    try {
      expect((await decode({ cookie, origin: UI }, other)).status).toBe(401);
      expect((await decode({ cookie, origin: UI })).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('is cleared by signing out, and never set when no codec key is configured', async () => {
    const out = await fetch(`${fake.url}/codec/session`, { method: 'DELETE' });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^ferry_codec_session=;.*Path=\/codec;.*Expires=Thu, 01 Jan 1970/);
    const bare = await startFakeApp({ codecCorsOrigins: [UI] });
    try {
      const res = await signIn(ADMIN, bare);
      expect(res.status).toBe(404);
      expect(res.setCookie).toBe('');
    } finally {
      await bare.close();
    }
  });
});
