import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, NANA_HEADER, upload } from '../support/http';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ maxUploadBytes: 4096 });
});
afterAll(async () => stack?.close());

const okRow = ',N1,F,Somsri,Jaidee,,,0812345678,,';

async function importCount(): Promise<number> {
  const { rows } = await stack.pool.query(`SELECT count(*)::int AS n FROM imports`);
  return rows[0].n;
}

describe('POST /api/imports checks the file before it answers', () => {
  it('names the missing and the unknown columns', async () => {
    const res = await upload(stack, 'nana_cus_id,firstname,mobile_no,shoe_size\nN1,A,0812345678,42\n');
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('INVALID_HEADER');
    expect(res.body.error.details).toEqual({
      missing: ['lastname', 'phone'],
      unknown: ['mobile_no', 'shoe_size'],
      duplicates: [],
    });
    expect(res.body.error.message).toContain('customers.csv');
    expect(res.body.error.message).toContain('lastname, phone');
    expect(await importCount()).toBe(0);
  });

  it('rejects a column given twice instead of silently keeping one', async () => {
    const res = await upload(stack, `${NANA_HEADER},Phone\n${okRow},0899999999\n`);
    expect(res.status).toBe(422);
    expect(res.body.error.details.duplicates).toEqual(['Phone']);
  });

  it('maps header variants: BOM, spaces, case, aliases, and a trailing delimiter', async () => {
    const header =
      '\ufeff"careos_cus_id", Nana_Cus_ID ,GENDER,first name,Last-Name,Email,dob,Mobile,company,force_create,';
    const res = await upload(stack, `${header}\r\n${okRow},\r\n`);
    expect(res.status).toBe(202);
  });

  it('answers 400 EMPTY_FILE for a 0-byte upload and starts nothing', async () => {
    const before = await importCount();
    const res = await upload(stack, '');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('EMPTY_FILE');
    expect(await importCount()).toBe(before);
  });

  it('answers 422 NO_DATA_ROWS for a header-only file and leaves no import behind', async () => {
    const before = await importCount();
    const res = await upload(stack, `${NANA_HEADER}\n\n,,,,,,,,,\n`);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('NO_DATA_ROWS');
    expect(await importCount()).toBe(before);
  });

  it('answers 413 for a file over the size limit', async () => {
    const res = await upload(stack, `${NANA_HEADER}\n${`${okRow}\n`.repeat(200)}`);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('LIMIT_FILE_SIZE');
  });

  it('decides the type from the bytes: a ZIP named .csv is refused', async () => {
    const res = await upload(stack, Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), { fileName: 'customers.csv' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('UNSUPPORTED_FILE_TYPE');
  });

  it('refuses binary content with NUL bytes', async () => {
    const res = await upload(stack, Buffer.from('nana_cus_id\u0000\u0000\u0001binary'));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('NOT_TEXT');
  });

  it('names the line of a quote that is never closed', async () => {
    const res = await upload(stack, `${NANA_HEADER}\n${okRow}\n,"N2,F,Broken,Quote,,,0812345678,,\n${okRow}\n`);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('CSV_QUOTE_NOT_CLOSED');
    expect(res.body.error.message).toMatch(/line \d+/);
  });

  it('rejects an unknown source and a missing file', async () => {
    expect((await upload(stack, `${NANA_HEADER}\n${okRow}\n`, { source: 'nope' })).body.error.code).toBe(
      'UNKNOWN_SOURCE',
    );
    const form = new FormData();
    form.set('source', 'nana');
    const res = await fetch(`${stack.baseUrl}/api/imports`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${stack.adminToken}` },
    });
    expect(res.status).toBe(400);
  });

  it('reads a Windows-874 (Thai Excel) file without mojibake', async () => {
    const thai = 'สมศรี';
    const bytes = Buffer.concat([
      Buffer.from(`${NANA_HEADER}\n,N874,F,`),
      Buffer.from([0xca, 0xc1, 0xc8, 0xc3, 0xd5]),
      Buffer.from(',Jaidee,,,0812345670,,\n'),
    ]);
    const res = await upload(stack, bytes, { fields: { dryRun: 'true' } });
    expect(res.status).toBe(202);
    const { rows } = await stack.pool.query(
      `SELECT record->>'firstname' AS name FROM import_rows WHERE import_id = $1`,
      [res.body.id],
    );
    expect(rows[0].name).toBe(thai);
  });
});

describe('auth', () => {
  it('needs a token for everything but health', async () => {
    expect((await fetch(`${stack.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${stack.baseUrl}/api/imports`)).status).toBe(401);
    expect((await getJson(stack, '/api/imports', 'wrong-token')).status).toBe(401);
  });

  it('lets a viewer read but not upload', async () => {
    expect((await getJson(stack, '/api/imports', stack.viewerToken)).status).toBe(200);
    const res = await upload(stack, `${NANA_HEADER}\n${okRow}\n`, { token: stack.viewerToken });
    expect(res.status).toBe(403);
  });
});

describe('GET /api/imports', () => {
  it('pages newest first and filters by status and source', async () => {
    const { body } = await getJson(stack, '/api/imports?page=1&pageSize=1');
    expect(body.pageSize).toBe(1);
    expect(body.items).toHaveLength(1);
    expect(body.total).toBeGreaterThanOrEqual(2);
    const all = await getJson(stack, '/api/imports?pageSize=100');
    const ids = all.body.items.map((i: any) => i.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a));
    expect((await getJson(stack, '/api/imports?source=careshop')).body.total).toBe(0);
  });

  it('answers 404 for an import that does not exist', async () => {
    const res = await getJson(stack, '/api/imports/999999999999');
    expect(res.status).toBe(404);
  });
});
