import { TERMINAL_STATUSES } from '../../src/vocabulary';
import type { Stack } from './stack';

export interface UploadOptions {
  source?: string;
  /** How long importFile waits for the end (waitForImport's default otherwise). */
  timeoutMs?: number;
  fileName?: string;
  token?: string;
  fields?: Record<string, string>;
  /** The Idempotency-Key header, as the admin page and the CLI send with every attempt of one upload. */
  idempotencyKey?: string;
}

/** POST /api/imports as a browser form would send it. */
export async function upload(
  stack: Stack,
  content: string | Buffer,
  opts: UploadOptions = {},
): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.set('source', opts.source ?? 'nana');
  for (const [k, v] of Object.entries(opts.fields ?? {})) form.set(k, v);
  form.set(
    'file',
    new Blob([typeof content === 'string' ? content : new Uint8Array(content)]),
    opts.fileName ?? 'customers.csv',
  );
  const res = await fetch(`${stack.baseUrl}/api/imports`, {
    method: 'POST',
    body: form,
    headers: {
      authorization: `Bearer ${opts.token ?? stack.adminToken}`,
      ...(opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {}),
    },
  });
  return { status: res.status, body: await res.json() };
}

export async function getJson(
  stack: Stack,
  path: string,
  token = stack.adminToken,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

export async function post(
  stack: Stack,
  path: string,
  token = stack.adminToken,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${stack.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

/** Polls the import until it reaches a terminal status (or one of `statuses`). */
export async function waitForImport(
  stack: Stack,
  id: number,
  statuses: string[] = TERMINAL_STATUSES,
  timeoutMs = 90_000,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await getJson(stack, `/api/imports/${id}`);
    if (statuses.includes(body.status)) return body;
    if (Date.now() > deadline) throw new Error(`import ${id} still ${body.status}/${body.phase} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Uploads and waits for the end; fails the test on anything but 202. */
export async function importFile(stack: Stack, content: string | Buffer, opts: UploadOptions = {}): Promise<any> {
  const res = await upload(stack, content, opts);
  if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${JSON.stringify(res.body)}`);
  return waitForImport(stack, res.body.id, undefined, opts.timeoutMs);
}

export const NANA_HEADER =
  'careos_cus_id,nana_cus_id,gender,firstname,lastname,email,date_of_birth,phone,company_name,force_create';

/** A Nana CSV from rows of the ten columns (values are quoted as needed). */
export function nanaCsv(rows: Partial<Record<string, string>>[]): string {
  const cols = NANA_HEADER.split(',');
  const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [NANA_HEADER, ...rows.map((r) => cols.map((c) => quote(r[c] ?? '')).join(','))].join('\n') + '\n';
}

export function outcomeCounts(body: any) {
  const c = body.counts;
  return { created: c.created, linked: c.linked, updated: c.updated, skipped: c.skipped, rejected: c.rejected };
}

/** The invariant every import must hold: each record has exactly one outcome. */
export function balances(body: any): boolean {
  const c = body.counts;
  return c.created + c.linked + c.updated + c.skipped + c.rejected === c.total;
}

let freshFiles = 0;
/**
 * A Nana file of `records` new customers: ids and phones no earlier call in this test file used,
 * so neither the duplicate checks nor the same-file upload check ever see another test's upload.
 */
export function freshNanaFile(records: number): string {
  freshFiles += 1;
  return nanaCsv(
    Array.from({ length: records }, (_, i) => ({
      nana_cus_id: `FRESH${freshFiles}-${i}`,
      firstname: `Fresh${i}`,
      lastname: `File${freshFiles}`,
      phone: `089${String(freshFiles * 1000 + i).padStart(7, '0')}`,
      email: `f${freshFiles}.${i}@example.com`,
    })),
  );
}
