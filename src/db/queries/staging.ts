import type { Queryable } from '../queryable';
import type { StagingState } from './imports';

// A large file is staged in chunks while its run imports the first ones: each chunk's transaction
// raises the import's total (the staged high-water mark) and its beat. Beats use clock_timestamp():
// now() is the transaction's start, which a long COPY would leave behind.

/** Commits a chunk's mark: `total` records of the file are staged. */
export async function recordStagedChunk(db: Queryable, id: number, total: number): Promise<void> {
  await db.query(
    `UPDATE imports SET total = $2, staging_beat_at = clock_timestamp() WHERE id = $1 AND staging_state = 'streaming'`,
    [id, total],
  );
}

/** The file's last record is staged: `total` is final. Status and phase stay the run's. */
export async function finishStaging(db: Queryable, id: number, total: number): Promise<void> {
  await db.query(
    `UPDATE imports SET total = $2, staging_state = 'done', staging_beat_at = clock_timestamp()
     WHERE id = $1 AND staging_state = 'streaming'`,
    [id, total],
  );
}

/** The file turned out bad after its run started: the run's next wait fails the import with this failure. */
export async function failStaging(
  db: Queryable,
  id: number,
  failure: { code: string; message: string },
): Promise<void> {
  await db.query(
    `UPDATE imports SET staging_state = 'failed', failure = $2, updated_at = now()
     WHERE id = $1 AND staging_state = 'streaming'`,
    [id, JSON.stringify(failure)],
  );
}

export interface StagingProgress {
  total: number;
  state: StagingState;
  failure: { code: string; message: string } | null;
  /** No beat for `graceSeconds` by the database's clock (the api's and the worker's may differ). */
  stale: boolean;
}

export async function readStaging(db: Queryable, id: number, graceSeconds: number): Promise<StagingProgress> {
  const { rows } = await db.query<StagingProgress>(
    `SELECT total, staging_state AS state, failure,
       coalesce(staging_beat_at < clock_timestamp() - make_interval(secs => $2), false) AS stale
     FROM imports WHERE id = $1`,
    [id, graceSeconds],
  );
  return rows[0];
}
