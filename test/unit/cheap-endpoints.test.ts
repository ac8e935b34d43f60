import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN, startFakeApp, VIEWER, type FakeApp } from './http-fake-app';

const apps: FakeApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
});

async function app(overrides: Parameters<typeof startFakeApp>[0]) {
  const started = await startFakeApp(overrides);
  apps.push(started);
  return started;
}

describe('cheap endpoints stay cheap', () => {
  it('runs the readiness checks once for a burst of /readyz probes', async () => {
    let checks = 0;
    const fake = await app({ ready: async () => ((checks += 1), { ok: true, checks: {} }) });
    const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(`${fake.url}/readyz`)));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    expect(checks).toBe(1);
  });

  it('limits GET requests per caller (429 RATE_LIMITED), each caller on its own budget', async () => {
    const fake = await app({ rateLimits: { readsPerMinute: 2 } });
    const get = (token: string) => fetch(`${fake.url}/api/sources`, { headers: { authorization: `Bearer ${token}` } });
    expect([(await get(VIEWER)).status, (await get(VIEWER)).status]).toEqual([200, 200]);
    const third = await get(VIEWER);
    expect([third.status, ((await third.json()) as any).error.code]).toEqual([429, 'RATE_LIMITED']);
    expect((await get(ADMIN)).status, 'another caller').toBe(200);
  });

  it('marks every authenticated answer no-store', async () => {
    const fake = await app({});
    const res = await fetch(`${fake.url}/api/sources`, { headers: { authorization: `Bearer ${VIEWER}` } });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
