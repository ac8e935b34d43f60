import type { Queryable } from '../queryable';
import type { Group, ScoredPair } from '../../domain/dedupe/connected-groups';
import type { ScanScope } from './dedupe-matching';

export type DedupeStatus = 'running' | 'completed' | 'failed';

export interface DedupeScan {
  id: number;
  status: DedupeStatus;
  scope: ScanScope;
  counts: { customers: number; pairs: number; groups: number };
  workflowId: string | null;
  createdBy: string;
  failure: { code: string; message: string } | null;
  createdAt: Date;
  finishedAt: Date | null;
}

const SCAN_COLUMNS = `id::int, status, scope, counts, workflow_id AS "workflowId", created_by AS "createdBy", failure, created_at AS "createdAt", finished_at AS "finishedAt"`;

export async function insertScan(db: Queryable, scope: ScanScope, createdBy: string): Promise<DedupeScan> {
  const {
    rows: [scan],
  } = await db.query<DedupeScan>(
    `INSERT INTO dedupe_scans (status, scope, created_by) VALUES ('running', $1, $2) RETURNING ${SCAN_COLUMNS}`,
    [JSON.stringify(scope), createdBy],
  );
  return scan!;
}

export async function setScanWorkflow(db: Queryable, scanId: number, workflowId: string): Promise<void> {
  await db.query(`UPDATE dedupe_scans SET workflow_id = $2 WHERE id = $1`, [scanId, workflowId]);
}

export async function findScan(db: Queryable, scanId: number): Promise<DedupeScan | null> {
  const { rows } = await db.query<DedupeScan>(`SELECT ${SCAN_COLUMNS} FROM dedupe_scans WHERE id = $1`, [scanId]);
  return rows[0] ?? null;
}

export async function addScanCounts(db: Queryable, scanId: number, add: Partial<DedupeScan['counts']>): Promise<void> {
  await db.query(
    `UPDATE dedupe_scans SET counts = jsonb_build_object(
       'customers', (counts->>'customers')::int + $2, 'pairs', (counts->>'pairs')::int + $3, 'groups', (counts->>'groups')::int + $4)
     WHERE id = $1`,
    [scanId, add.customers ?? 0, add.pairs ?? 0, add.groups ?? 0],
  );
}

/** The final status, once: a retried or late call does not overwrite it. */
export async function finishScan(
  db: Queryable,
  scanId: number,
  status: Exclude<DedupeStatus, 'running'>,
  failure?: { code: string; message: string },
): Promise<void> {
  await db.query(
    `UPDATE dedupe_scans SET status = $2, failure = $3, finished_at = now() WHERE id = $1 AND status = 'running'`,
    [scanId, status, failure ? JSON.stringify(failure) : null],
  );
}

/** Smallest and largest customer id: the ranges a scan walks. */
export async function customerIdBounds(db: Queryable): Promise<{ minId: number; maxId: number } | null> {
  const {
    rows: [r],
  } = await db.query<{ min: string | null; max: string | null }>(
    `SELECT min(id) AS min, max(id) AS max FROM customers`,
  );
  return r?.min == null ? null : { minId: Number(r.min), maxId: Number(r.max) };
}

export async function dropScanPairs(db: Queryable, scanId: number): Promise<void> {
  await db.query(`DELETE FROM dedupe_pairs WHERE scan_id = $1`, [scanId]);
}

export async function readMatchedPairs(db: Queryable, scanId: number): Promise<ScoredPair[]> {
  const { rows } = await db.query<ScoredPair>(
    `SELECT left_id::float8 AS "leftId", right_id::float8 AS "rightId", score, reasons FROM dedupe_pairs WHERE scan_id = $1 AND score IS NOT NULL`,
    [scanId],
  );
  return rows;
}

/** Replaces the scan's groups (a retry writes the same ones again). */
export async function saveGroups(db: Queryable, scanId: number, groups: readonly Group[]): Promise<void> {
  await db.query(`DELETE FROM dedupe_groups WHERE scan_id = $1`, [scanId]);
  await db.query(
    `INSERT INTO dedupe_groups (scan_id, score, reasons, customer_ids)
     SELECT $1, g.score, g.reasons, g."customerIds" FROM jsonb_to_recordset($2::jsonb) AS g(score float8, reasons jsonb, "customerIds" bigint[])
     ORDER BY g.score DESC, g."customerIds"[1]`,
    [scanId, JSON.stringify(groups.map((g) => ({ ...g, customerIds: `{${g.customerIds.join(',')}}` })))],
  );
  await db.query(`UPDATE dedupe_scans SET counts = jsonb_set(counts, '{groups}', to_jsonb($2::int)) WHERE id = $1`, [
    scanId,
    groups.length,
  ]);
}

export interface GroupCustomer {
  id: number;
  firstName: string;
  lastName: string;
  gender: string | null;
  dateOfBirth: string | null;
  phones: string[];
  emails: string[];
  sources: string[];
  /** The survivor it was merged into since the scan (null: still active). */
  mergedInto: number | null;
}

export interface DedupeGroup {
  id: number;
  scanId: number;
  score: number;
  reasons: Record<string, unknown>[];
  customerIds: number[];
}

const GROUP_COLUMNS = `id::float8 AS id, scan_id::float8 AS "scanId", score, reasons, customer_ids::float8[] AS "customerIds"`;

export async function listGroups(
  db: Queryable,
  scanId: number,
  q: { page: number; pageSize: number; minScore: number },
): Promise<{ items: DedupeGroup[]; total: number }> {
  const { rows } = await db.query<DedupeGroup & { total: string }>(
    `SELECT ${GROUP_COLUMNS}, count(*) OVER () AS total FROM dedupe_groups WHERE scan_id = $1 AND score >= $2 ORDER BY score DESC, id LIMIT $3 OFFSET $4`,
    [scanId, q.minScore, q.pageSize, (q.page - 1) * q.pageSize],
  );
  return { items: rows.map(({ total: _total, ...g }) => g), total: rows.length > 0 ? Number(rows[0]!.total) : 0 };
}

export async function findGroup(db: Queryable, groupId: number): Promise<DedupeGroup | null> {
  const { rows } = await db.query<DedupeGroup>(`SELECT ${GROUP_COLUMNS} FROM dedupe_groups WHERE id = $1`, [groupId]);
  return rows[0] ?? null;
}

/** Customers side by side for review, with their phones, e-mails and the sources that know them. */
export async function groupCustomers(db: Queryable, ids: readonly number[]): Promise<GroupCustomer[]> {
  const { rows } = await db.query<GroupCustomer>(
    `SELECT c.id::float8 AS id, c.first_name AS "firstName", c.last_name AS "lastName", c.gender, c.date_of_birth::text AS "dateOfBirth",
            array(SELECT phone FROM customer_phones WHERE customer_id = c.id ORDER BY id) AS phones,
            array(SELECT email FROM customer_emails WHERE customer_id = c.id ORDER BY id) AS emails,
            array(SELECT DISTINCT source FROM customer_relations WHERE customer_id = c.id AND active ORDER BY source) AS sources,
            c.merged_into::float8 AS "mergedInto"
     FROM customers c WHERE c.id = ANY($1::bigint[]) ORDER BY c.id`,
    [ids],
  );
  return rows;
}
