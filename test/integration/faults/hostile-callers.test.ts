import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NANA_COLUMNS } from '../../support/generate-nana';
import { freshNanaFile, upload } from '../../support/http';
import { startStack, type Stack } from '../../support/stack';
import { startApiProcess, stopProcess } from './support';

// Strangers and hostile files against a real api process: weak tokens refused at start, guessed
// tokens throttled per address before any other work, and files refused by their records' bounds
// before the parser allocates, while the process lives and answers everyone else.
const MAX_RECORDS = 50;
const METRICS_TOKEN = randomBytes(32).toString('base64url');
const FAILURES_PER_MINUTE = 5;
let stack: Stack;
let api: { child: ChildProcess; asStack: Stack };
const lines: string[] = [];

beforeAll(async () => {
  stack = await startStack({ worker: false });
  api = await startApiProcess(stack, {
    env: {
      MAX_RECORDS: String(MAX_RECORDS),
      AUTH_FAILURES_PER_MINUTE: String(FAILURES_PER_MINUTE),
      MAX_CONCURRENT_UPLOADS: '1',
      METRICS_TOKEN,
      LOG_LEVEL: 'warn',
    },
    logLevel: 'warn',
    onLine: (line) => lines.push(line),
  });
});
afterAll(async () => {
  await stopProcess(api?.child, 'SIGTERM');
  await stack?.close();
});

const importCount = async () => (await stack.pool.query(`SELECT count(*)::int AS n FROM imports`)).rows[0].n as number;
const header = NANA_COLUMNS.join(',');

describe('tokens', () => {
  it.each([
    ['ops:admin:password'],
    ['ops:admin:0123456789abcdef'],
    ['ops:admin:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
  ])('refuses to start with %s and says how to make a token', async (entry) => {
    const said: string[] = [];
    await expect(
      startApiProcess(stack, { env: { AUTH_TOKENS: entry }, onLine: (line) => said.push(line) }),
    ).rejects.toThrow(/exited \(1\)/);
    const output = said.join('\n');
    expect(output).toMatch(/under 128 bits of randomness/);
    expect(output).toMatch(/openssl rand -base64 32/);
    expect(output, 'the weak token is not echoed').not.toContain(entry.split(':')[2]);
  });

  it('refuses callers that present no credentials with 401 without counting them towards the throttle', async () => {
    // A page that polls before anyone signs in (the Temporal UI's codec calls) is no guess at a token.
    const base = api.asStack.baseUrl.replace('127.0.0.1', '[::1]');
    const statuses: number[] = [];
    for (let i = 0; i < FAILURES_PER_MINUTE + 3; i++) statuses.push((await fetch(`${base}/api/imports`)).status);
    expect(statuses).toEqual(Array(FAILURES_PER_MINUTE + 3).fill(401));
    expect(
      (await fetch(`${base}/api/imports`, { headers: { authorization: `Bearer ${api.asStack.adminToken}` } })).status,
    ).toBe(200);
  });

  it('throttles failed authentications per address with 429 and Retry-After, before the token is looked at; others are answered', async () => {
    const wrong = `wrong-${'x'.repeat(30)}-secret-guess`;
    const logged = lines.length;
    const statuses: number[] = [];
    for (let i = 0; i < FAILURES_PER_MINUTE + 3; i++) {
      const res = await fetch(`${api.asStack.baseUrl}/api/imports`, { headers: { authorization: `Bearer ${wrong}` } });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([...Array(FAILURES_PER_MINUTE).fill(401), 429, 429, 429]);
    const blocked = await fetch(`${api.asStack.baseUrl}/api/imports`, {
      headers: { authorization: `Bearer ${api.asStack.adminToken}` },
    });
    expect(blocked.status, 'even the right token waits: the address is throttled first').toBe(429);
    expect((await blocked.json()).error.code).toBe('AUTH_THROTTLED');
    // Another client address (IPv6 loopback) is answered meanwhile.
    const other = await fetch(api.asStack.baseUrl.replace('127.0.0.1', '[::1]') + '/api/imports', {
      headers: { authorization: `Bearer ${api.asStack.adminToken}` },
    });
    expect(other.status).toBe(200);
    const failures = lines.slice(logged).filter((l) => l.includes('authentication failed'));
    expect(failures.length).toBe(FAILURES_PER_MINUTE);
    expect(failures.join('\n'), 'logged with the address, never the token').not.toContain(wrong);
    expect(failures[0]).toMatch(/127\.0\.0\.1/);
  });
});

describe('bounded parsing', () => {
  const ipv6 = () => ({ ...api.asStack, baseUrl: api.asStack.baseUrl.replace('127.0.0.1', '[::1]') });

  it('refuses a 30 MB line of commas by its columns before the parser builds it; the api lives and answers meanwhile', async () => {
    const before = await importCount();
    const commas = Buffer.concat([Buffer.from(`${header}\n`), Buffer.alloc(30 * 1024 * 1024, ',')]);
    const refused = upload(ipv6(), commas, { fileName: 'commas.csv' });
    expect((await fetch(`${ipv6().baseUrl}/healthz`)).status, 'answered meanwhile').toBe(200);
    const res = await refused;
    expect([res.status, res.body.error?.code]).toEqual([422, 'TOO_MANY_COLUMNS']);
    expect(res.body.error.message).toMatch(/^commas\.csv: line 2 has more than 600 columns/);
    expect(await importCount(), 'no import recorded').toBe(before);
    expect(api.child.exitCode, 'the api process is up').toBeNull();
  });

  it('refuses a record larger than 1 MiB counted in bytes with its quotes, naming its line', async () => {
    const before = await importCount();
    const quoted = `${header}\n"${'a\n'.repeat(700_000)}",W1,F,Somsri,Jaidee,,,0812345678,,\n`;
    const res = await upload(ipv6(), quoted, { fileName: 'long.csv' });
    expect([res.status, res.body.error?.code]).toEqual([422, 'RECORD_TOO_LARGE']);
    expect(res.body.error.message).toMatch(/^long\.csv: the record on line 2 is larger than 1048576 bytes/);
    expect(await importCount()).toBe(before);
  });

  it(`refuses a file of more than MAX_RECORDS (${MAX_RECORDS}) records with 413, nothing staged`, async () => {
    const before = await importCount();
    const res = await upload(ipv6(), freshNanaFile(MAX_RECORDS + 1), { fileName: 'many.csv' });
    expect([res.status, res.body.error?.code]).toEqual([413, 'TOO_MANY_RECORDS']);
    expect(res.body.error.message).toMatch(/^many\.csv: the file has more than 50 records \(MAX_RECORDS\)/);
    expect(await importCount()).toBe(before);
    const { rows } = await stack.pool.query(`SELECT count(*)::int AS n FROM import_rows`);
    expect(rows[0].n, 'nothing staged').toBe(0);
    expect(
      (await upload(ipv6(), freshNanaFile(MAX_RECORDS), { fileName: 'enough.csv', fields: { dryRun: 'true' } })).status,
    ).toBe(202);
  });
});

describe('cheap endpoints stay cheap', () => {
  it('answers /metrics only with METRICS_TOKEN, and no-store', async () => {
    const base = api.asStack.baseUrl.replace('127.0.0.1', '[::1]');
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const ok = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(await ok.text()).toContain('# TYPE ferry_imports gauge');
  });

  it('answers 429 UPLOADS_BUSY while MAX_CONCURRENT_UPLOADS (1) uploads are in flight, then takes the next', async () => {
    const url = new URL(`${api.asStack.baseUrl.replace('127.0.0.1', '[::1]')}/api/imports`);
    // An upload whose body is held open: it keeps its slot until it ends.
    const held = request({
      host: '::1',
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: {
        authorization: `Bearer ${api.asStack.adminToken}`,
        'content-type': 'multipart/form-data; boundary=held',
        'content-length': 100_000,
      },
    });
    held.on('error', () => {});
    held.write('--held\r\n');
    await new Promise((r) => setTimeout(r, 300));
    const busy = await upload({ ...api.asStack, baseUrl: `http://[::1]:${url.port}` }, freshNanaFile(2), {
      fileName: 'busy.csv',
    });
    expect([busy.status, busy.body.error?.code]).toEqual([429, 'UPLOADS_BUSY']);
    held.destroy();
    await new Promise((r) => setTimeout(r, 300));
    const next = await upload({ ...api.asStack, baseUrl: `http://[::1]:${url.port}` }, freshNanaFile(2), {
      fileName: 'next.csv',
      fields: { dryRun: 'true' },
    });
    expect(next.status).toBe(202);
  });
});
