import type pg from 'pg';
import { pgArray, pgArrayOf } from '../array-literal';
import { copyRows } from '../copy-rows';
import type { Queryable } from '../queryable';
import { probeEach } from './distinct-values';
import { TERMINAL_STATUSES } from '../../vocabulary';

/** One key's history row, for probeEach; `sourceParam` names the parameter holding the source. */
const syncedKey = (sourceParam: string) =>
  `SELECT s.* FROM sync_history s WHERE s.source = ${sourceParam} AND s.original_key = u.v`;

export interface SyncedRecord {
  id: number;
  customerId: number;
  hash: string | null;
  importId: number | null;
}

/** Sync history of these keys of a source. */
export async function findSynced(db: Queryable, source: string, keys: string[]): Promise<Map<string, SyncedRecord>> {
  if (keys.length === 0) return new Map();
  const { rows } = await db.query<SyncedRecord & { key: string }>(
    `SELECT x.original_key AS key, x.id::float8 AS id, x.customer_id::float8 AS "customerId", x.hash, x.import_id::float8 AS "importId"
     FROM ${probeEach('$2::text[]', syncedKey('$1'))}`,
    [source, pgArrayOf(keys)],
  );
  return new Map(rows.map(({ key, ...r }) => [key, r]));
}

export interface SyncWrite {
  key: string;
  customerId: number;
  hash: string;
}

/**
 * Records synced keys. A key already in the history is updated after its previous state is kept
 * as a before-image, so rollback can put it back; new keys are inserted with the import's id.
 * `prior` is the history of these keys as the caller just read it under the write lock: only
 * keys another import wrote need a before-image, so a first import skips that statement.
 * A key missing from `prior` that exists after all (a caller's bug) fails the batch on the
 * unique index rather than being overwritten without its before-image.
 */
export async function writeSyncHistory(
  client: pg.PoolClient,
  importId: number,
  source: string,
  rows: SyncWrite[],
  prior: ReadonlyMap<string, { importId: number | null }>,
): Promise<void> {
  if (rows.length === 0) return;
  const last = new Map(rows.map((r) => [r.key, r]));
  const overwritten = [...last.keys()].filter((key) => prior.has(key) && prior.get(key)!.importId !== importId);
  if (overwritten.length > 0) {
    await client.query(
      `INSERT INTO import_before_images (import_id, table_name, row_id, before)
       SELECT $1, 'sync_history', x.id, jsonb_build_object('customer_id', x.customer_id, 'hash', x.hash, 'import_id', x.import_id, 'synced_at', x.synced_at)
       FROM ${probeEach('$3::text[]', syncedKey('$2'))} WHERE x.import_id IS DISTINCT FROM $1
       ON CONFLICT DO NOTHING`,
      [importId, source, pgArrayOf(overwritten)],
    );
  }
  // The keys' presence is known from `prior`, so plain INSERT and UPDATE do what an upsert would
  // without its speculative insertion per row (a third of this write's time at 1M records).
  const fresh = [...last.values()].filter((r) => !prior.has(r.key));
  const known = [...last.values()].filter((r) => prior.has(r.key));
  await copyRows(client, 'sync_history (source, original_key, customer_id, hash, import_id)', fresh, [
    () => source,
    (r) => r.key,
    (r) => r.customerId,
    (r) => r.hash,
    () => importId,
  ]);
  if (known.length > 0) {
    await client.query(
      `UPDATE sync_history s SET customer_id = u.c, hash = u.h, import_id = $1, synced_at = now()
       FROM unnest($3::text[], $4::bigint[], $5::text[]) AS u(k, c, h) WHERE s.source = $2 AND s.original_key = u.k`,
      [
        importId,
        source,
        pgArray(known, (r) => r.key),
        pgArray(known, (r) => r.customerId),
        pgArray(known, (r) => r.hash),
      ],
    );
  }
}

export interface SyncedKey {
  customerId: number;
  hash: string | null;
  importId: number | null;
  /** Written by `importId` itself or by an import that has not finished yet. */
  open: boolean;
}

/**
 * Sync history of these keys, each row flagged when the import that wrote it is still in
 * progress (this import, or one running beside it): such a key is being synced right now.
 * The imports still in progress are read once, as an array (an init plan; they are a handful):
 * joined to each key's row, the planner scanned the whole imports table once per key (12 pages a
 * key, 102,000 buffer reads in a batch of 9,000 keys, on a database holding one import), and as
 * `IN (SELECT …)` it planned the same scan per key, only not yet executed.
 */
export async function findSyncHistory(
  db: Queryable,
  source: string,
  keys: string[],
  importId: number,
): Promise<Map<string, SyncedKey>> {
  if (keys.length === 0) return new Map();
  const { rows } = await db.query<SyncedKey & { key: string }>(
    `SELECT x.original_key AS key, x.customer_id::float8 AS "customerId", x.hash, x.import_id::float8 AS "importId",
            coalesce(x.import_id = $3 OR x.import_id = ANY((SELECT array_agg(i.id) FROM imports i WHERE NOT (i.status = ANY($4::text[])))::bigint[]), false) AS open
     FROM ${probeEach('$2::text[]', syncedKey('$1'))}`,
    [source, pgArrayOf(keys), importId, TERMINAL_STATUSES],
  );
  return new Map(rows.map(({ key, ...r }) => [key, r]));
}
