import { readdirSync } from 'node:fs';
import type { Stack } from '../support/stack';

export interface Part {
  name: string;
  filename?: string;
  content: string | Buffer;
  headers?: string[];
}

/** A multipart body written by hand, so a test can send what no well-behaved client would. */
export function multipartBody(parts: Part[], boundary: string): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `Content-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    const head = [
      `--${boundary}`,
      disposition,
      ...(p.filename !== undefined ? ['Content-Type: application/octet-stream'] : []),
      ...(p.headers ?? []),
      '',
      '',
    ].join('\r\n');
    chunks.push(
      Buffer.from(head, 'utf8'),
      Buffer.isBuffer(p.content) ? p.content : Buffer.from(p.content, 'utf8'),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

export async function postRaw(
  stack: Stack,
  body: Buffer | string,
  contentType: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${stack.baseUrl}/api/imports`, {
    method: 'POST',
    body: typeof body === 'string' ? body : new Uint8Array(body),
    headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': contentType, ...headers },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Temp files are removed when the response closes, a moment after the client has it. */
export async function expectUploadDirEmpty(stack: Stack, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = readdirSync(stack.uploadDir);
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`upload temp dir still holds ${left.join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
