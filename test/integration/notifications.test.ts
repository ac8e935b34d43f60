import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyImportEnded } from '../../src/imports/notify-import-ended';
import { systemClock } from '../../src/domain/clock';
import { importFile, nanaCsv } from '../support/http';
import { startSmtpSink, startWebhookReceiver } from '../support/notification-sinks';
import { startStack, type Stack } from '../support/stack';

const SECRET = 'test-webhook-secret-0123456789';

let stack: Stack;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
const settings = () => ({
  smtpUrl: smtp.url,
  emailFrom: 'Ferry <ferry@example.test>',
  emailTo: { byUser: { alice: 'alice@example.test' }, fallback: 'ops@example.test' },
  webhookUrl: receiver.url,
  webhookSecret: SECRET,
});

beforeAll(async () => {
  smtp = await startSmtpSink();
  // The first delivery of each import is refused: the activity's retry must bring the second.
  const seen = new Set<number>();
  receiver = await startWebhookReceiver((hook) => {
    const id = JSON.parse(hook.body).importId as number;
    if (seen.has(id)) return 204;
    seen.add(id);
    return 503;
  });
  stack = await startStack({ notifications: settings() });
});
afterAll(async () => {
  await stack?.close();
  await smtp?.close();
  await receiver?.close();
});

function verifySignature(body: string, header: unknown): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`);
  const given = Buffer.from(String(header));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function until<T>(probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function untilAsync(probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The receiver sees a delivery before the activity has recorded its answer: wait for the record too. */
async function untilRecorded(importId: number, channels: number): Promise<void> {
  await untilAsync(
    async () =>
      (
        await stack.pool.query(`SELECT 1 FROM import_notifications WHERE import_id = $1 AND status = 'sent'`, [
          importId,
        ])
      ).rowCount === channels,
  );
}

describe('notifications when an import ends', () => {
  it('mails the uploader and posts a signed webhook without personal data, retrying a refused delivery', async () => {
    const done = await importFile(
      stack,
      nanaCsv([
        {
          nana_cus_id: 'NT-1',
          firstname: 'Somchai',
          lastname: 'Jaidee',
          phone: '0810000201',
          email: 'somchai@example.com',
        },
        { nana_cus_id: 'NT-2', firstname: 'Bad', lastname: 'Phone', phone: '12' },
      ]),
    );
    expect(done.status).toBe('completed');

    const mail = await until(() => smtp.mails.find((m) => m.raw.includes(`Ferry import ${done.id} completed`)));
    expect(mail.to).toEqual(['alice@example.test']);
    expect(mail.from).toBe('ferry@example.test');
    expect(mail.raw).toContain('rejected 1');

    const hooks = await until(() => {
      const mine = receiver.hooks.filter((h) => JSON.parse(h.body).importId === done.id);
      return mine.length >= 2 ? mine : undefined;
    });
    for (const hook of hooks) expect(verifySignature(hook.body, hook.headers['x-ferry-signature'])).toBe(true);
    expect(verifySignature(hooks[1].body.replace('completed', 'failed'), hooks[1].headers['x-ferry-signature'])).toBe(
      false,
    );
    const payload = JSON.parse(hooks[1].body);
    expect(payload).toEqual({
      importId: done.id,
      status: 'completed',
      source: 'nana',
      counts: { total: 2, valid: 1, created: 1, linked: 0, updated: 0, skipped: 0, rejected: 1 },
      finishedAt: expect.any(String),
    });
    for (const personal of [
      'Somchai',
      'Jaidee',
      '0810000201',
      '+66810000201',
      'somchai@example.com',
      'NT-1',
      'customers.csv',
    ])
      expect(hooks[1].body).not.toContain(personal);

    await untilRecorded(done.id, 2);
    const { rows: sent } = await stack.pool.query(
      `SELECT channel, status, sent_at IS NOT NULL AS stamped FROM import_notifications WHERE import_id = $1 ORDER BY channel`,
      [done.id],
    );
    expect(sent).toEqual([
      { channel: 'email:completed', status: 'sent', stamped: true },
      { channel: 'webhook:completed', status: 'sent', stamped: true },
    ]);
  });

  it('sends nothing twice when the notification runs again', async () => {
    const done = await importFile(
      stack,
      nanaCsv([{ nana_cus_id: 'NT-3', firstname: 'Again', lastname: 'Once', phone: '0810000203' }]),
      { fields: { dryRun: 'true' } },
    );
    expect(done.status).toBe('validated');
    await until(() => (smtp.mails.some((m) => m.raw.includes(`Ferry import ${done.id} validated`)) ? true : undefined));
    await until(() =>
      receiver.hooks.filter((h) => JSON.parse(h.body).importId === done.id).length >= 2 ? true : undefined,
    );
    await untilRecorded(done.id, 2);
    const before = { mails: smtp.mails.length, hooks: receiver.hooks.length };

    const again = await notifyImportEnded({ pool: stack.pool, clock: systemClock, notifications: settings() }, done.id);
    expect(again).toEqual({ email: 'already_sent', webhook: 'already_sent' });
    expect({ mails: smtp.mails.length, hooks: receiver.hooks.length }).toEqual(before);
  });

  it('mails the fallback address when the uploader has none of their own', async () => {
    const done = await importFile(
      stack,
      nanaCsv([{ nana_cus_id: 'NT-4', firstname: 'Fall', lastname: 'Back', phone: '0810000204' }]),
    );
    const deps = {
      pool: stack.pool,
      clock: systemClock,
      notifications: { ...settings(), emailTo: { byUser: {}, fallback: 'ops@example.test' } },
    };
    // Let the workflow's own notifications finish first (its webhook is refused once, then retried).
    await untilRecorded(done.id, 2);
    await stack.pool.query(`DELETE FROM import_notifications WHERE import_id = $1`, [done.id]);
    const countBefore = smtp.mails.length;
    await expect(notifyImportEnded(deps, done.id)).resolves.toMatchObject({ email: 'sent' });
    expect(smtp.mails.slice(countBefore).map((m) => m.to)).toEqual([['ops@example.test']]);
  });
});
