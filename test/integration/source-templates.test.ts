import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, importFile, upload } from '../support/http';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

async function download(path: string): Promise<Buffer> {
  const res = await fetch(`${stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${stack.viewerToken}` } });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe('templates', () => {
  it('offers a CSV and a workbook with a Rules sheet for every source', async () => {
    const { body } = await getJson(stack, '/api/sources');
    expect(body.items.length).toBeGreaterThanOrEqual(6);
    for (const source of body.items) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await download(source.templateXlsx)) as unknown as ExcelJS.Buffer);
      const [sample, rules] = wb.worksheets;
      const header = (sample.getRow(1).values as unknown[]).slice(1);
      expect(header).toEqual(source.columns.map((c: { name: string }) => c.name));
      expect(rules.name).toBe('Rules');
      expect(rules.rowCount).toBe(source.columns.length + 1);
      const csv = (await download(source.template)).toString('utf8');
      expect(csv.split('\n')[0]).toBe(source.columns.map((c: { name: string }) => c.name).join(','));
    }
  });

  it('imports the Nana templates as they are, CSV and workbook alike', async () => {
    const csv = await importFile(stack, await download('/api/sources/nana/template.csv'), {
      fileName: 'nana-template.csv',
    });
    expect(csv.status).toBe('completed');
    expect(csv.counts.rejected).toBe(0);
    const xlsx = await upload(stack, await download('/api/sources/nana/template.xlsx'), {
      fileName: 'nana-template.xlsx',
      fields: { dryRun: 'true' },
    });
    expect(xlsx.status).toBe(202);
  });
});
