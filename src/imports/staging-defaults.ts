/**
 * A chunk is staged in well under a second: the run starts that soon, and its first batches never
 * catch up with the file, which stages several times faster than it imports.
 */
export const DEFAULT_STAGE_CHUNK_RECORDS = 50_000;

/** An api beats at every chunk it commits; a minute without one is an api gone, not a slow one. */
export const DEFAULT_STAGING_BEAT_GRACE_SECONDS = 60;
