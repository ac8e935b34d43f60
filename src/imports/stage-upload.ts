import { inTransaction } from '../db/queryable';
import { recordEvent } from '../db/queries/import-events';
import { insertImport, markQueued, recordFailure, setPhase } from '../db/queries/imports';
import { copyStagedRows, type StagedRow } from '../db/queries/staged-rows';
import { mapHeader } from '../domain/columns';
import { findSource } from '../domain/sources';
import { importWorkflowId } from '../domain/workflow-ids';
import { FerryError, FileRejectedError } from '../errors';
import { detectDelimiter, readRecords, type RawRecord } from '../files/read-records';
import { scanFile } from '../files/scan';
import { assertDelimitedText } from '../files/sniff';
import type { ImportDeps } from './deps';
import type { ImportOptions } from './import-options';
import type { WorkflowControl } from './workflow-control';

export interface Upload {
  path: string;
  fileName: string;
  source: string;
  options: ImportOptions;
  user: string;
}


/**
 * Checks the file, stages every record in PostgreSQL in one transaction, then starts the workflow.
 * Any file-level problem throws before anything is committed: no import row, no workflow.
 */
export async function stageUpload(deps: ImportDeps & { workflows: WorkflowControl }, upload: Upload): Promise<{ id: number; workflowId: string; total: number }> {
  const source = findSource(upload.source);
  if (!source) throw new FerryError('UNKNOWN_SOURCE', `unknown source "${upload.source}"`, 400);
  await assertDelimitedText(upload.path, upload.fileName);
  const scan = await scanFile(upload.path, upload.fileName);
  const records = readRecords(upload.path, upload.fileName, scan.encoding, detectDelimiter(scan.firstLine));
  const first = await records.next();
  if (first.done || !('header' in first.value)) throw new FileRejectedError('NO_HEADER', `${upload.fileName}: the file has no header row`);
  const headerCells = first.value.header;
  const mapping = mapHeader(headerCells, source.columns);
  assertHeader(upload.fileName, source.name, mapping);

  const { id, total } = await inTransaction(deps.pool, async (client) => {
    const id = await insertImport(client, {
      source: source.name,
      fileName: upload.fileName,
      fileSha256: scan.sha256,
      fileBytes: scan.bytes,
      encoding: scan.encoding,
      header: headerCells.map((original, i) => ({ original, column: mapping.columns[i] })),
      options: upload.options as Record<string, unknown>,
      createdBy: upload.user,
    });
    const total = await copyStagedRows(client, id, toStaged(records as AsyncGenerator<RawRecord>, mapping.columns));
    if (total === 0) throw new FileRejectedError('NO_DATA_ROWS', `${upload.fileName}: the file has a header but no data records`);
    // Queued with its total before the workflow exists: the first activity may run at once.
    await markQueued(client, id, total, importWorkflowId(id));
    await recordEvent(client, id, 'uploaded', upload.user, { fileBytes: scan.bytes, records: total });
    return { id, total };
  });

  try {
    const workflowId = await deps.workflows.start({ id, source: source.name, fileName: upload.fileName, createdBy: upload.user, options: upload.options });
    return { id, workflowId, total };
  } catch (err) {
    await recordFailure(deps.pool, id, { code: 'WORKFLOW_NOT_STARTED', message: 'the import workflow could not be started' });
    await setPhase(deps.pool, id, 'failed', 'done');
    throw new FerryError('WORKFLOW_NOT_STARTED', 'the import was staged but its workflow could not be started; try again', 503, { importId: id }, { cause: err });
  }
}

function assertHeader(fileName: string, source: string, m: ReturnType<typeof mapHeader>): void {
  const problems: string[] = [];
  if (m.missing.length) problems.push(`missing required columns: ${m.missing.join(', ')}`);
  if (m.unknown.length) problems.push(`unknown columns: ${m.unknown.join(', ')}`);
  if (m.duplicates.length) problems.push(`columns given twice: ${m.duplicates.join(', ')}`);
  if (problems.length === 0) return;
  throw new FileRejectedError('INVALID_HEADER', `${fileName}: the header does not match source "${source}": ${problems.join('; ')}`, 422, {
    missing: m.missing,
    unknown: m.unknown,
    duplicates: m.duplicates,
  });
}

/** Maps fields to source columns; notes the parse problems that validation will report. */
async function* toStaged(records: AsyncGenerator<RawRecord>, columns: (string | null)[]): AsyncGenerator<StagedRow> {
  for await (const raw of records) {
    const problems: string[] = [];
    const extra = raw.fields.slice(columns.length);
    const trailingEmpty = columns.length > 0 && columns[columns.length - 1] === null;
    if (raw.fields.length < columns.length - (trailingEmpty ? 1 : 0) || extra.some((f) => f !== '')) problems.push('COLUMN_COUNT');
    const record: Record<string, string> = {};
    columns.forEach((column, i) => {
      if (column === null) return;
      let value = raw.fields[i] ?? '';
      // PostgreSQL text cannot hold NUL: drop it and reject the record.
      if (value.includes('\u0000')) {
        value = value.replaceAll('\u0000', '');
        if (!problems.includes('NUL_CHAR')) problems.push('NUL_CHAR');
      }
      record[column] = value;
    });
    yield { rowNumber: raw.rowNumber, lineNumber: raw.lineNumber, record, problems: problems.length ? problems : null };
  }
}
