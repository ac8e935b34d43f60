import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import type { SourceDefinition } from '../sources';

/** The template as CSV: the header and the sample rows, nothing else, so it imports as it is. */
export function templateCsv(source: SourceDefinition<unknown>): string {
  const names = source.columns.map((c) => c.name);
  return stringify([names, ...source.templateRows.map((r) => names.map((n) => r[n] ?? ''))]);
}

/**
 * The template as a workbook: the sample sheet first (what an upload reads), then a Rules sheet
 * with every column's meaning, whether it is required, and the header spellings accepted.
 */
export async function templateXlsx(source: SourceDefinition<unknown>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sample = wb.addWorksheet(source.label);
  const names = source.columns.map((c) => c.name);
  sample.addRow(names).font = { bold: true };
  for (const row of source.templateRows) sample.addRow(names.map((n) => row[n] ?? ''));
  // Text cells: phone numbers and ids keep their leading zeros when the admin types them.
  names.forEach((_n, i) => (sample.getColumn(i + 1).numFmt = '@'));
  const rules = wb.addWorksheet('Rules');
  rules.addRow(['column', 'required', 'rule', 'also accepted as']).font = { bold: true };
  for (const c of source.columns)
    rules.addRow([c.name, c.required ? 'yes' : 'no', c.description, c.aliases.join(', ')]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
