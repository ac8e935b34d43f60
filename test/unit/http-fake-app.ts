import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import type pg from 'pg';
import { pino } from 'pino';
import { createApp, type AppDeps } from '../../src/http/app';
import type { WorkflowControl } from '../../src/imports/import-workflows';
import type { DedupeWorkflows } from '../../src/dedupe/dedupe-workflows';

export const ADMIN = 'admin-token-0123456789';
export const VIEWER = 'viewer-token-0123456789';

/** An empty database: every query finds nothing. Enough for routes that end in 404 or before a query. */
const emptyPool = { query: async () => ({ rows: [], rowCount: 0 }) } as unknown as pg.Pool;

export interface FakeApp {
  app: ReturnType<typeof createApp>;
  url: string;
  logLines: Record<string, unknown>[];
  close(): Promise<void>;
}

/** The real app over fakes (no database, no Temporal), listening on port 0, its log lines captured. */
export async function startFakeApp(overrides: Partial<AppDeps> = {}): Promise<FakeApp> {
  const logLines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  const app = createApp({
    pool: emptyPool,
    clock: { now: () => new Date() },
    tokens: [
      { name: 'alice', role: 'admin', token: ADMIN },
      { name: 'victor', role: 'viewer', token: VIEWER },
    ],
    logger: pino({ level: 'info' }, sink),
    maxUploadBytes: 1024,
    workflows: {} as WorkflowControl,
    dedupeWorkflows: {} as DedupeWorkflows,
    ready: async () => ({ ok: true, checks: { database: { ok: true }, temporal: { ok: true } } }),
    ...overrides,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    app,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    logLines,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  rawPath?: string | string[];
  handle: { stack?: Layer[] };
}

/** Every method and path the app answers, found by walking Express's router stack (static files aside). */
export function expressRoutes(app: { router: { stack: Layer[] } }): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of [layer.route.path].flat()) {
          for (const [method, on] of Object.entries(layer.route.methods))
            if (on && method !== '_all') found.push(`${method.toUpperCase()} ${join(prefix, path)}`);
        }
      } else if (layer.handle.stack) {
        const mount = [layer.rawPath ?? '/'].flat()[0];
        walk(layer.handle.stack, join(prefix, mount));
      }
    }
  };
  walk(app.router.stack, '');
  return [...new Set(found)].sort();
}

function join(prefix: string, path: string): string {
  const joined = `${prefix.replace(/\/$/, '')}${path === '/' ? '' : path}`;
  return joined === '' ? '/' : joined;
}
