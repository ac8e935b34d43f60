import { setTimeout as delay } from 'node:timers/promises';
import { readStaging } from '../db/queries/staging';
import { FerryError } from '../errors';
import type { ImportDeps } from './deps';
import { DEFAULT_STAGING_BEAT_GRACE_SECONDS } from './staging-defaults';

/** How often a waiting step looks at the staged mark: a chunk commits every fraction of a second. */
export const STAGING_POLL_MS = 250;

export interface StagedMark {
  /** Records staged so far; the file's total once `done`. */
  total: number;
  done: boolean;
}

/**
 * Between two looks at the mark: an activity heartbeats here (and learns of a cancel), then sleeps
 * STAGING_POLL_MS. Outside an activity it only sleeps.
 */
export type StagingPause = () => Promise<void>;

export const sleepBetweenLooks: StagingPause = () => delay(STAGING_POLL_MS);

/**
 * Waits until the import's records through `row` are staged, or its staging ended (the file held
 * fewer). Fails for good when the api found the file bad after the run started (the file's own code
 * and message, as the upload's answer carries them), or when the api staging it went silent for the
 * grace period: its temporary upload is gone with it, nothing can resume the staging.
 */
export async function awaitStaged(
  deps: ImportDeps,
  importId: number,
  row: number,
  pause: StagingPause = sleepBetweenLooks,
): Promise<StagedMark> {
  const grace = deps.stagingBeatGraceSeconds ?? DEFAULT_STAGING_BEAT_GRACE_SECONDS;
  for (;;) {
    const staging = await readStaging(deps.pool, importId, grace);
    if (staging.state === 'failed') {
      const failure = staging.failure ?? { code: 'STAGING_FAILED', message: 'staging the file failed' };
      throw new FerryError(failure.code, failure.message, 422);
    }
    if (staging.state === 'done' || staging.total >= row)
      return { total: staging.total, done: staging.state === 'done' };
    if (staging.stale)
      throw new FerryError(
        'STAGING_ABANDONED',
        `the api staging the file stopped (no staged records for ${grace} s) after ${staging.total} records; upload the file again`,
        409,
      );
    await pause();
  }
}
