/** A column a source understands, with the header spellings that map to it. */
export interface ColumnSpec {
  name: string;
  required: boolean;
  aliases: string[];
  description: string;
  example: string;
}

export interface HeaderMapping {
  /** Per header cell in file order: the source column it maps to, or null for an ignored empty trailing cell. */
  columns: (string | null)[];
  missing: string[];
  unknown: string[];
  duplicates: string[];
}

/** Header cells compare trimmed, case-folded, without BOM or zero-width marks, spaces and dashes as underscores. */
export function headerKey(cell: string): string {
  return cell
    .replace(/[\ufeff\u200b-\u200d\u2060]/g, '')
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

export function mapHeader(cells: string[], specs: ColumnSpec[]): HeaderMapping {
  const byKey = new Map<string, string>();
  for (const spec of specs) {
    for (const alias of [spec.name, ...spec.aliases]) byKey.set(headerKey(alias), spec.name);
  }
  const seen = new Set<string>();
  const columns: (string | null)[] = [];
  const unknown: string[] = [];
  const duplicates: string[] = [];
  cells.forEach((cell, i) => {
    const key = headerKey(cell);
    // An empty trailing cell comes from a delimiter at the end of every line.
    if (key === '' && cells.slice(i).every((c) => headerKey(c) === '')) {
      columns.push(null);
      return;
    }
    const column = byKey.get(key);
    if (!column) unknown.push(cell.trim() === '' ? `(empty header in column ${i + 1})` : cell.trim());
    else if (seen.has(column)) duplicates.push(cell.trim());
    seen.add(column ?? '');
    columns.push(column ?? null);
  });
  const missing = specs.filter((s) => s.required && !seen.has(s.name)).map((s) => s.name);
  return { columns, missing, unknown, duplicates };
}
