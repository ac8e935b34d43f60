import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTemporalCli } from '../../src/temporal/dev-server';
import { importFile, nanaCsv } from '../support/http';
import { runHistories, SENTINEL_PEOPLE, SENTINEL_VALUES } from '../support/sentinel-pii';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ workflowDefaults: { maxBatchesPerRun: 1 } });
});
afterAll(async () => stack?.close());

// Three of the sentinel people: two imported, one rejected.
const people = SENTINEL_PEOPLE.slice(0, 3);

type RawPayload = { metadata?: Record<string, Uint8Array>; data?: Uint8Array };
const isPayload = (v: unknown): v is RawPayload =>
  !!v && typeof v === 'object' && 'metadata' in v && (v as RawPayload).metadata?.encoding instanceof Uint8Array;

/** The raw history of every run, as the server stores it (what `temporal workflow show -o json` exports). */
async function rawHistories(workflowId: string): Promise<unknown[]> {
  return (await runHistories(stack.client, workflowId)).map((r) => r.history);
}

const exportText = (v: unknown) =>
  JSON.stringify(v, (_k, x) =>
    x instanceof Uint8Array ? Buffer.from(x).toString('utf8') + Buffer.from(x).toString('latin1') : x,
  );

/** Every payload but search attributes (plain by design: the server indexes them). */
function payloadsIn(v: unknown, out: RawPayload[] = [], where = ''): RawPayload[] {
  if (isPayload(v)) out.push(Object.assign(v, { where }));
  else if (Array.isArray(v)) v.forEach((x, i) => payloadsIn(x, out, `${where}[${i}]`));
  else if (v && typeof v === 'object' && !(v instanceof Uint8Array)) {
    // Search attributes are plain by design; a patch marker's data is the patch id, written by the SDK's core outside the codec.
    for (const [k, x] of Object.entries(v))
      if (k !== 'searchAttributes' && k !== 'upsertWorkflowSearchAttributesEventAttributes' && k !== 'patch-data')
        payloadsIn(x, out, `${where}.${k}`);
  }
  return out;
}

const toJson = (p: RawPayload) => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

async function codecCall(
  op: 'encode' | 'decode',
  payloads: unknown[],
  headers: Record<string, string> = { authorization: `Bearer ${stack.viewerToken}` },
) {
  const res = await fetch(`${stack.baseUrl}/codec/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
    body: JSON.stringify({ payloads }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

const decodedText = (payloads: { data: string }[]) =>
  payloads.map((p) => Buffer.from(p.data, 'base64').toString('utf8')).join('\n');

describe('payload codec on a real import', () => {
  it('keeps every sentinel out of the raw history, and the codec endpoint makes it readable', async () => {
    const done = await importFile(stack, nanaCsv(people), {
      fileName: 'sentinel-export.csv',
      fields: { batchSize: '1', testBatchSize: '1' },
    });
    expect(done.status).toBe('completed');
    // The status is final before the last run's notification step: wait for the run to close, so
    // both exports below read the same history (one appended event apart, they did not match).
    await stack.client.workflow.getHandle(done.workflowId).result();
    const histories = await rawHistories(done.workflowId);
    expect(histories.length).toBeGreaterThan(1);
    const raw = exportText(histories);
    for (const value of SENTINEL_VALUES) expect(raw, `raw history contains ${value}`).not.toContain(value);

    // Every payload in the history is ciphertext under the test key: inputs, results, memo, heartbeats.
    const payloads = histories.flatMap((h) => payloadsIn(h));
    expect(payloads.length).toBeGreaterThan(10);
    for (const p of payloads)
      expect(Buffer.from(p.metadata!.encoding!).toString(), (p as { where?: string }).where).toBe('binary/encrypted');
    expect(raw).not.toContain('sentinel-export.csv'); // the memo's file name
    expect(raw).not.toContain(`"importId":${done.id}`);

    // Through the codec endpoint (as the Temporal UI calls it), with a viewer token.
    const started = (histories[0] as any).events[0].workflowExecutionStartedEventAttributes;
    const res = await codecCall('decode', started.input.payloads.map(toJson));
    expect(res.status).toBe(200);
    const input = JSON.parse(decodedText(res.body.payloads));
    expect(input).toMatchObject({ importId: done.id });
    // Search attributes stay plain (the server filters on them): a source name and a status only.
    expect(
      exportText(
        histories.map((h: any) =>
          h.events.map(
            (e: any) =>
              e.upsertWorkflowSearchAttributesEventAttributes ??
              e.workflowExecutionStartedEventAttributes?.searchAttributes ??
              null,
          ),
        ),
      ),
    ).not.toMatch(/SENTINEL|0899/);
    const all = await codecCall('decode', payloads.map(toJson));
    expect(all.status).toBe(200);
    expect(
      all.body.payloads.every((p: any) => Buffer.from(p.metadata.encoding, 'base64').toString() !== 'binary/encrypted'),
    ).toBe(true);
    const readable = decodedText(all.body.payloads);
    expect(readable).toContain(`"importId":${done.id}`);
    expect(readable).toContain('sentinel-export.csv');
    // Decoded, the history still holds ids and counts only.
    for (const value of SENTINEL_VALUES) expect(readable).not.toContain(value);

    // The CLI's history export: ciphertext without the codec, readable through it with a token.
    const show = (...extra: string[]) =>
      promisify(execFile)(
        cli,
        [
          'workflow',
          'show',
          '--address',
          stack.temporalAddress,
          '-w',
          done.workflowId,
          '-r',
          (histories[0] as any).events[0].workflowExecutionStartedEventAttributes.originalExecutionRunId,
          '-o',
          'json',
          ...extra,
        ],
        { maxBuffer: 64 << 20 },
      );
    const cli = await ensureTemporalCli();
    // `-o json` prints each payload's metadata and data in base64: read them back.
    const exportedPayloads = (json: string) => {
      const found: { encoding: string; data: string }[] = [];
      const walk = (v: any) => {
        if (!v || typeof v !== 'object') return;
        if (typeof v.metadata?.encoding === 'string')
          found.push({
            encoding: Buffer.from(v.metadata.encoding, 'base64').toString(),
            data: Buffer.from(v.data ?? '', 'base64').toString('utf8'),
          });
        // Search attributes stay plain: the server indexes them (checked above: no personal data).
        for (const [k, x] of Object.entries(v)) if (k !== 'searchAttributes') walk(x);
      };
      walk(JSON.parse(json));
      return found;
    };
    const plainExport = (await show()).stdout;
    const sealed = exportedPayloads(plainExport);
    expect(sealed.length).toBeGreaterThan(3);
    expect(new Set(sealed.map((p) => p.encoding))).toEqual(new Set(['binary/encrypted']));
    for (const value of SENTINEL_VALUES)
      expect(sealed.map((p) => p.data).join('\n') + plainExport).not.toContain(value);
    const decodedExport = (
      await show('--codec-endpoint', `${stack.baseUrl}/codec`, '--codec-auth', `Bearer ${stack.viewerToken}`)
    ).stdout;
    const opened = exportedPayloads(decodedExport);
    expect(opened.length).toBe(sealed.length);
    expect(opened.some((p) => p.encoding === 'binary/encrypted')).toBe(false);
    const openedText = opened.map((p) => p.data).join('\n');
    expect(openedText).toContain(`"importId":${done.id}`);
    for (const value of SENTINEL_VALUES) expect(openedText).not.toContain(value);
  });

  it('encrypts failure messages: ciphertext in history, readable through the codec', async () => {
    await stack.pool.query(
      `CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE check_violation USING MESSAGE = 'boom for ' || NEW.first_name; END $$`,
    );
    await stack.pool.query(
      `CREATE TRIGGER boom BEFORE INSERT ON customers FOR EACH ROW WHEN (NEW.last_name = 'Sentinelboom') EXECUTE FUNCTION boom()`,
    );
    try {
      const done = await importFile(
        stack,
        nanaCsv([
          { nana_cus_id: 'SENTINEL-NANA-9', firstname: 'Zebedee', lastname: 'Sentinelboom', phone: '0899999999' },
        ]),
      );
      expect(done.status).toBe('rolled_back');
      expect(done.failure.code).toBe('SQL_23514');
      const histories = await rawHistories(done.workflowId);
      const failures: any[] = [];
      const walk = (v: any) => {
        if (!v || typeof v !== 'object' || v instanceof Uint8Array) return;
        if ('applicationFailureInfo' in v && v.applicationFailureInfo) failures.push(v);
        Object.values(v).forEach(walk);
      };
      walk(histories);
      expect(failures.length).toBeGreaterThan(0);
      const raw = exportText(histories);
      // The type (an error code) stays readable for retry decisions; the message does not.
      expect(raw).toContain('SQL_23514');
      expect(raw).not.toContain('SQLSTATE 23514');
      for (const value of ['Zebedee', 'Sentinelboom', 'SENTINEL-NANA', '0899999999']) expect(raw).not.toContain(value);
      const failure = failures.find((f) => f.applicationFailureInfo.type === 'SQL_23514');
      expect(failure.message).toBe('Encoded failure');
      expect(Buffer.from(failure.encodedAttributes.metadata.encoding).toString()).toBe('binary/encrypted');
      const res = await codecCall('decode', [toJson(failure.encodedAttributes)]);
      expect(res.status).toBe(200);
      expect(JSON.parse(decodedText(res.body.payloads)).message).toBe('database error (SQLSTATE 23514)');
    } finally {
      await stack.pool.query(`DROP TRIGGER boom ON customers; DROP FUNCTION boom()`);
    }
  });
});

describe('codec endpoint', () => {
  const plain = {
    metadata: { encoding: Buffer.from('json/plain').toString('base64') },
    data: Buffer.from('{"importId":7}').toString('base64'),
  };

  it('round-trips through encode (admin) and decode (viewer)', async () => {
    const enc = await codecCall('encode', [plain], { authorization: `Bearer ${stack.adminToken}` });
    expect(enc.status).toBe(200);
    expect(Buffer.from(enc.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(enc.body.payloads[0].data, 'base64').toString('latin1')).not.toContain('importId');
    const dec = await codecCall('decode', enc.body.payloads);
    expect(dec.body.payloads).toEqual([plain]);
  });

  it('needs a token, refuses tampered data and bad bodies without echoing them', async () => {
    expect((await codecCall('decode', [plain], {})).status).toBe(401);
    expect((await codecCall('decode', [plain], { authorization: 'Bearer not-a-real-token' })).status).toBe(401);
    const [enc] = (await codecCall('encode', [plain], { authorization: `Bearer ${stack.adminToken}` })).body.payloads;
    const data = Buffer.from(enc.data, 'base64');
    data[data.length - 5] ^= 1;
    const bad = await codecCall('decode', [{ ...enc, data: data.toString('base64') }]);
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('CODEC_FAILED');
    const res = await fetch(`${stack.baseUrl}/codec/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.viewerToken}` },
      body: '{"payloads":[{"data":"%%%"}]}',
    });
    expect(res.status).toBe(400);
  });

  it("answers the UI origin's CORS preflight, and no other origin", async () => {
    const pre = await fetch(`${stack.baseUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:8233',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-namespace',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
    const post = await codecCall('decode', [plain], {
      authorization: `Bearer ${stack.viewerToken}`,
      origin: 'http://127.0.0.1:8233',
    });
    expect(post.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    const other = await fetch(`${stack.baseUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('signing out ends the session on the server at once: a copy of the cookie no longer decodes, on any replica', async () => {
    const signIn = await fetch(`${stack.baseUrl}/codec/session`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.viewerToken}` },
    });
    expect(signIn.status).toBe(204);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    const fromUi = { cookie, origin: 'http://127.0.0.1:8233' };
    expect((await codecCall('decode', [plain], fromUi)).status).toBe(200);
    const signOut = await fetch(`${stack.baseUrl}/codec/session`, { method: 'DELETE', headers: { cookie } });
    expect(signOut.status).toBe(204);
    const { rows } = await stack.pool.query(`SELECT actor FROM codec_sign_outs`);
    expect(rows, 'kept in PostgreSQL, which every replica reads').toEqual([{ actor: 'victor' }]);
    const copy = await codecCall('decode', [plain], fromUi);
    expect([copy.status, copy.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(copy.body.error.message).toMatch(/signed out/);
    const again = await fetch(`${stack.baseUrl}/codec/session`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.viewerToken}` },
    });
    const fresh = again.headers.get('set-cookie')!.split(';')[0];
    expect(
      (await codecCall('decode', [plain], { ...fromUi, cookie: fresh })).status,
      'a new sign-in works at once',
    ).toBe(200);
  });
});
