import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request } from 'node:http';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNanaFile } from '../../support/http';
import { startStack, type Stack } from '../../support/stack';
import { multipartBody } from '../api-support';
import { startApiProcess, stopProcess } from './support';

// UPLOAD_TIMEOUT_SECONDS bounds how long a request may take to arrive. Node's own default (300 s)
// cut off large uploads on slow links; Ferry's is an hour. Here the api runs with 3 s so that both
// sides of the limit show in seconds.
let stack: Stack;
let api: { child: ChildProcess; asStack: Stack };
const uploadDir = mkdtempSync(path.join(os.tmpdir(), 'ferry-slow-uploads-'));
beforeAll(async () => {
  stack = await startStack();
  api = await startApiProcess(stack, { env: { UPLOAD_TIMEOUT_SECONDS: '3', UPLOAD_DIR: uploadDir } });
});
afterAll(async () => {
  await stopProcess(api?.child, 'SIGTERM');
  await stack?.close();
});

/** Sends an upload in `pieces` equal parts, one every `everyMs`; resolves with the answer, or with the error if the api cut it. */
function trickle(body: Buffer, boundary: string, pieces: number, everyMs: number) {
  const url = new URL(`${api.asStack.baseUrl}/api/imports`);
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string } | { error: string }>(
    (resolve) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            authorization: `Bearer ${api.asStack.adminToken}`,
            'content-type': `multipart/form-data; boundary=${boundary}`,
            'content-length': body.length,
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
        },
      );
      req.on('error', (err) => resolve({ error: err.message }));
      const size = Math.ceil(body.length / pieces);
      let i = 0;
      const next = () => {
        if (req.destroyed) return;
        const piece = body.subarray(i * size, (i + 1) * size);
        i++;
        if (i >= pieces) return void req.end(piece);
        req.write(piece);
        setTimeout(next, everyMs);
      };
      next();
    },
  );
}

const count = async (sql: string) => (await stack.pool.query(sql)).rows[0].n as number;

describe('an upload slower than UPLOAD_TIMEOUT_SECONDS', () => {
  it('is answered 408 and cut; nothing is staged and its temp file is gone, while one within the limit is taken', async () => {
    const before = await count(`SELECT count(*)::int AS n FROM imports`);
    const slow = multipartBody(
      [
        { name: 'source', content: 'nana' },
        { name: 'file', filename: 'slow.csv', content: freshNanaFile(50) },
      ],
      'slow',
    );
    const cut = await trickle(slow, 'slow', 12, 500);
    // Node answers 408 and closes; a client still writing may see the reset first.
    if ('status' in cut) expect(cut.status).toBe(408);
    else expect(cut.error).toMatch(/ECONNRESET|EPIPE|socket hang up/);
    expect(await count(`SELECT count(*)::int AS n FROM imports`), 'nothing staged').toBe(before);
    // The api keeps its uploads in a private folder of its own (mkdtemp, 0700) under UPLOAD_DIR.
    const [own] = readdirSync(uploadDir);
    expect(statSync(path.join(uploadDir, own)).mode & 0o777, 'closed to other users').toBe(0o700);
    for (let i = 0; readdirSync(path.join(uploadDir, own)).length > 0 && i < 40; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(path.join(uploadDir, own)), 'the partial temp file removed').toEqual([]);

    const steady = multipartBody(
      [
        { name: 'source', content: 'nana' },
        { name: 'file', filename: 'steady.csv', content: freshNanaFile(50) },
      ],
      'steady',
    );
    const taken = await trickle(steady, 'steady', 4, 300);
    expect('status' in taken && taken.status).toBe(202);
    // Idle connections stay open longer than a load balancer's 60 s, so it never reuses one the api is closing.
    expect('headers' in taken && taken.headers['keep-alive']).toBe('timeout=65');
  });
});
