import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPool } from '../../src/db/pool';
import { systemClock } from '../../src/domain/clock';
import { BatchPrefetch } from '../../src/imports/batch-prefetch';
import type { BatchRange } from '../../src/imports/batch-range';
import { importBatch } from '../../src/imports/import-batch';
import type { PreparedBatch } from '../../src/imports/prepare-batch';
import { stageQueuedNanaImport } from '../support/staged-import';
import { createTestDatabase, dropTestDatabase } from '../support/test-database';

// A batch starts preparing the next range only once its own lookups have answered: started with
// the batch, the next range's reads and checks took the cores from the lookups (BENCHMARKS.md).
const name = `ferry_prefetch_${randomBytes(4).toString('hex')}`;
let pool: pg.Pool;
let importId: number;
const RECORDS = 20;

beforeAll(async () => {
  pool = createPool(await createTestDatabase(name), 10);
  ({ id: importId } = await stageQueuedNanaImport(
    pool,
    Array.from({ length: RECORDS }, (_, i) => ({
      nana_cus_id: `PF-${i}`,
      firstname: `First${i}`,
      lastname: 'Prefetch',
      phone: `0881${String(i).padStart(6, '0')}`,
    })),
  ));
});
afterAll(async () => {
  await pool?.end();
  await dropTestDatabase(name);
});

/** What happened, in order: each pool query asked and answered, each statement of the batch's transaction, the prefetch's start and claims. */
function recorded(log: string[]) {
  const sqlOf = (q: unknown) =>
    (typeof q === 'string' ? q : ((q as { text?: string }).text ?? '')).replace(/\s+/g, ' ').trim().slice(0, 40);
  const tracked = new Proxy(pool, {
    get(target, prop) {
      if (prop === 'query') {
        return async (text: string, values?: unknown[]) => {
          const n = log.push(`lookup asked: ${sqlOf(text)}`);
          const result = await target.query(text, values);
          log.push(`lookup answered #${n - 1}`);
          return result;
        };
      }
      if (prop === 'connect') {
        return async () => {
          const client = await target.connect();
          const query = client.query.bind(client) as (...a: unknown[]) => unknown;
          (client as unknown as { query: unknown }).query = (q: unknown, ...rest: unknown[]) => (
            log.push(`batch: ${sqlOf(q)}`),
            query(q, ...rest)
          );
          return client;
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  class TrackedPrefetch extends BatchPrefetch {
    start(id: number, range: BatchRange, checkedThrough: number, prepare: () => Promise<PreparedBatch>): void {
      log.push(`prefetch ${range.firstRow}-${range.lastRow}`);
      super.start(id, range, checkedThrough, prepare);
    }
    claim(id: number, range: BatchRange, checkedThrough: number): Promise<PreparedBatch> | null {
      const batch = super.claim(id, range, checkedThrough);
      log.push(`claim ${range.firstRow}-${range.lastRow}: ${batch ? 'prepared' : 'none'}`);
      return batch;
    }
  }
  return { pool: tracked as pg.Pool, clock: systemClock, prefetch: new TrackedPrefetch() };
}

it('prepares the next range once the batch has its lookups, before it writes, and hands it to the next batch', async () => {
  const log: string[] = [];
  const deps = recorded(log);
  await importBatch(deps, importId, { firstRow: 1, lastRow: 10 }, RECORDS);
  const at = (pattern: RegExp) => log.findIndex((e) => pattern.test(e));
  const prefetch = at(/^prefetch 11-20$/);
  const lockTaken = at(/^batch: SELECT pg_advisory_xact_lock/);
  const firstWrite = at(/^batch: (COPY|INSERT|UPDATE)/);
  expect(lockTaken).toBeGreaterThan(-1);
  expect(prefetch).toBeGreaterThan(lockTaken);
  expect(firstWrite).toBeGreaterThan(prefetch);
  expect(at(/^batch: COMMIT/)).toBeGreaterThan(prefetch);
  // The lookups: the pool's queries asked under the lock, each answered before the prefetch started.
  const lookups = log
    .map((e, i) => [e, i] as const)
    .filter(([e, i]) => i > lockTaken && i < prefetch && e.startsWith('lookup asked'));
  expect(lookups.length).toBeGreaterThanOrEqual(3);
  for (const [, i] of lookups) expect(at(new RegExp(`^lookup answered #${i}$`))).toBeLessThan(prefetch);

  await importBatch(deps, importId, { firstRow: 11, lastRow: 20 }, RECORDS);
  expect(log).toContain('claim 11-20: prepared');
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM customers WHERE import_id = $1`, [importId]);
  expect(rows[0].n).toBe(RECORDS);
});
