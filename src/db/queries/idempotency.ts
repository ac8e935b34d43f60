import type { Queryable } from '../queryable';

/** Deduplication of uploads: `Idempotency-Key` per caller, and the same file re-sent within a short window. */

export interface IdempotencyKeyRow {
  importId: number | null;
  fileSha256: string;
  source: string;
}

export async function findIdempotencyKey(db: Queryable, actor: string, key: string): Promise<IdempotencyKeyRow | null> {
  const { rows } = await db.query<IdempotencyKeyRow>(
    `SELECT import_id::int AS "importId", file_sha256 AS "fileSha256", source FROM idempotency_keys WHERE actor = $1 AND key = $2`,
    [actor, key],
  );
  return rows[0] ?? null;
}

/**
 * Claims the key inside the staging transaction. A concurrent claim of the same key waits on the primary
 * key until this transaction ends, then finds the row taken: false means another request owns the key.
 */
export async function claimIdempotencyKey(
  db: Queryable,
  row: { actor: string; key: string; fileSha256: string; source: string },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO idempotency_keys (actor, key, file_sha256, source) VALUES ($1, $2, $3, $4) ON CONFLICT (actor, key) DO NOTHING`,
    [row.actor, row.key, row.fileSha256, row.source],
  );
  return rowCount === 1;
}

export async function bindIdempotencyKey(db: Queryable, actor: string, key: string, importId: number): Promise<void> {
  await db.query(`UPDATE idempotency_keys SET import_id = $3 WHERE actor = $1 AND key = $2`, [actor, key, importId]);
}

/** Serialises uploads of one file by one caller to one source until the transaction ends. */
export async function lockUploadOf(db: Queryable, actor: string, source: string, fileSha256: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`upload:${actor}:${source}:${fileSha256}`]);
}

/**
 * The newest import of this file by this caller to this source, created in the last `withinSeconds`
 * and not finished. The window is measured on the database's clock, which wrote created_at.
 */
export async function findRunningDuplicate(
  db: Queryable,
  q: { actor: string; source: string; fileSha256: string; withinSeconds: number; terminal: string[] },
): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT id::int FROM imports
      WHERE created_by = $1 AND source = $2 AND file_sha256 = $3 AND created_at >= now() - make_interval(secs => $4) AND status <> ALL($5::text[])
      ORDER BY id DESC LIMIT 1`,
    [q.actor, q.source, q.fileSha256, q.withinSeconds, q.terminal],
  );
  return rows[0]?.id ?? null;
}
