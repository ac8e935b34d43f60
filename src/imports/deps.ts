import type pg from 'pg';
import type { Clock } from '../domain/clock';
import type { Region } from '../domain/region';
import type { BatchPrefetch } from './batch-prefetch';
import type { WorkerMetrics } from '../observability/worker-metrics';
import type { NotificationSettings } from './notify-import-ended';
import type { FileLimits } from '../files/file-limits';

/** What the use cases need from the outside world; built once by each process entry point. */
export interface ImportDeps {
  pool: pg.Pool;
  clock: Clock;
  /** The worker's batch prepared ahead; without it each batch prepares itself. */
  prefetch?: BatchPrefetch;
  /** HMAC key of national id digests (NATIONAL_ID_HASH_KEY); unset: the development key (api, tests). */
  nationalIdKey?: string;
  /** DEFAULT_REGION: the region of uploads that name none (and whose mapping names none); unset: TH. */
  defaultRegion?: Region;
  /**
   * NEW_CUSTOMER_FK_CHECKS: `auto` (default) writes the rows of a batch's own new customers without
   * their per-row foreign-key checks when the database allows it (src/imports/new-customer-rows.ts);
   * `always` keeps every check.
   */
  newCustomerFkChecks?: 'auto' | 'always';
  /** Bounds on an upload's records and workbook parts (MAX_RECORDS, XLSX_*); unset: the defaults. */
  fileLimits?: FileLimits;
  /** STAGE_CHUNK_RECORDS (api): records staged before the run starts, then per further transaction. */
  stageChunkRecords?: number;
  /** STAGING_BEAT_GRACE_SECONDS (worker): silence of the api staging a file after which the import fails. */
  stagingBeatGraceSeconds?: number;
}

/** What the worker's activities need on top: where to announce an import's end, how long to keep records, what to measure. */
export interface WorkerDeps extends ImportDeps {
  /** Unset: no notifications are sent (the activity records nothing). */
  notifications?: NotificationSettings;
  /** Default 90. */
  retentionDays?: number;
  metrics?: WorkerMetrics;
}

/** Key of the advisory lock every write batch takes: batches of all imports see each other's commits in order. */
export const CUSTOMER_WRITE_LOCK = 7_246_001;
