import type pg from 'pg';
import { pgArrayOf } from '../array-literal';
import type { Queryable } from '../queryable';
import { deleteCustomerChunk } from './rollback-customers';

/** Tables whose rows carry the import that wrote them, deleted before the customers they reference. */
const CHILD_TABLES = [
  'customer_phones',
  'customer_emails',
  'customer_companies',
  'customer_relations',
  'sync_history',
  'points_transactions',
  'purchases',
  'customer_identities',
  'customer_addresses',
  'customer_amounts',
  'customer_attributes',
] as const;
const REFERENCING_TABLES = [
  'customer_phones',
  'customer_emails',
  'customer_companies',
  'customer_relations',
  'points_transactions',
  'purchases',
  'customer_identities',
  'customer_addresses',
  'customer_amounts',
  'customer_attributes',
] as const;

/**
 * Rows an import changed go back to their before-images (taken before the import's first change),
 * each image consumed as it is applied, so a re-run restores nothing twice. Runs before the deletes:
 * a restored sync_history row carries its earlier import id again and stays. A chunk is the images'
 * key range ($2, $3], and the rows they restore (id = row_id) are bounded by the same range: chosen
 * by a list of ids or by `LIMIT`, PostgreSQL scans the whole image table and the whole restored
 * table for every chunk.
 */
const RESTORE_BEFORE_IMAGES = [
  {
    table: 'customers',
    sql: `WITH b AS (DELETE FROM import_before_images WHERE import_id = $1 AND table_name = 'customers' AND row_id > $2 AND row_id <= $3 RETURNING row_id, before)
          UPDATE customers c SET first_name = b.before->>'first_name', last_name = b.before->>'last_name', gender = b.before->>'gender',
            date_of_birth = (b.before->>'date_of_birth')::date FROM b WHERE c.id = b.row_id AND c.id > $2 AND c.id <= $3`,
  },
  {
    table: 'sync_history',
    sql: `WITH b AS (DELETE FROM import_before_images WHERE import_id = $1 AND table_name = 'sync_history' AND row_id > $2 AND row_id <= $3 RETURNING row_id, before)
          UPDATE sync_history s SET customer_id = (b.before->>'customer_id')::bigint, hash = b.before->>'hash',
            import_id = (b.before->>'import_id')::bigint, synced_at = (b.before->>'synced_at')::timestamptz FROM b WHERE s.id = b.row_id AND s.id > $2 AND s.id <= $3`,
  },
  {
    // The value and its writer come back, so the delete of the import's own rows that follows leaves it.
    table: 'customer_attributes',
    sql: `WITH b AS (DELETE FROM import_before_images WHERE import_id = $1 AND table_name = 'customer_attributes' AND row_id > $2 AND row_id <= $3 RETURNING row_id, before)
          UPDATE customer_attributes a SET value = b.before->>'value', import_id = (b.before->>'import_id')::bigint
          FROM b WHERE a.id = b.row_id AND a.id > $2 AND a.id <= $3`,
  },
];

/** Every table a rollback's statements read or change. */
const ROLLBACK_TABLES = [
  'customers',
  ...CHILD_TABLES,
  'import_before_images',
  'import_rollback_kept',
  'import_outcomes',
  'import_errors',
  'import_batches',
];

/**
 * Fresh statistics for the rollback's plans. Taken before a large import (autovacuum off, or not yet
 * round after it), they count the import's rows as none, and PostgreSQL plans the preview's counts
 * as a loop over every customer of the import for every phone of it, which does not end on a large
 * import. ANALYZE samples a bounded number of rows per table, so it stays short whatever the size;
 * a table the role does not own is skipped with a warning.
 */
export async function refreshRollbackStatistics(db: Queryable): Promise<void> {
  await db.query(`ANALYZE ${ROLLBACK_TABLES.join(', ')}`);
}

export interface RollbackPreview {
  remove: { customers: number; phones: number; emails: number; companies: number; relations: number };
  restore: { relations: number; updatedRows?: number };
  /** Customers this import created that later work uses, and the pairs it moved that stay deactivated. */
  keep: { customers: number; customerIds: number[]; relationsNotRestored: number };
  /**
   * Rows not of this import that go with the customers it removes, by table (tables with none left
   * out): with force, everything later work hung on them; without, later imports' sync history.
   */
  laterWork: Record<string, number>;
  force: boolean;
  /**
   * Completed merges of customers this import created, latest first: the rollback undoes them
   * before it removes anything (each with what its undo would keep). The counts above are of the
   * CRM as it stands, before those undos.
   */
  merges?: { mergeId: number; keepsLaterWork: boolean }[];
}

/** A customer of this import that a row from anywhere else points at. */
const usedElsewhere = (alias: string) =>
  REFERENCING_TABLES.map(
    (t) => `EXISTS (SELECT 1 FROM ${t} x WHERE x.customer_id = ${alias}.id AND x.import_id IS DISTINCT FROM $1)`,
  ).join(' OR ');

/**
 * A pair this import deactivated that cannot come back: its id has another active pair the rollback
 * leaves in place, one of another import or of a customer it keeps (`isKept` names one by
 * `a.customer_id`). The import's own pairs of the customers it removes do not count: they go before
 * the pairs are restored, and an id the import moved to another customer is exactly that case.
 * `asProbe` adds OFFSET 0, which keeps it a per-pair subplan rather than a join.
 */
const takenOver = (isKept: string, asProbe = false) =>
  `EXISTS (SELECT 1 FROM customer_relations a WHERE a.source = r.source AND a.original_id = r.original_id AND a.active
             AND (a.import_id IS DISTINCT FROM $1 OR ${isKept})${asProbe ? ' OFFSET 0' : ''})`;
/** In the preview, whose `kept` is the set it counts. */
const TAKEN_OVER = takenOver('EXISTS (SELECT 1 FROM kept WHERE kept.id = a.customer_id)');

/** Customers of this import that later work uses, as the CRM stands now. */
const KEPT_NOW = `SELECT c.id FROM customers c WHERE c.import_id = $1 AND (${usedElsewhere('c')})`;
/** The set a started rollback recorded under the write lock: its plan then counts exactly what it keeps. */
const KEPT_RECORDED = `SELECT k.customer_id AS id FROM import_rollback_kept k WHERE k.import_id = $1`;
const KEPT_NONE = `SELECT NULL::bigint AS id WHERE false`;

/**
 * What a rollback would do, in one statement (one snapshot). The kept set is computed once and
 * materialised: evaluated per counted row, its probes per customer would run once for every count.
 */
export async function previewRollback(
  db: Queryable,
  importId: number,
  force: boolean,
  kept: 'now' | 'recorded' = 'now',
): Promise<RollbackPreview> {
  const keptSql = force ? KEPT_NONE : kept === 'now' ? KEPT_NOW : KEPT_RECORDED;
  const removeFrom = (table: string) =>
    `(SELECT count(*) FROM ${table} t WHERE t.import_id = $1 AND NOT EXISTS (SELECT 1 FROM kept WHERE kept.id = t.customer_id))::int`;
  // As the steps choose them: "references in …" with force, "sync_history of later imports" always.
  const laterTables = force ? [...REFERENCING_TABLES, 'sync_history'] : ['sync_history'];
  const laterFrom = (table: string) =>
    `(SELECT count(*) FROM ${table} x JOIN customers c ON c.id = x.customer_id
       WHERE c.import_id = $1 AND x.import_id IS DISTINCT FROM $1 AND NOT EXISTS (SELECT 1 FROM kept WHERE kept.id = c.id))::int AS later_${table}`;
  const {
    rows: [r],
  } = await db.query<Record<string, number> & { kept_ids: number[] | null }>(
    `WITH kept AS MATERIALIZED (${keptSql})
     SELECT (SELECT count(*) FROM kept)::int AS kept,
            (SELECT (array_agg(id::float8 ORDER BY id))[1:100] FROM kept) AS kept_ids,
            (SELECT count(*) FROM customers WHERE import_id = $1)::int AS customers,
            ${removeFrom('customer_phones')} AS phones,
            ${removeFrom('customer_emails')} AS emails,
            ${removeFrom('customer_companies')} AS companies,
            ${removeFrom('customer_relations')} AS relations,
            (SELECT count(*) FROM customer_relations r WHERE r.deactivated_by_import_id = $1 AND NOT ${TAKEN_OVER})::int AS restored,
            (SELECT count(*) FROM customer_relations r WHERE r.deactivated_by_import_id = $1 AND ${TAKEN_OVER})::int AS not_restored,
            (SELECT count(*) FROM import_before_images WHERE import_id = $1)::int AS before_images,
            ${laterTables.map(laterFrom).join(',\n            ')}`,
    [importId],
  );
  return {
    remove: {
      customers: r.customers - r.kept,
      phones: r.phones,
      emails: r.emails,
      companies: r.companies,
      relations: r.relations,
    },
    // Rows an import changed (before-images) are reported only when there are some.
    restore: { relations: r.restored, ...(r.before_images > 0 ? { updatedRows: r.before_images } : {}) },
    keep: { customers: r.kept, customerIds: r.kept_ids ?? [], relationsNotRestored: r.not_restored },
    laterWork: Object.fromEntries(laterTables.map((t) => [t, r[`later_${t}`]] as const).filter(([, n]) => n > 0)),
    force,
  };
}

/** Records which customers the rollback keeps (none with force); a resumed rollback reuses the same set. */
export async function recordKeptCustomers(db: Queryable, importId: number, force: boolean): Promise<void> {
  await db.query(`DELETE FROM import_rollback_kept WHERE import_id = $1`, [importId]);
  if (force) return;
  await db.query(
    `INSERT INTO import_rollback_kept (import_id, customer_id) SELECT $1, kept.id FROM (${KEPT_NOW}) kept ON CONFLICT DO NOTHING`,
    [importId],
  );
}

const KEPT = (col: string) =>
  `EXISTS (SELECT 1 FROM import_rollback_kept k WHERE k.import_id = $1 AND k.customer_id = ${col})`;
const NOT_KEPT = (col: string) => `NOT ${KEPT(col)}`;

/**
 * Walks a table's rows in key order, each chunk starting after the last key the one before it took.
 * Chunks that chose their rows from the start again read every earlier chunk's dead rows once more,
 * and PostgreSQL plans each as a scan of the whole table: quadratic in the import's size. The position lives in memory only; a resumed rollback starts from the first key again
 * and passes the dead rows once. Keys are positive (serials and row numbers). `where` (alias t)
 * names the import's rows; `lockRows` locks the chosen rows first, for a delete that checks their
 * references itself.
 */
function keysetChunks(
  table: string,
  key: string,
  where: string,
  remove: (db: pg.PoolClient, keys: string[], importId: number, range: KeyRange) => Promise<void>,
  lockRows = false,
) {
  let after = '0';
  return async (db: pg.PoolClient, importId: number, limit: number): Promise<number> => {
    const { rows } = await db.query<{ key: string }>(
      `SELECT t.${key}::text AS key FROM ${table} t WHERE ${where} AND t.${key} > $3 ORDER BY t.${key} LIMIT $2${lockRows ? ' FOR UPDATE OF t' : ''}`,
      [importId, limit, after],
    );
    if (rows.length === 0) return 0;
    const keys = rows.map((r) => r.key);
    const last = keys[keys.length - 1];
    await remove(db, keys, importId, { after, last });
    after = last;
    return keys.length;
  };
}

/** A chunk's keys are exactly the rows of `where` with a key in (after, last]. */
interface KeyRange {
  after: string;
  last: string;
}

const deleteByKey = (table: string, key: string) => async (db: pg.PoolClient, keys: string[]) => {
  await db.query(`DELETE FROM ${table} WHERE ${key} = ANY($1::bigint[])`, [pgArrayOf(keys)]);
};

/** For the per-record tables, keyed on (import_id, row_number). */
const deleteRowNumbers = (table: string) => async (db: pg.PoolClient, rows: string[], importId: number) => {
  await db.query(`DELETE FROM ${table} WHERE import_id = $1 AND row_number = ANY($2::int[])`, [
    importId,
    pgArrayOf(rows),
  ]);
};

export type RollbackStep = {
  name: string;
  run: (db: pg.PoolClient, importId: number, limit: number) => Promise<number>;
};

/**
 * The steps of a rollback, in order. Each chunk runs in its own transaction, changes at most `limit`
 * rows and returns how many rows it went through; a step is run until that is none. Every statement
 * is keyed on the import, so any step can be cut off and run again.
 */
export function rollbackSteps(force: boolean): RollbackStep[] {
  const steps: RollbackStep[] = [];
  for (const restore of RESTORE_BEFORE_IMAGES) {
    steps.push({
      name: `restore ${restore.table}`,
      run: keysetChunks(
        'import_before_images',
        'row_id',
        `t.import_id = $1 AND t.table_name = '${restore.table}'`,
        async (db, _keys, importId, range) => {
          await db.query(restore.sql, [importId, range.after, range.last]);
        },
      ),
    });
  }
  if (force) {
    // Later work that points at this import's customers goes too: that is what force asks for.
    for (const table of REFERENCING_TABLES) {
      steps.push({
        name: `references in ${table}`,
        run: (db: Queryable, id: number, limit: number) =>
          affected(
            db,
            `DELETE FROM ${table} WHERE id IN (SELECT x.id FROM ${table} x JOIN customers c ON c.id = x.customer_id WHERE c.import_id = $1 AND x.import_id IS DISTINCT FROM $1 LIMIT $2)`,
            [id, limit],
          ),
      });
    }
  }
  for (const table of CHILD_TABLES) {
    steps.push({
      name: table,
      run: keysetChunks(table, 'id', `t.import_id = $1 AND ${NOT_KEPT('t.customer_id')}`, deleteByKey(table, 'id')),
    });
  }
  steps.push({
    // Pairs taken over (another import's or a kept customer's active pair) stay deactivated, and the
    // walk passes each of them once. The check is one index probe a pair (OFFSET 0 keeps it a
    // subplan): as a join, PostgreSQL hashed every active pair of the CRM for each chunk.
    name: 'restore relations',
    run: keysetChunks(
      'customer_relations',
      'id',
      `t.deactivated_by_import_id = $1`,
      async (db, _keys, importId, range) => {
        await db.query(
          `UPDATE customer_relations r SET active = true, deactivated_by_import_id = NULL, deactivated_at = NULL
          WHERE r.deactivated_by_import_id = $1 AND r.id > $2 AND r.id <= $3 AND NOT ${takenOver(KEPT('a.customer_id'), true)}`,
          [importId, range.after, range.last],
        );
      },
    ),
  });
  // Another import's history row can name a customer of this one (it synced the same record
  // later): it goes with the customer, and stays while the customer is kept.
  steps.push({
    name: 'sync_history of later imports',
    run: (db: Queryable, id: number, limit: number) =>
      affected(
        db,
        `DELETE FROM sync_history WHERE id IN (SELECT s.id FROM sync_history s JOIN customers c ON c.id = s.customer_id
         WHERE c.import_id = $1 AND s.import_id IS DISTINCT FROM $1 AND ${NOT_KEPT('c.id')} LIMIT $2)`,
        [id, limit],
      ),
  });
  steps.push({
    name: 'customers',
    run: keysetChunks('customers', 'id', `t.import_id = $1 AND ${NOT_KEPT('t.id')}`, deleteCustomerChunk, true),
  });
  steps.push({
    name: 'ledger',
    run: keysetChunks(
      'import_outcomes',
      'row_number',
      `t.import_id = $1 AND t.phase = 'import' AND (t.customer_id IS NULL OR ${NOT_KEPT('t.customer_id')})`,
      deleteRowNumbers('import_outcomes'),
    ),
  });
  steps.push({
    name: 'import errors',
    run: keysetChunks(
      'import_errors',
      'row_number',
      `t.import_id = $1 AND t.phase = 'import'`,
      deleteRowNumbers('import_errors'),
    ),
  });
  steps.push({
    name: 'range checks',
    run: (db: Queryable, id: number) => affected(db, `DELETE FROM import_range_checks WHERE import_id = $1`, [id]),
  });
  steps.push({
    name: 'batches',
    run: (db: Queryable, id: number) => affected(db, `DELETE FROM import_batches WHERE import_id = $1`, [id]),
  });
  return steps;
}

async function affected(db: Queryable, sql: string, params: unknown[]): Promise<number> {
  return (await db.query(sql, params)).rowCount ?? 0;
}

export async function saveRollbackReport(db: Queryable, importId: number, report: object): Promise<void> {
  await db.query(`UPDATE imports SET rollback_report = $2, updated_at = now() WHERE id = $1`, [
    importId,
    JSON.stringify(report),
  ]);
}
