import { describe, expect, it } from 'vitest';
import { ApiError, ApiUnreachableError, type UploadAnswer, type UploadInput } from '../../src/cli/api-client';
import { UPLOAD_RETRY_DELAYS_MS, uploadWithRetries } from '../../src/cli/upload-retry';

const input: UploadInput = { file: 'f.csv', source: 'nana', dryRun: false, requireApproval: false };
const accepted = { id: 7, status: 'queued', workflowId: 'import-7', total: 3 } as unknown as UploadAnswer;
const unreachable = () => new ApiUnreachableError('http://127.0.0.1:3000', { cause: new Error('ECONNREFUSED') });

/** Answers each attempt from a script (an Error step is thrown) and records the key it was sent. */
async function run(steps: (UploadAnswer | Error)[]) {
  const keys: (string | undefined)[] = [];
  const slept: number[] = [];
  let out = '';
  const client = {
    upload: async (_: UploadInput, key?: string) => {
      const step = steps[Math.min(keys.push(key) - 1, steps.length - 1)];
      if (step instanceof Error) throw step;
      return step;
    },
  };
  const result = uploadWithRetries(
    { client, stderr: { write: (t) => void (out += t), isTTY: false }, sleep: async (ms) => void slept.push(ms) },
    input,
  ).then(
    (answer): { answer?: UploadAnswer; error?: unknown } => ({ answer }),
    (error: unknown): { answer?: UploadAnswer; error?: unknown } => ({ error }),
  );
  return { ...(await result), keys, slept, out };
}

describe('ferry import: sending the upload again', () => {
  it('retries while nothing answers, with one idempotency key on every attempt', async () => {
    const r = await run([
      unreachable(),
      new ApiError(502, 'BAD_GATEWAY', 'bad gateway', 'POST /api/imports'),
      accepted,
    ]);
    expect(r.answer).toBe(accepted);
    expect(r.keys).toHaveLength(3);
    expect(new Set(r.keys).size).toBe(1);
    expect(r.keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.slept).toEqual(UPLOAD_RETRY_DELAYS_MS.slice(0, 2));
    expect(r.out).toContain('sending the upload again in 1 s (1/6)');
  });

  it("stops at Ferry's own answer: a refused file or a workflow that did not start is not sent again", async () => {
    for (const status of [422, 503, 500]) {
      const refusal = new ApiError(status, 'X', 'refused', 'POST /api/imports');
      const r = await run([refusal, accepted]);
      expect(r, String(status)).toMatchObject({ error: refusal, keys: [expect.any(String)], slept: [] });
    }
  });

  it('gives up after about 45 s of an api that never answers', async () => {
    const r = await run([unreachable()]);
    expect(r.error).toBeInstanceOf(ApiUnreachableError);
    expect(r.keys).toHaveLength(UPLOAD_RETRY_DELAYS_MS.length + 1);
    expect(r.slept.reduce((a, b) => a + b, 0)).toBe(45_000);
  });
});
