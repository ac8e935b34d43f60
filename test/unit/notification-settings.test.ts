import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { notificationSettings, webhookSignature } from '../../src/imports/notify-import-ended';

describe('notification settings', () => {
  it('maps uploaders to addresses and keeps an unnamed entry as the default', () => {
    const config = loadConfig({ NOTIFY_EMAIL_TO: 'alice:alice@crm.example, ops@crm.example ,bob:bob@crm.example' });
    expect(notificationSettings(config).emailTo).toEqual({
      byUser: { alice: 'alice@crm.example', bob: 'bob@crm.example' },
      fallback: 'ops@crm.example',
    });
  });

  it('turns every channel off by default and keeps 90 days', () => {
    const config = loadConfig({});
    expect(notificationSettings(config)).toMatchObject({
      smtpUrl: undefined,
      webhookUrl: undefined,
      emailTo: { byUser: {} },
    });
    expect(config.RETENTION_DAYS).toBe(90);
    expect(config.WORKER_METRICS_PORT).toBeUndefined();
  });

  it('refuses a recipient that is not an address, and a webhook without a secret', () => {
    expect(() => loadConfig({ NOTIFY_EMAIL_TO: 'alice:not-an-address' })).toThrow(/NOTIFY_EMAIL_TO/);
    expect(() => loadConfig({ WEBHOOK_URL: 'https://hooks.example/ferry' })).toThrow(/WEBHOOK_SECRET/);
    expect(loadConfig({ WEBHOOK_URL: 'https://hooks.example/ferry', WEBHOOK_SECRET: 'a'.repeat(16) }).WEBHOOK_URL).toBe(
      'https://hooks.example/ferry',
    );
  });

  it('signs the exact body with HMAC-SHA256', () => {
    const body = '{"importId":1,"status":"completed"}';
    expect(webhookSignature('s3cret-s3cret-s3', body)).toBe(
      `sha256=${createHmac('sha256', 's3cret-s3cret-s3').update(body).digest('hex')}`,
    );
    expect(webhookSignature('s3cret-s3cret-s3', `${body} `)).not.toBe(webhookSignature('s3cret-s3cret-s3', body));
  });
});
