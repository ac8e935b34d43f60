import type { Queryable } from '../queryable';
import type { MergeRule } from './merges';

export interface MergeBatch {
  id: number;
  status: 'running' | 'completed' | 'failed';
  createdBy: string;
  workflowId: string | null;
  counts: { merges: number; completed: number; refused: number };
  failure: { code: string; message: string } | null;
  createdAt: Date;
  finishedAt: Date | null;
}

const COLUMNS_BUT_COUNTS = `id::float8 AS id, status, created_by AS "createdBy", workflow_id AS "workflowId", failure, created_at AS "createdAt", finished_at AS "finishedAt"`;
const COLUMNS = `${COLUMNS_BUT_COUNTS}, counts`;

const LIVE_COUNTS = `SELECT jsonb_build_object('merges', count(*), 'completed', count(*) FILTER (WHERE m.status IN ('completed', 'undoing', 'undone')), 'refused', count(*) FILTER (WHERE m.status = 'failed'))
  FROM merges m WHERE m.batch_id = b.id`;

/** Which groups a batch merges: a scan's groups from a score up, or groups named one by one. */
export type BatchGroups = { scanId: number; minScore: number } | { groupIds: number[] };

/**
 * Records the batch and one running merge per group (its lowest customer id survives, as for a
 * single group), in one statement each, so the workflow only ever walks merges that exist.
 */
export async function insertMergeBatch(
  db: Queryable,
  groups: BatchGroups,
  rule: MergeRule,
  createdBy: string,
): Promise<MergeBatch> {
  const {
    rows: [batch],
  } = await db.query<MergeBatch>(
    `INSERT INTO merge_batches (status, created_by, counts) VALUES ('running', $1, '{"merges": 0, "completed": 0, "refused": 0}') RETURNING ${COLUMNS}`,
    [createdBy],
  );
  const [where, params] =
    'scanId' in groups
      ? ['g.scan_id = $4 AND g.score >= $5', [groups.scanId, groups.minScore]]
      : ['g.id = ANY($4::bigint[])', [groups.groupIds]];
  const { rowCount } = await db.query(
    `INSERT INTO merges (status, group_id, survivor_id, merged_ids, rule, choices, created_by, batch_id)
     SELECT 'running', g.id, g.customer_ids[1], g.customer_ids[2:], $2, '{}', $3, $1 FROM dedupe_groups g WHERE ${where} ORDER BY g.id`,
    [batch!.id, rule, createdBy, ...params],
  );
  const counts = { merges: rowCount ?? 0, completed: 0, refused: 0 };
  await db.query(`UPDATE merge_batches SET counts = $2 WHERE id = $1`, [batch!.id, JSON.stringify(counts)]);
  return { ...batch!, counts };
}

export async function setMergeBatchWorkflow(db: Queryable, batchId: number, workflowId: string): Promise<void> {
  await db.query(`UPDATE merge_batches SET workflow_id = $2 WHERE id = $1`, [batchId, workflowId]);
}

/** A running batch's counts are its merges as they stand, so that a reader sees it progress. */
export async function findMergeBatch(db: Queryable, batchId: number): Promise<MergeBatch | null> {
  const { rows } = await db.query<MergeBatch>(
    `SELECT ${COLUMNS_BUT_COUNTS}, CASE WHEN status = 'running' THEN (${LIVE_COUNTS}) ELSE counts END AS counts
     FROM merge_batches b WHERE id = $1`,
    [batchId],
  );
  return rows[0] ?? null;
}

/** The batch's merges still to run after `afterId`, in id order (a retried step skips the ones it finished). */
export async function pendingBatchMerges(
  db: Queryable,
  batchId: number,
  afterId: number,
  limit: number,
): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT id::float8 AS id FROM merges WHERE batch_id = $1 AND id > $2 AND status = 'running' ORDER BY id LIMIT $3`,
    [batchId, afterId, limit],
  );
  return rows.map((r) => r.id);
}

/** Counts the batch's merges as they stand and closes it; running it again gives the same counts. */
export async function finishMergeBatch(
  db: Queryable,
  batchId: number,
  status: 'completed' | 'failed',
  failure: { code: string; message: string } | null = null,
): Promise<MergeBatch['counts']> {
  const {
    rows: [counts],
  } = await db.query<MergeBatch['counts']>(
    `UPDATE merge_batches b SET status = $2, failure = coalesce($3::jsonb, b.failure), finished_at = coalesce(b.finished_at, now()),
       counts = (${LIVE_COUNTS})
     WHERE b.id = $1 RETURNING (counts->>'merges')::int AS merges, (counts->>'completed')::int AS completed, (counts->>'refused')::int AS refused`,
    [batchId, status, failure ? JSON.stringify(failure) : null],
  );
  return counts!;
}
