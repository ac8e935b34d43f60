import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Config } from '../config';
import { findImport, isTerminal, type ImportRecord } from '../db/queries/imports';
import { recordNotification, sentChannels } from '../db/queries/notifications';
import { FerryError, NotFoundError } from '../errors';
import { countsOf, type ImportCounts } from '../vocabulary';
import type { ImportDeps } from './deps';

/** Where an import's end is announced; each channel is off while its setting is unset. */
export interface NotificationSettings {
  smtpUrl?: string;
  emailFrom: string;
  /** The uploader's address by token name; `fallback` for uploaders not listed. */
  emailTo: { byUser: Record<string, string>; fallback?: string };
  webhookUrl?: string;
  webhookSecret?: string;
}

export type NotificationKind = 'email' | 'webhook';
export type ChannelResult = 'sent' | 'already_sent' | 'off' | 'no_recipient' | 'failed';

/** What the webhook receives: ids, status and counts, never a record's values nor a person's address. */
export interface ImportEndedPayload {
  importId: number;
  status: string;
  source: string;
  counts: ImportCounts;
  finishedAt: string | null;
}

/** The settings from the parsed environment (SMTP_URL, NOTIFY_EMAIL_FROM, NOTIFY_EMAIL_TO, WEBHOOK_URL, WEBHOOK_SECRET). */
export function notificationSettings(
  config: Pick<Config, 'SMTP_URL' | 'NOTIFY_EMAIL_FROM' | 'NOTIFY_EMAIL_TO' | 'WEBHOOK_URL' | 'WEBHOOK_SECRET'>,
): NotificationSettings {
  return {
    smtpUrl: config.SMTP_URL,
    emailFrom: config.NOTIFY_EMAIL_FROM,
    emailTo: config.NOTIFY_EMAIL_TO,
    webhookUrl: config.WEBHOOK_URL,
    webhookSecret: config.WEBHOOK_SECRET,
  };
}

const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * Announces a finished import by e-mail to the admin who uploaded it and by a signed webhook.
 * A channel already sent is skipped, so a retry sends nothing twice; a channel that fails is recorded
 * and the error thrown after the others were tried, for Temporal to retry.
 */
export async function notifyImportEnded(
  deps: ImportDeps & { notifications?: NotificationSettings },
  importId: number,
): Promise<Record<NotificationKind, ChannelResult>> {
  const imp = await findImport(deps.pool, importId);
  if (!imp) throw new NotFoundError(`import ${importId}`);
  if (!isTerminal(imp))
    throw new FerryError('NOT_FINISHED', `import ${importId} is ${imp.status}: nothing to announce yet`, 409);
  const settings = deps.notifications;
  const done = await sentChannels(deps.pool, importId);
  const failures: FerryError[] = [];
  const attempt = async (kind: NotificationKind, send: () => Promise<ChannelResult>): Promise<ChannelResult> => {
    // Keyed by the status announced too: a dry run's `validated`, then its approved run's `completed`, each go out once.
    const channel = `${kind}:${imp.status}`;
    if (done.includes(channel)) return 'already_sent';
    try {
      const result = await send();
      if (result === 'sent') await recordNotification(deps.pool, importId, channel, { sent: true });
      return result;
    } catch (err) {
      const failure = new FerryError(
        'NOTIFICATION_FAILED',
        `${kind} notification of import ${importId} failed: ${describe(err)}`,
        503,
        { channel: kind },
        { cause: err },
      );
      await recordNotification(deps.pool, importId, channel, { sent: false, error: describe(err) });
      failures.push(failure);
      return 'failed';
    }
  };
  const result = {
    email: await attempt('email', () => sendEmail(settings, imp)),
    webhook: await attempt('webhook', () => postWebhook(settings, imp)),
  };
  if (failures.length > 0) throw failures[0];
  return result;
}

async function sendEmail(settings: NotificationSettings | undefined, imp: ImportRecord): Promise<ChannelResult> {
  if (!settings?.smtpUrl) return 'off';
  const to = settings.emailTo.byUser[imp.createdBy] ?? settings.emailTo.fallback;
  if (!to) return 'no_recipient';
  const transport = nodemailer.createTransport(settings.smtpUrl);
  try {
    await transport.sendMail({
      from: settings.emailFrom,
      to,
      subject: `Ferry import ${imp.id} ${imp.status.replace('_', ' ')}`,
      text: emailText(imp),
    });
  } finally {
    transport.close();
  }
  return 'sent';
}

function emailText(imp: ImportRecord): string {
  return [
    `Import ${imp.id} of ${imp.fileName} (source ${imp.source}), started by ${imp.createdBy}, ended ${imp.status} at ${imp.finishedAt?.toISOString() ?? 'an unknown time'}.`,
    '',
    `Records: ${imp.total} in the file, ${imp.valid ?? 0} valid.`,
    `Created ${imp.created}, linked ${imp.linked}, updated ${imp.updated}, skipped ${imp.skipped}, rejected ${imp.rejected}.`,
    ...(imp.failure ? ['', `Failure: ${imp.failure.code}: ${imp.failure.message}`] : []),
    ...(imp.rejected > 0 ? ['', `Rejected records and their reasons: /api/imports/${imp.id}/errors.csv`] : []),
  ].join('\n');
}

export function importEndedPayload(imp: ImportRecord): ImportEndedPayload {
  return {
    importId: imp.id,
    status: imp.status,
    source: imp.source,
    counts: countsOf(imp),
    finishedAt: imp.finishedAt ? new Date(imp.finishedAt).toISOString() : null,
  };
}

/** `sha256=<hex>` of the HMAC-SHA256 of the exact bytes sent: the receiver checks it before parsing. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

async function postWebhook(settings: NotificationSettings | undefined, imp: ImportRecord): Promise<ChannelResult> {
  if (!settings?.webhookUrl || !settings.webhookSecret) return 'off';
  const body = JSON.stringify(importEndedPayload(imp));
  const res = await fetch(settings.webhookUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-ferry-event': 'import.ended',
      'x-ferry-signature': webhookSignature(settings.webhookSecret, body),
    },
    body,
    signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
  });
  await res.body?.cancel();
  if (!res.ok) throw new FerryError('WEBHOOK_REFUSED', `the webhook answered HTTP ${res.status}`, 502);
  return 'sent';
}

/** A short reason for the table and the failure message: error codes and statuses, never addresses or bodies. */
function describe(err: unknown): string {
  if (err instanceof FerryError) return err.message;
  const e = err as { code?: unknown; responseCode?: unknown; name?: unknown };
  if (typeof e.responseCode === 'number') return `SMTP ${e.responseCode}`;
  if (typeof e.code === 'string') return e.code;
  return typeof e.name === 'string' ? e.name : 'unknown error';
}
