import {
  isTerminalStatus,
  TERMINAL_STATUSES,
  type ImportCounts,
  type ImportPhase,
  type ImportStatus,
} from '../../vocabulary';
import { THAI_LOCALE, type DateEra, type DateOrder, type ImportLocale } from '../../domain/import-locale';
import type { NationalIdScheme } from '../../domain/national-id';
import type { Region } from '../../domain/region';
import type { Queryable } from '../queryable';

export const isTerminal = (imp: Pick<ImportRecord, 'status'>) => isTerminalStatus(imp.status);

export interface ImportRecord extends ImportCounts {
  id: number;
  source: string;
  status: ImportStatus;
  phase: ImportPhase;
  fileName: string;
  fileSha256: string;
  fileBytes: number;
  encoding: string;
  header: { original: string; column: string | null }[];
  options: Record<string, unknown>;
  region: Region;
  nationalIdScheme: NationalIdScheme;
  dateOrder: DateOrder | null;
  dateEra: DateEra | null;
  createdBy: string;
  workflowId: string | null;
  /** Records staged so far (ImportCounts.total): the file's total once stagingState is 'done'. */
  stagingState: StagingState;
  rowsProcessed: number;
  verification: Record<string, unknown> | null;
  rollbackReport: Record<string, unknown> | null;
  phaseLog: { status: string; phase: string; at: string }[];
  failure: { code: string; message: string } | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  /** Set by retention: the staged and rejected records' values are gone, rollback is no longer possible. */
  purgedAt: Date | null;
}

const COLUMNS = `id::int, source, status, phase, file_name AS "fileName", file_sha256 AS "fileSha256", file_bytes::int AS "fileBytes",
  encoding, header, options, region, national_id_scheme AS "nationalIdScheme", date_order AS "dateOrder", date_era AS "dateEra", created_by AS "createdBy", workflow_id AS "workflowId", total, staging_state AS "stagingState", valid, created, linked, updated, skipped,
  rejected, rows_processed AS "rowsProcessed", verification, rollback_report AS "rollbackReport", phase_log AS "phaseLog", failure, created_at AS "createdAt", updated_at AS "updatedAt", finished_at AS "finishedAt", purged_at AS "purgedAt"`;

export interface NewImport {
  source: string;
  fileName: string;
  fileSha256: string;
  fileBytes: number;
  encoding: string;
  header: { original: string; column: string | null }[];
  options: Record<string, unknown>;
  /** Absent: Thai (TH, th, ISO dates). */
  locale?: ImportLocale;
  createdBy: string;
}

/** SET clause that appends a status/phase transition to the import's timeline (every transition writes one). */
const logTransition = (status: string, phase: string) =>
  `phase_log = phase_log || jsonb_build_object('status', ${status}::text, 'phase', ${phase}::text, 'at', now())`;

export async function insertImport(db: Queryable, row: NewImport): Promise<{ id: number; createdAt: Date }> {
  const { rows } = await db.query<{ id: number; createdAt: Date }>(
    `INSERT INTO imports (source, status, phase, file_name, file_sha256, file_bytes, encoding, header, options, created_by, region, national_id_scheme, date_order, date_era)
     VALUES ($1, 'staging', 'staging', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id::int, created_at AS "createdAt"`,
    [
      row.source,
      row.fileName,
      row.fileSha256,
      row.fileBytes,
      row.encoding,
      JSON.stringify(row.header),
      JSON.stringify(row.options),
      row.createdBy,
      ...localeParams(row.locale ?? THAI_LOCALE),
    ],
  );
  return rows[0];
}

function localeParams(l: ImportLocale): (string | null)[] {
  return [l.region, l.nationalIdScheme, l.dateOrder ?? null, l.dateEra ?? null];
}

export async function findImport(db: Queryable, id: number): Promise<ImportRecord | null> {
  const { rows } = await db.query<ImportRecord>(`SELECT ${COLUMNS} FROM imports WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function listImports(
  db: Queryable,
  q: { page: number; pageSize: number; status?: string; source?: string; fileName?: string },
): Promise<{ items: ImportRecord[]; total: number }> {
  // The file name matches as a plain substring: LIKE's wildcards in the search are escaped.
  const where = `WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR source = $2) AND ($3::text IS NULL OR file_name ILIKE '%' || replace(replace(replace($3, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')`;
  const params = [q.status ?? null, q.source ?? null, q.fileName?.trim() || null];
  const [items, count] = await Promise.all([
    db.query<ImportRecord>(`SELECT ${COLUMNS} FROM imports ${where} ORDER BY id DESC LIMIT $4 OFFSET $5`, [
      ...params,
      q.pageSize,
      (q.page - 1) * q.pageSize,
    ]),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM imports ${where}`, params),
  ]);
  return { items: items.rows, total: count.rows[0].n };
}

/** 'streaming': the api goes on staging the rest of the file while the run starts (src/db/queries/staging.ts). */
export type StagingState = 'streaming' | 'done' | 'failed';

/**
 * Staged: the records are durable and the workflow `import-<id>` may start. With `staging` 'streaming'
 * they are the file's first records and `total` counts them; the beat starts.
 */
export async function markQueued(
  db: Queryable,
  id: number,
  total: number,
  workflowId: string,
  staging: Exclude<StagingState, 'failed'> = 'done',
): Promise<void> {
  await db.query(
    `UPDATE imports SET status = 'queued', phase = 'staging', total = $2, workflow_id = $3, updated_at = now(),
       staging_state = $4, staging_beat_at = CASE WHEN $4 = 'streaming' THEN clock_timestamp() END,
       ${logTransition("'queued'", "'staging'")}
     WHERE id = $1`,
    [id, total, workflowId, staging],
  );
}

/** Terminal statuses are final: a late retry of an earlier step must not reopen a finished import. */
export async function setPhase(db: Queryable, id: number, status: ImportStatus, phase: ImportPhase): Promise<void> {
  const finished = TERMINAL_STATUSES.includes(status);
  await db.query(
    `UPDATE imports SET status = $2, phase = $3, updated_at = now(), finished_at = CASE WHEN $4 THEN now() ELSE finished_at END,
       ${logTransition('$2', '$3')}
     WHERE id = $1 AND status <> ALL($5::text[]) AND (status, phase) IS DISTINCT FROM ($2, $3)`,
    [id, status, phase, finished, TERMINAL_STATUSES],
  );
}

export async function recordFailure(
  db: Queryable,
  id: number,
  failure: { code: string; message: string },
): Promise<void> {
  await db.query(`UPDATE imports SET failure = $2, updated_at = now() WHERE id = $1`, [id, JSON.stringify(failure)]);
}

export async function recordVerification(db: Queryable, id: number, report: object): Promise<void> {
  await db.query(`UPDATE imports SET verification = $2, updated_at = now() WHERE id = $1`, [
    id,
    JSON.stringify(report),
  ]);
}

/** Counts come from the ledger, never from adding up what activities reported: retries cannot inflate them. */
export async function refreshCounts(db: Queryable, id: number): Promise<Record<string, number>> {
  const { rows } = await db.query<Record<string, number>>(
    `UPDATE imports i SET
       created = c.created, linked = c.linked, updated = c.updated, skipped = c.skipped, rejected = c.rejected,
       rows_processed = c.processed, updated_at = now()
     FROM (
       SELECT count(*) FILTER (WHERE outcome = 'created')::int AS created,
              count(*) FILTER (WHERE outcome = 'linked')::int AS linked,
              count(*) FILTER (WHERE outcome = 'updated')::int AS updated,
              count(*) FILTER (WHERE outcome = 'skipped')::int AS skipped,
              count(*) FILTER (WHERE outcome = 'rejected')::int AS rejected,
              (SELECT coalesce(sum(last_row - first_row + 1), 0)::int FROM import_batches WHERE import_id = $1) AS processed
       FROM import_outcomes WHERE import_id = $1
     ) c
     WHERE i.id = $1
     RETURNING i.created, i.linked, i.updated, i.skipped, i.rejected`,
    [id],
  );
  return rows[0];
}

export async function setValidCount(db: Queryable, id: number, valid: number): Promise<void> {
  await db.query(`UPDATE imports SET valid = $2, updated_at = now() WHERE id = $1`, [id, valid]);
}

/** Adds a committed batch's counts; runs in the batch's transaction, so it happens exactly once. */
export async function incrementCounts(
  db: Queryable,
  id: number,
  c: Record<string, number>,
  rows: number,
): Promise<void> {
  await db.query(
    `UPDATE imports SET created = created + $2, linked = linked + $3, updated = updated + $4, skipped = skipped + $5,
       rejected = rejected + $6, rows_processed = rows_processed + $7, updated_at = now() WHERE id = $1`,
    [id, c.created ?? 0, c.linked ?? 0, c.updated ?? 0, c.skipped ?? 0, c.rejected ?? 0, rows],
  );
}

/** Rollback may follow any status, a completed import's included. */
export async function markRolledBack(
  db: Queryable,
  id: number,
  status: 'rolled_back' | 'expired' = 'rolled_back',
): Promise<void> {
  await db.query(
    `UPDATE imports SET status = $2, phase = 'done', finished_at = now(), updated_at = now(),
       ${logTransition('$2', "'done'")}
     WHERE id = $1`,
    [id, status],
  );
}

/** For rollback after the fact: the one transition out of a terminal status. */
export async function forcePhase(db: Queryable, id: number, status: ImportStatus, phase: ImportPhase): Promise<void> {
  await db.query(
    `UPDATE imports SET status = $2, phase = $3, updated_at = now(), ${logTransition('$2', '$3')}
     WHERE id = $1`,
    [id, status, phase],
  );
}

/** A dry run being approved: its terminal `validated` is lifted so the real run records its own progress. */
export async function reopenValidated(db: Queryable, id: number): Promise<void> {
  await db.query(
    `UPDATE imports SET status = 'queued', phase = 'staging', finished_at = NULL, updated_at = now(),
       ${logTransition("'queued'", "'staging'")}
     WHERE id = $1 AND status = 'validated'`,
    [id],
  );
}

/** Imports between staging and a final status whose row has not changed since `quietSince`: the reconciler's candidates. */
export async function listQuietUnfinished(db: Queryable, quietSince: Date): Promise<ImportRecord[]> {
  const { rows } = await db.query<ImportRecord>(
    `SELECT ${COLUMNS} FROM imports
      WHERE status <> ALL($1::text[]) AND status <> 'staging' AND workflow_id IS NOT NULL AND updated_at < $2
      ORDER BY id`,
    [TERMINAL_STATUSES, quietSince],
  );
  return rows;
}

/**
 * Takes a queued import that no run has picked up, if it is still quiet since `quietSince`: one
 * reconciler of several wins, and the import's quiet period begins again.
 */
export async function claimUnstarted(db: Queryable, id: number, quietSince: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE imports SET updated_at = now() WHERE id = $1 AND status = 'queued' AND updated_at < $2`,
    [id, quietSince],
  );
  return rowCount === 1;
}
