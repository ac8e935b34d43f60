import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, importFile, NANA_HEADER, post, upload, waitForImport } from '../support/http';
import { startStack, type Stack } from '../support/stack';

const SAMPLE = readFileSync(path.resolve('samples/nana-customers.csv'));

let stack: Stack;
let parent: any;
beforeAll(async () => {
  stack = await startStack();
  parent = await importFile(stack, SAMPLE, { fileName: 'nana-customers.csv' });
  expect(parent.counts).toMatchObject({ total: 9, created: 4, skipped: 1, rejected: 4 });
});
afterAll(async () => stack?.close());

/** The error report's shape, corrected: the source's columns, then the parent's row number. */
function corrections(rows: [rowNumber: number, values: Record<string, string>][]): string {
  const cols = NANA_HEADER.split(',');
  return (
    [`${NANA_HEADER},row_number`, ...rows.map(([n, r]) => [...cols.map((c) => r[c] ?? ''), String(n)].join(','))].join(
      '\n',
    ) + '\n'
  );
}
const KANYA = {
  nana_cus_id: 'N10006',
  gender: 'F',
  firstname: 'Kanya',
  lastname: 'Srisuk',
  email: 'kanya@example.com',
  date_of_birth: '1992-12-01',
  phone: '086 555 1234',
};
const PRASIT = {
  nana_cus_id: 'N10007',
  gender: 'M',
  firstname: 'Prasit',
  lastname: 'Wong',
  email: 'prasit@example.com',
  date_of_birth: '1975-05-05',
  phone: '0899990007',
};

describe('per-record outcomes', () => {
  it('lists every record with its outcome, the reasons of a rejection and the customer it landed on, for a viewer too', async () => {
    const { status, body } = await getJson(stack, `/api/imports/${parent.id}/records?pageSize=20`, stack.viewerToken);
    expect(status).toBe(200);
    expect(body.total).toBe(9);
    expect(body.items.map((r: any) => r.rowNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const created = body.items.filter((r: any) => r.outcome === 'created');
    expect(created).toHaveLength(4);
    const { rows } = await stack.pool.query(`SELECT id::float8 AS id FROM customers WHERE import_id = $1 ORDER BY id`, [
      parent.id,
    ]);
    expect(created.map((r: any) => r.customerId).sort()).toEqual(rows.map((r) => r.id).sort());
    const rejected = body.items.filter((r: any) => r.outcome === 'rejected');
    expect(rejected.every((r: any) => r.customerId === null && r.reasons.length > 0)).toBe(true);
    expect(body.items[4].reasons.map((e: any) => e.field)).toContain('date_of_birth');
  });

  it('filters by outcome and finds a record by row number or legacy id', async () => {
    const rejected = await getJson(stack, `/api/imports/${parent.id}/records?outcome=rejected`);
    expect(rejected.body.items.map((r: any) => r.rowNumber)).toEqual([3, 5, 6, 9]);
    const byRow = await getJson(stack, `/api/imports/${parent.id}/records?q=6`);
    expect(byRow.body.items.map((r: any) => r.rowNumber)).toEqual([6]);
    const byLegacyId = await getJson(stack, `/api/imports/${parent.id}/records?q=N10005`);
    expect(byLegacyId.body.items).toMatchObject([{ rowNumber: 4, outcome: 'created' }]);
    expect(byLegacyId.body.items[0].customerId).toBeGreaterThan(0);
    const bad = await getJson(stack, `/api/imports/${parent.id}/records?outcome=lost`);
    expect(bad.status).toBe(400);
    expect((await getJson(stack, '/api/imports/999999/records')).status).toBe(404);
  });
});

describe('fixing rejected records with a follow-up import', () => {
  let followUpId: number;

  it('refuses a record that names no rejected record of the parent, naming record, column and row', async () => {
    const res = await upload(
      stack,
      corrections([
        [5, KANYA],
        [2, PRASIT],
      ]),
      { fileName: 'fixes.csv', fields: { parentImportId: String(parent.id) } },
    );
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('NOT_A_REJECTED_RECORD');
    expect(res.body.error.message).toBe(
      `fixes.csv: record 2, column row_number: "2" is not a rejected record of import ${parent.id}`,
    );
    const { rows } = await stack.pool.query(
      `SELECT count(*)::int AS n FROM imports WHERE options->>'parentImportId' IS NOT NULL`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('imports the corrected records as a follow-up linked to its parent, once even when the submit is retried', async () => {
    const file = corrections([
      [5, KANYA],
      [6, PRASIT],
    ]);
    // Every attempt of one submit carries the same key, as the page's Fix records sends them: the
    // retry is answered with the first import whatever that one's status by then.
    const headers = {
      fileName: 'fixes.csv',
      fields: { parentImportId: String(parent.id) },
      idempotencyKey: 'fix-rows-5-6',
    };
    const first = await upload(stack, file, headers);
    expect(first.status).toBe(202);
    const retried = await upload(stack, file, headers);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: first.body.id, replayed: true });
    followUpId = first.body.id;
    const done = await waitForImport(stack, followUpId);
    expect(done).toMatchObject({
      status: 'completed',
      parentImportId: parent.id,
      counts: { total: 2, created: 2, rejected: 0 },
    });

    const after = (await getJson(stack, `/api/imports/${parent.id}`)).body;
    expect(after.counts).toEqual(parent.counts);
    expect(after.fixes).toEqual({
      fixed: 2,
      followUps: [{ id: followUpId, status: 'completed', records: 2, fixed: 2 }],
    });
    const rejected = (await getJson(stack, `/api/imports/${parent.id}/records?outcome=rejected`)).body.items;
    expect(rejected.map((r: any) => r.fixedBy)).toEqual([
      null,
      { importId: followUpId, rowNumber: 1 },
      { importId: followUpId, rowNumber: 2 },
      null,
    ]);
  });

  it('refuses to fix a record a second time, naming the import that fixed it', async () => {
    const res = await upload(stack, corrections([[6, { ...PRASIT, phone: '0899990008' }]]), {
      fileName: 'again.csv',
      fields: { parentImportId: String(parent.id) },
    });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      `again.csv: record 1, column row_number: row 6 of import ${parent.id} was already fixed by import ${followUpId}`,
    );
  });

  it('leaves the parent as it was when the follow-up is rolled back, and lets the records be fixed again', async () => {
    expect((await post(stack, `/api/imports/${followUpId}/rollback`)).status).toBe(202);
    await waitForImport(stack, followUpId, ['rolled_back']);
    const after = (await getJson(stack, `/api/imports/${parent.id}`)).body;
    expect(after.counts).toEqual(parent.counts);
    expect(after.fixes.fixed).toBe(0);
    const { rows } = await stack.pool.query(`SELECT count(*)::int AS n FROM customers WHERE import_id = $1`, [
      parent.id,
    ]);
    expect(rows[0].n).toBe(4);
    const again = await upload(stack, corrections([[6, PRASIT]]), {
      fileName: 'fixes-again.csv',
      fields: { parentImportId: String(parent.id) },
    });
    expect(again.status).toBe(202);
    expect((await waitForImport(stack, again.body.id)).counts.created).toBe(1);
  });

  it("fixes a mapped import's rejected record from its error report, in the file's own columns", async () => {
    const mapping = await fetch(`${stack.baseUrl}/api/mappings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'shop',
        fields: {
          external_id: { column: 'Code' },
          full_name: { column: 'Name' },
          date_of_birth: { column: 'Born', format: 'DD/MM/YYYY' },
        },
      }),
    });
    const mappingId = String((await mapping.json()).id);
    const shop = await importFile(stack, 'Code,Name,Born\nM-1,Dao Ruang,31/01/1990\nM-2,Fah Sai,31/31/1990\n', {
      source: 'mapped',
      fileName: 'shop.csv',
      fields: { mappingId },
    });
    expect(shop.counts).toMatchObject({ created: 1, rejected: 1 });
    const report = await (
      await fetch(`${stack.baseUrl}${shop.links.errorsCsv}`, {
        headers: { authorization: `Bearer ${stack.adminToken}` },
      })
    ).text();
    const corrected = report.replace('31/31/1990', '13/03/1990');
    const fix = await upload(stack, corrected, {
      source: 'mapped',
      fileName: 'shop-fixed.csv',
      fields: { parentImportId: String(shop.id), mappingId },
    });
    expect(fix.status).toBe(202);
    expect((await waitForImport(stack, fix.body.id)).counts).toMatchObject({ total: 1, created: 1 });
    const { rows } = await stack.pool.query(
      `SELECT to_char(date_of_birth, 'YYYY-MM-DD') AS dob FROM customers WHERE import_id = $1`,
      [fix.body.id],
    );
    expect(rows).toEqual([{ dob: '1990-03-13' }]);
  });

  it('refuses a parent of another source', async () => {
    const res = await upload(stack, 'member_id,points,type,date\nM1,1,credit,2024-01-01\n', {
      source: 'loyalty-points',
      fileName: 'points.csv',
      fields: { parentImportId: String(parent.id) },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toMatch(/PARENT_IMPORT_MISMATCH|INVALID_HEADER/);
  });
});

describe('the mapping preview', () => {
  const preview = async (fields?: unknown) => {
    const form = new FormData();
    if (fields !== undefined) form.set('fields', JSON.stringify(fields));
    form.set(
      'file',
      new Blob(['Code,Name,Mail\nC-1,Anong Boonmee,anong@example.com\nC-2,,nobody@example\n']),
      'shop.csv',
    );
    const res = await fetch(`${stack.baseUrl}/api/mappings/preview`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${stack.adminToken}` },
    });
    return { status: res.status, body: await res.json() };
  };

  it("shows the file's header and first records, then the records through a draft mapping with their validation", async () => {
    const mappings = async () => (await stack.pool.query(`SELECT count(*)::int AS n FROM import_mappings`)).rows[0].n;
    const before = await mappings();
    const raw = await preview();
    expect(raw).toEqual({
      status: 200,
      body: {
        header: ['Code', 'Name', 'Mail'],
        rows: [
          ['C-1', 'Anong Boonmee', 'anong@example.com'],
          ['C-2', '', 'nobody@example'],
        ],
        mapped: null,
      },
    });
    const mapped = await preview({
      external_id: { column: 'Code' },
      full_name: { column: 'Name' },
      email: { column: 'mail' },
    });
    expect(mapped.body.mapped.columns).toEqual(['external_id', 'full_name', 'email']);
    expect(mapped.body.mapped.records[0]).toEqual({
      rowNumber: 1,
      values: { external_id: 'C-1', full_name: 'Anong Boonmee', email: 'anong@example.com' },
      ok: true,
      errors: [],
    });
    expect(mapped.body.mapped.records[1].ok).toBe(false);
    expect(mapped.body.mapped.records[1].errors.map((e: any) => e.code).sort()).toEqual(['INVALID_EMAIL', 'REQUIRED']);
    expect(await mappings()).toBe(before);
  });

  it('shows each custom attribute in a column of its own, as it would be stored', async () => {
    const mapped = await preview({
      external_id: { column: 'Code' },
      full_name: { column: 'Name' },
      'attributes.contact': { column: 'Mail', type: 'text' },
      'attributes.code': { column: 'Code' },
    });
    expect(mapped.body.mapped.columns).toEqual(['external_id', 'full_name', 'attributes.contact', 'attributes.code']);
    expect(mapped.body.mapped.records[0].values).toEqual({
      external_id: 'C-1',
      full_name: 'Anong Boonmee',
      'attributes.contact': 'anong@example.com',
      'attributes.code': 'C-1',
    });
    expect(mapped.body.mapped.records[1]).toMatchObject({
      ok: false,
      values: { 'attributes.contact': 'nobody@example' },
    });
  });

  it('refuses a draft that is not a mapping, and is in the OpenAPI document with the records route', async () => {
    const bad = await preview({ email: { column: 'Mail', join: ['a'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_REQUEST');
    const doc = await (await fetch(`${stack.baseUrl}/api/openapi.json`)).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/mappings/preview', '/api/imports/{id}/records']),
    );
  });
});
