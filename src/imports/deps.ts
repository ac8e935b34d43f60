import type pg from 'pg';
import type { Clock } from '../domain/clock';

/** What the use cases need from the outside world; built once by each process entry point. */
export interface ImportDeps {
  pool: pg.Pool;
  clock: Clock;
}

/** Key of the advisory lock every write batch takes: batches of all imports see each other's commits in order. */
export const CUSTOMER_WRITE_LOCK = 7_246_001;
