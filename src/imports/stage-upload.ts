import { inTransaction, type Queryable } from '../db/queryable';
import {
  bindIdempotencyKey,
  claimIdempotencyKey,
  findIdempotencyKey,
  findRunningDuplicate,
  lockUploadOf,
} from '../db/queries/idempotency';
import { recordEvent } from '../db/queries/import-events';
import { insertImport, markQueued, recordFailure, setPhase } from '../db/queries/imports';
import { failStaging, finishStaging, recordStagedChunk } from '../db/queries/staging';
import { copyStagedData } from '../db/queries/staged-rows';
import { mapHeader } from '../domain/columns';
import { findSource } from '../sources';
import { importWorkflowId, TERMINAL_STATUSES } from '../vocabulary';
import { ConflictError, FerryError, FileRejectedError } from '../errors';
import { faultPoint } from '../faults';
import type { ImportDeps } from './deps';
import { attachToParent, followUpColumns } from './follow-up-import';
import type { ImportOptions } from './import-options';
import { fileColumnKeys } from './file-columns';
import { openUpload, type UploadToStage } from './open-upload';
import { resolveImportLocale } from './resolve-locale';
import { StagingChunks } from './staging-chunks';
import { DEFAULT_STAGE_CHUNK_RECORDS } from './staging-defaults';
import { loadImport } from './load-import';
import type { WorkflowControl } from './import-workflows';

export interface Upload {
  path: string;
  fileName: string;
  source: string;
  options: ImportOptions;
  user: string;
  /** The `Idempotency-Key` header: the same key from the same caller always answers with the first import. */
  idempotencyKey?: string;
  /** Stage the file even if the caller sent the same file to the same source moments ago. */
  force?: boolean;
}

export interface StagedUpload {
  id: number;
  workflowId: string;
  total: number;
  /** Set when nothing new was staged: the import answered is the one a previous request created. */
  replayOf?: 'idempotency_key' | 'same_file';
}

/** A double-clicked upload or a proxy retry arrives within seconds; a deliberate re-import after this goes through. */
export const DUPLICATE_WINDOW_MS = 10 * 60 * 1000;

/**
 * Checks the file, stages its records in PostgreSQL, starts the workflow, and answers once every
 * record is staged. A file of at most STAGE_CHUNK_RECORDS records is staged in one transaction before
 * the run starts: any file-level problem throws before anything is committed (no import row, no
 * workflow). A larger one commits its first chunk with the import, starts the run, then stages the
 * rest chunk by chunk while the run's batches follow (stageRest); a problem found there fails the
 * import the run already started, which rolls back what it wrote.
 */
export async function stageUpload(
  deps: ImportDeps & { workflows: WorkflowControl },
  upload: Upload,
): Promise<StagedUpload> {
  const source = findSource(upload.source);
  if (!source) throw new FerryError('UNKNOWN_SOURCE', `unknown source "${upload.source}"`, 400);
  const opened = await openUpload(deps.pool, upload, source.name, deps.fileLimits);
  try {
    return await stageRecords(deps, upload, source, opened);
  } finally {
    // Every way out, refusals and failures included, ends the file's reader.
    opened.close();
  }
}

async function stageRecords(
  deps: ImportDeps & { workflows: WorkflowControl },
  upload: Upload,
  source: NonNullable<ReturnType<typeof findSource>>,
  opened: UploadToStage,
): Promise<StagedUpload> {
  const { scan } = opened;
  const earlier = await findReplay(deps, upload, source.name, scan.sha256);
  if (earlier) return earlier;
  const locale = await resolveImportLocale(deps.pool, upload.options, deps.defaultRegion);
  const first = await opened.header();
  if (!first) throw new FileRejectedError('NO_HEADER', `${upload.fileName}: the file has no header row`);
  const headerCells = first.header;
  const parentId = upload.options.parentImportId;
  const mapping = mapHeader(headerCells, parentId ? followUpColumns(source.columns) : source.columns);
  assertHeader(upload.fileName, source.name, mapping);
  const { fileHeader } = first;
  const fileKeys = fileHeader ? fileColumnKeys(fileHeader) : [];
  // The import's header is the file's own: for a projected file, its columns under their staged keys.
  const header = fileHeader
    ? fileHeader.map((original, i) => ({ original, column: fileKeys[i] }))
    : headerCells.map((original, i) => ({ original, column: mapping.columns[i] }));

  const columns = [...mapping.columns, ...fileKeys];
  const staged = await inTransaction(deps.pool, async (client) => {
    // Two clicks on Upload run side by side: the lock and the key's primary key make the second wait and see the first.
    await lockUploadOf(client, upload.user, source.name, scan.sha256);
    const duplicate = upload.force ? null : await runningDuplicate(client, upload.user, source.name, scan.sha256);
    if (
      upload.idempotencyKey &&
      !(await claimIdempotencyKey(client, {
        actor: upload.user,
        key: upload.idempotencyKey,
        fileSha256: scan.sha256,
        source: source.name,
      }))
    ) {
      return { replayOf: 'idempotency_key' as const };
    }
    if (duplicate !== null) {
      if (upload.idempotencyKey) await bindIdempotencyKey(client, upload.user, upload.idempotencyKey, duplicate);
      return { replayOf: 'same_file' as const, id: duplicate };
    }
    const { id, createdAt } = await insertImport(client, {
      source: source.name,
      fileName: upload.fileName,
      fileSha256: scan.sha256,
      fileBytes: scan.bytes,
      encoding: scan.encoding,
      header,
      options: upload.options as Record<string, unknown>,
      locale,
      createdBy: upload.user,
    });
    if (upload.idempotencyKey) await bindIdempotencyKey(client, upload.user, upload.idempotencyKey, id);
    // The parse process builds the rows' COPY data: it needs the import's id and the columns first.
    const chunks = new StagingChunks(opened.staged(id, columns), deps.stageChunkRecords ?? DEFAULT_STAGE_CHUNK_RECORDS);
    const total = await copyStagedData(client, chunks.next());
    if (total === 0)
      throw new FileRejectedError('NO_DATA_ROWS', `${upload.fileName}: the file has a header but no data records`);
    const whole = await chunks.atEnd();
    if (parentId) await attachToParent(client, { id, fileName: upload.fileName, source: source.name }, parentId);
    // Queued with its total (or its first records) before the workflow exists: the first activity may run at once.
    await markQueued(client, id, total, importWorkflowId(id), whole ? 'done' : 'streaming');
    if (whole) await recordEvent(client, id, 'uploaded', upload.user, { fileBytes: scan.bytes, records: total });
    return { id, total, createdAt, whole, chunks };
  });
  if ('replayOf' in staged) {
    return staged.replayOf === 'same_file'
      ? replay(deps, staged.id, 'same_file')
      : ((await findReplay(deps, upload, source.name, scan.sha256)) as StagedUpload);
  }
  const { id, total, createdAt, whole, chunks } = staged;
  // Should the api stop here, the import waits queued until a reconciler starts its run (reconcile-import.ts).
  await faultPoint('upload-staged');

  let workflowId: string;
  try {
    workflowId = await deps.workflows.start({
      id,
      source: source.name,
      fileName: upload.fileName,
      createdBy: upload.user,
      options: upload.options,
      recordedAt: createdAt,
    });
  } catch (err) {
    const taken = err instanceof ConflictError && err.code === 'WORKFLOW_ID_IN_USE' ? err : null;
    await recordFailure(
      deps.pool,
      id,
      taken
        ? { code: taken.code, message: taken.message }
        : { code: 'WORKFLOW_NOT_STARTED', message: 'the import workflow could not be started' },
    );
    await setPhase(deps.pool, id, 'failed', 'done');
    if (taken)
      throw new FerryError(
        taken.code,
        `${taken.message}; this import (${id}) was not started, a new upload gets another id`,
        taken.status,
        { importId: id },
        { cause: err },
      );
    throw new FerryError(
      'WORKFLOW_NOT_STARTED',
      'the import was staged but its workflow could not be started; try again',
      503,
      { importId: id },
      { cause: err },
    );
  }
  if (whole) return { id, workflowId, total };
  return { id, workflowId, total: await stageRest(deps, upload, scan.bytes, id, chunks, total) };
}

/**
 * Stages the rest of a large file, a chunk per transaction that also raises the import's staged mark
 * and beat; the last one records the total. Status and phase are the run's by now: never touched. A
 * bad file fails the staging with the file's own error (the run's next wait fails the import and
 * rolls it back), and the caller gets that error with the import's id.
 */
async function stageRest(
  deps: ImportDeps,
  upload: Upload,
  fileBytes: number,
  id: number,
  chunks: StagingChunks,
  firstChunk: number,
): Promise<number> {
  let total = firstChunk;
  try {
    while (!(await chunks.atEnd())) {
      total = await inTransaction(deps.pool, async (client) => {
        const staged = total + (await copyStagedData(client, chunks.next()));
        await recordStagedChunk(client, id, staged);
        return staged;
      });
      await faultPoint('staging-chunk-committed');
    }
    await inTransaction(deps.pool, async (client) => {
      await finishStaging(client, id, total);
      await recordEvent(client, id, 'uploaded', upload.user, { fileBytes, records: total });
    });
    return total;
  } catch (err) {
    const failure =
      err instanceof FerryError
        ? { code: err.code, message: err.message }
        : { code: 'STAGING_FAILED', message: `staging the file stopped after ${total} records` };
    // Should this fail too (the database gone), the beat stops and the run fails the import after its grace.
    // The audit still names who uploaded the file, with how far it was staged and why it stopped.
    await inTransaction(deps.pool, async (client) => {
      await failStaging(client, id, failure);
      await recordEvent(client, id, 'uploaded', upload.user, {
        fileBytes,
        records: total,
        stagingFailed: failure.code,
      });
    }).catch(() => undefined);
    const details = { ...(err instanceof FerryError ? err.details : {}), importId: id };
    if (err instanceof FileRejectedError) throw new FileRejectedError(err.code, err.message, err.status, details);
    if (err instanceof FerryError) throw new FerryError(err.code, err.message, err.status, details, { cause: err });
    throw new FerryError('STAGING_FAILED', failure.message, 500, details, { cause: err });
  }
}

/** An earlier import this request repeats: same key from the same caller, or (unless forced) the same file still running. */
async function findReplay(
  deps: ImportDeps,
  upload: Upload,
  source: string,
  sha256: string,
): Promise<StagedUpload | null> {
  if (upload.idempotencyKey) {
    const key = await findIdempotencyKey(deps.pool, upload.user, upload.idempotencyKey);
    if (key) {
      if (key.fileSha256 !== sha256 || key.source !== source) {
        throw new FerryError(
          'IDEMPOTENCY_KEY_REUSED',
          'this Idempotency-Key was already used for another file or source; use a new key',
          422,
          { importId: key.importId },
        );
      }
      if (key.importId !== null) return replay(deps, key.importId, 'idempotency_key');
    }
  }
  if (upload.force) return null;
  const duplicate = await runningDuplicate(deps.pool, upload.user, source, sha256);
  return duplicate === null ? null : replay(deps, duplicate, 'same_file');
}

function runningDuplicate(db: Queryable, actor: string, source: string, fileSha256: string): Promise<number | null> {
  return findRunningDuplicate(db, {
    actor,
    source,
    fileSha256,
    withinSeconds: DUPLICATE_WINDOW_MS / 1000,
    terminal: TERMINAL_STATUSES,
  });
}

async function replay(deps: ImportDeps, id: number, replayOf: StagedUpload['replayOf']): Promise<StagedUpload> {
  const { imp } = await loadImport(deps.pool, id);
  return { id, workflowId: imp.workflowId ?? importWorkflowId(id), total: imp.total, replayOf };
}

function assertHeader(fileName: string, source: string, m: ReturnType<typeof mapHeader>): void {
  const problems: string[] = [];
  if (m.missing.length) problems.push(`missing required columns: ${m.missing.join(', ')}`);
  if (m.unknown.length) problems.push(`unknown columns: ${m.unknown.join(', ')}`);
  if (m.duplicates.length) problems.push(`columns given twice: ${m.duplicates.join(', ')}`);
  if (problems.length === 0) return;
  throw new FileRejectedError(
    'INVALID_HEADER',
    `${fileName}: the header does not match source "${source}": ${problems.join('; ')}`,
    422,
    {
      missing: m.missing,
      unknown: m.unknown,
      duplicates: m.duplicates,
    },
  );
}
