import type { Queryable } from '../queryable';

export type MergeStatus = 'running' | 'completed' | 'undoing' | 'undone' | 'failed';
export type MergeRule = 'survivor_wins' | 'fill_blanks';

export interface Merge {
  id: number;
  status: MergeStatus;
  groupId: number | null;
  survivorId: number;
  mergedIds: number[];
  rule: MergeRule;
  choices: Record<string, number>;
  createdBy: string;
  workflowId: string | null;
  report: Record<string, unknown> | null;
  failure: { code: string; message: string } | null;
  createdAt: Date;
  finishedAt: Date | null;
  undoneAt: Date | null;
  /** The batch that asked for this merge, if one did. */
  batchId: number | null;
}

const COLUMNS = `id::float8 AS id, status, group_id::float8 AS "groupId", survivor_id::float8 AS "survivorId", merged_ids::float8[] AS "mergedIds", rule, choices,
  created_by AS "createdBy", workflow_id AS "workflowId", report, failure, created_at AS "createdAt", finished_at AS "finishedAt", undone_at AS "undoneAt", batch_id::float8 AS "batchId"`;

export type NewMerge = Pick<Merge, 'groupId' | 'survivorId' | 'mergedIds' | 'rule' | 'choices' | 'createdBy'>;

export async function insertMerge(db: Queryable, m: NewMerge): Promise<Merge> {
  const {
    rows: [row],
  } = await db.query<Merge>(
    `INSERT INTO merges (status, group_id, survivor_id, merged_ids, rule, choices, created_by) VALUES ('running', $1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [m.groupId, m.survivorId, m.mergedIds, m.rule, JSON.stringify(m.choices), m.createdBy],
  );
  return row!;
}

export async function setMergeWorkflow(db: Queryable, mergeId: number, workflowId: string): Promise<void> {
  await db.query(`UPDATE merges SET workflow_id = $2 WHERE id = $1`, [mergeId, workflowId]);
}

export async function findMerge(
  db: Queryable,
  mergeId: number,
  opts: { forUpdate?: boolean } = {},
): Promise<Merge | null> {
  const { rows } = await db.query<Merge>(
    `SELECT ${COLUMNS} FROM merges WHERE id = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`,
    [mergeId],
  );
  return rows[0] ?? null;
}

export async function listMerges(
  db: Queryable,
  q: { page: number; pageSize: number; batchId?: number },
): Promise<{ items: Merge[]; total: number }> {
  const { rows } = await db.query<Merge & { total: string }>(
    `SELECT ${COLUMNS}, count(*) OVER () AS total FROM merges WHERE ($3::bigint IS NULL OR batch_id = $3) ORDER BY id DESC LIMIT $1 OFFSET $2`,
    [q.pageSize, (q.page - 1) * q.pageSize, q.batchId ?? null],
  );
  return { items: rows.map(({ total: _total, ...m }) => m), total: rows.length > 0 ? Number(rows[0]!.total) : 0 };
}

/** A failure is recorded only on a running merge: a completed one stays completed. */
export async function setMergeStatus(
  db: Queryable,
  mergeId: number,
  status: MergeStatus,
  extra: { report?: Record<string, unknown>; failure?: { code: string; message: string } } = {},
): Promise<void> {
  await db.query(
    `UPDATE merges SET status = $2, report = coalesce($3::jsonb, report), failure = coalesce($4::jsonb, failure),
       finished_at = CASE WHEN $2 IN ('completed', 'failed') THEN now() ELSE finished_at END,
       undone_at = CASE WHEN $2 = 'undone' THEN now() ELSE undone_at END
     WHERE id = $1 AND ($2 <> 'failed' OR status = 'running')`,
    [
      mergeId,
      status,
      extra.report ? JSON.stringify(extra.report) : null,
      extra.failure ? JSON.stringify(extra.failure) : null,
    ],
  );
}

/** Customers that are gone or already merged: a merge naming one is refused. */
export async function unmergeableCustomers(
  db: Queryable,
  ids: readonly number[],
): Promise<{ missing: number[]; merged: number[] }> {
  const { rows } = await db.query<{ id: number; found: boolean; merged: boolean }>(
    `SELECT i::float8 AS id, c.id IS NOT NULL AS found, c.merged_into IS NOT NULL AS merged FROM unnest($1::bigint[]) AS i LEFT JOIN customers c ON c.id = i`,
    [ids],
  );
  return {
    missing: rows.filter((r) => !r.found).map((r) => r.id),
    merged: rows.filter((r) => r.found && r.merged).map((r) => r.id),
  };
}

/**
 * Completed merges of customers this import created, as survivor or as merged one, latest first:
 * the order an undo must take when a later merge built on an earlier one.
 */
export async function mergesOfImportCustomers(db: Queryable, importId: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT m.id::float8 AS id FROM merges m
     WHERE m.status = 'completed' AND EXISTS (SELECT 1 FROM customers c WHERE c.import_id = $1 AND (c.id = m.survivor_id OR c.id = ANY(m.merged_ids)))
     ORDER BY m.id DESC`,
    [importId],
  );
  return rows.map((r) => r.id);
}
