import ExcelJS from 'exceljs';
import type { Stack } from './stack';

/** A CSV from a header and rows (values quoted as needed). */
export function csv(header: string[], rows: Record<string, string>[]): string {
  const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header.join(','), ...rows.map((r) => header.map((h) => quote(r[h] ?? '')).join(','))].join('\n') + '\n';
}

/** An .xlsx with one sheet of text cells (or the given cell values). */
export async function xlsx(
  header: string[],
  rows: Record<string, ExcelJS.CellValue>[],
  sheetName = 'Sheet1',
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  ws.addRow(header);
  for (const r of rows) ws.addRow(header.map((h) => r[h] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Windows-874 (TIS-620): ASCII as is, Thai U+0E01–U+0E5B at 0xA1–0xFB. */
export function windows874(text: string): Buffer {
  return Buffer.from(
    [...text].map((ch) => {
      const c = ch.codePointAt(0)!;
      if (c < 0x80) return c;
      if (c >= 0x0e01 && c <= 0x0e5b) return c - 0x0e00 + 0xa0;
      throw new Error(`no windows-874 byte for U+${c.toString(16)}`);
    }),
  );
}

export function utf16le(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

export async function q<T = any>(stack: Stack, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await stack.pool.query(sql, params)).rows as T[];
}

export async function postJson(stack: Stack, path: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.adminToken}` },
  });
  return { status: res.status, body: await res.json() };
}

/** Customers with phones and emails, without generated ids: equal states compare equal. */
export async function customersByName(stack: Stack): Promise<unknown[]> {
  return q(
    stack,
    `SELECT c.first_name, c.last_name, c.gender, to_char(c.date_of_birth, 'YYYY-MM-DD') AS dob,
       (SELECT array_agg(phone ORDER BY phone) FROM customer_phones p WHERE p.customer_id = c.id) AS phones,
       (SELECT array_agg(email ORDER BY email) FROM customer_emails e WHERE e.customer_id = c.id) AS emails,
       (SELECT array_agg(original_id ORDER BY original_id) FROM customer_relations r WHERE r.customer_id = c.id AND r.active) AS ids,
       (SELECT array_agg(coalesce(address, '') || '|' || coalesce(city, '') || '|' || coalesce(postcode, '') ORDER BY id) FROM customer_addresses a WHERE a.customer_id = c.id) AS addresses
     FROM customers c ORDER BY c.first_name, c.last_name, c.id`,
  );
}
