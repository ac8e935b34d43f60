import type { ApiError, ErrorItem, ImportView, Page, SourceView, UploadAnswer } from './api-client';

/** Text output for people; --json bypasses all of this. */

export function formatImport(imp: ImportView): string {
  const c = imp.counts;
  const lines = [
    `import ${imp.id}  ${imp.status}${imp.phase && imp.phase !== 'done' ? ` (${imp.phase})` : ''}`,
    `  source    ${imp.source}`,
    `  file      ${imp.fileName}`,
    `  by        ${imp.createdBy} at ${imp.createdAt}${imp.finishedAt ? `, finished ${imp.finishedAt}` : ''}`,
    `  progress  ${imp.progress.percent}% (${imp.progress.rowsProcessed}/${imp.progress.total} rows)`,
    `  records   total ${c.total}  valid ${c.valid ?? '-'}`,
    `  outcomes  created ${c.created}  linked ${c.linked}  updated ${c.updated}  skipped ${c.skipped}  rejected ${c.rejected}`,
  ];
  if (imp.verification) lines.push(`  verified  ${imp.verification.ok ? 'ok' : 'FAILED'}`);
  if (imp.failure) lines.push(`  failure   ${imp.failure.code}: ${imp.failure.message}`);
  if (c.rejected > 0) lines.push(`  errors    ferry errors ${imp.id} -o import-${imp.id}-errors.csv`);
  return lines.join('\n') + '\n';
}

export function formatUploadAccepted(a: UploadAnswer): string {
  return `import ${a.id} ${a.status}: ${a.total} records, workflow ${a.workflowId}\n  follow it: ferry status ${a.id} --wait\n`;
}

export function formatImportList(page: Page<ImportView>): string {
  if (page.items.length === 0) return `no imports (page ${page.page}, ${page.total} in all)\n`;
  const rows = page.items.map((i) => [
    String(i.id),
    i.status,
    i.source,
    `${i.counts.total}`,
    `${i.counts.rejected}`,
    i.createdAt,
    i.fileName,
  ]);
  const table = columns([['ID', 'STATUS', 'SOURCE', 'RECORDS', 'REJECTED', 'CREATED', 'FILE'], ...rows]);
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  return `${table}page ${page.page} of ${pages} (${page.total} imports)\n`;
}

export function formatErrors(id: number, page: Page<ErrorItem>): string {
  if (page.total === 0) return `import ${id} has no rejected records\n`;
  const lines = page.items.flatMap((e) => [
    `row ${e.rowNumber} (line ${e.lineNumber})`,
    ...e.errors.map((x) => `  ${x.field}  ${x.code}  ${x.message}`),
  ]);
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  lines.push(
    `page ${page.page} of ${pages} (${page.total} rejected records); the full report: ferry errors ${id} -o file.csv`,
  );
  return lines.join('\n') + '\n';
}

export function formatSources(items: SourceView[]): string {
  return (
    items
      .map((s) => {
        const cols = s.columns.map((c) => (c.required ? `${c.name}*` : c.name)).join(', ');
        return `${s.name}${s.label ? `  ${s.label}` : ''}\n  columns: ${cols}`;
      })
      .join('\n') + '\n  (* required)\n'
  );
}

/** One line for stderr: the api's own message first, then where it came from, then a hint. */
export function formatApiError(err: ApiError): string {
  let line = `ferry: ${err.message} (${err.code}, HTTP ${err.status} on ${err.route})`;
  if (err.status === 404 && /^route /.test(err.message))
    line += `\n  this api does not offer ${err.route}: is it an older Ferry?`;
  if (err.status === 401) line += '\n  check FERRY_TOKEN (or --token)';
  if (err.status === 403) line += '\n  this needs an admin token';
  return line + '\n';
}

function columns(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return (
    rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n') +
    '\n'
  );
}
