import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNanaFile, getJson, post, upload, waitForImport } from '../support/http';
import { startWebhookReceiver } from '../support/notification-sinks';
import { startStack, type Stack } from '../support/stack';

// A validated dry run's workflow lives on until its notifications are out; a webhook that is down
// keeps it open for its retries. Approving then must never hand the import to that closing run.
let stack: Stack;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let webhookDown = true;
beforeAll(async () => {
  receiver = await startWebhookReceiver(() => (webhookDown ? 503 : 204));
  stack = await startStack({
    notifications: {
      emailFrom: 'Ferry <ferry@example.test>',
      emailTo: { byUser: {} },
      webhookUrl: receiver.url,
      webhookSecret: 'dry-run-approval-secret-0123456789',
    },
  });
});
afterAll(async () => {
  await stack?.close();
  await receiver?.close();
});

describe('approving a dry run whose workflow is still sending its notifications', () => {
  it('answers 409 DRY_RUN_STILL_CLOSING and leaves it validated; once the run has closed, approval imports it', async () => {
    const res = await upload(stack, freshNanaFile(3), { fields: { dryRun: 'true' } });
    expect((await waitForImport(stack, res.body.id)).status).toBe('validated');
    expect((await stack.client.workflow.getHandle(res.body.workflowId).describe()).status.name).toBe('RUNNING');

    const refused = await post(stack, `/api/imports/${res.body.id}/approve`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('DRY_RUN_STILL_CLOSING');
    expect((await getJson(stack, `/api/imports/${res.body.id}`)).body.status).toBe('validated');

    webhookDown = false;
    await stack.client.workflow.getHandle(res.body.workflowId).result();
    expect((await post(stack, `/api/imports/${res.body.id}/approve`)).status).toBe(202);
    const done = await waitForImport(stack, res.body.id);
    expect(done.status).toBe('completed');
    expect(done.counts.created).toBe(3);
  }, 90_000);
});
