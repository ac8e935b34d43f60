import type pg from 'pg';
import type { Clock } from '../domain/clock';
import type { WorkerMetrics } from '../observability/worker-metrics';
import type { NotificationSettings } from './notify-import-ended';

/** What the use cases need from the outside world; built once by each process entry point. */
export interface ImportDeps {
  pool: pg.Pool;
  clock: Clock;
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
