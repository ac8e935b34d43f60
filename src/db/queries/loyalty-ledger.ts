import type pg from 'pg';
import { pgArray, pgArrayOf } from '../array-literal';
import { copyRows } from '../copy-rows';
import type { Queryable } from '../queryable';
import { ACTIVE_CUSTOMER } from './active-customer';
import { distinctValues, probeEach } from './distinct-values';

/**
 * Member ids → customer: an active legacy id of the `memberSource` first, then of any other source
 * when it names one customer, then a CareOS customer id written as digits (a merged
 * customer's id names its survivor).
 */
export async function resolveMembers(
  db: Queryable,
  memberIds: string[],
  memberSource: string,
): Promise<Map<string, number>> {
  if (memberIds.length === 0) return new Map();
  const { rows } = await db.query<{ memberId: string; customerId: number }>(
    `SELECT m AS "memberId", coalesce(
       (SELECT ${ACTIVE_CUSTOMER('r.customer_id')} FROM customer_relations r WHERE r.active AND r.source = $2 AND r.original_id = m),
       (SELECT min(${ACTIVE_CUSTOMER('r.customer_id')}) FROM customer_relations r WHERE r.active AND r.original_id = m HAVING count(DISTINCT ${ACTIVE_CUSTOMER('r.customer_id')}) = 1),
       (SELECT coalesce(c.merged_into, c.id) FROM customers c WHERE m ~ '^[1-9][0-9]{0,14}$' AND c.id = m::bigint)
     )::float8 AS "customerId"
     FROM unnest($1::text[]) AS m`,
    [memberIds, memberSource],
  );
  return new Map(rows.filter((r) => r.customerId !== null).map((r) => [r.memberId, r.customerId]));
}

export interface NewPoints {
  customerId: number;
  memberId: string;
  type: string;
  points: string;
  delta: string;
  occurredOn: string;
  description: string | null;
  rowNumber: number;
}

export async function insertPoints(client: pg.PoolClient, importId: number, rows: NewPoints[]): Promise<void> {
  await copyRows(
    client,
    'points_transactions (customer_id, member_id, type, points, delta, occurred_on, description, import_id, row_number)',
    rows,
    [
      (r) => r.customerId,
      (r) => r.memberId,
      (r) => r.type,
      (r) => r.points,
      (r) => r.delta,
      (r) => r.occurredOn,
      (r) => r.description,
      () => importId,
      (r) => r.rowNumber,
    ],
  );
}

export interface NewPurchase {
  customerId: number;
  memberId: string;
  transactionDate: string;
  amount: string;
  store: string | null;
  items: string | null;
  rowNumber: number;
}

export async function insertPurchases(client: pg.PoolClient, importId: number, rows: NewPurchase[]): Promise<void> {
  await copyRows(
    client,
    'purchases (customer_id, member_id, transaction_date, amount, store, items, import_id, row_number)',
    rows,
    [
      (r) => r.customerId,
      (r) => r.memberId,
      (r) => r.transactionDate,
      (r) => r.amount,
      (r) => r.store,
      (r) => r.items,
      () => importId,
      (r) => r.rowNumber,
    ],
  );
}

/** Points balance per customer: the sum of the ledger, as exact decimal text. */
export async function pointsBalances(db: Queryable, customerIds: number[]): Promise<Map<number, string>> {
  const { rows } = await db.query<{ customerId: number; balance: string }>(
    `SELECT t.customer_id::float8 AS "customerId", sum(t.delta)::text AS balance FROM ${distinctValues('$1::bigint[]')} JOIN points_transactions t ON t.customer_id = u.v GROUP BY t.customer_id`,
    [pgArrayOf(customerIds)],
  );
  return new Map(rows.map((r) => [r.customerId, r.balance]));
}

/** Ledger rows of one import by record, for reading back. */
export async function ledgerRowsOf(
  db: Queryable,
  table: 'points_transactions' | 'purchases',
  importId: number,
  rowNumbers: number[],
): Promise<Map<number, Record<string, unknown>>> {
  const { rows } = await db.query<Record<string, unknown> & { row_number: number }>(
    `SELECT t.*, t.customer_id::float8 AS customer_id, ${table === 'purchases' ? `to_char(t.transaction_date, 'YYYY-MM-DD') AS transaction_date` : `to_char(t.occurred_on, 'YYYY-MM-DD') AS occurred_on`}
     FROM ${distinctValues('$2::int[]')} JOIN ${table} t ON t.import_id = $1 AND t.row_number = u.v`,
    [importId, pgArrayOf(rowNumbers)],
  );
  return new Map(rows.map((r) => [r.row_number, r]));
}

/** Rows an import created in a table that it tags with its id. */
export async function countRowsCreatedBy(
  db: Queryable,
  table: 'points_transactions' | 'purchases',
  importId: number,
): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE import_id = $1`, [
    importId,
  ]);
  return rows[0].n;
}

/**
 * Per content hash, how many lines of this import carry it so far: every valid line of a ledger
 * import gets an outcome with its hash, and batches run one after another in file order, so these
 * are the identical lines the file held before the batch. Each hash is one probe of the identity
 * index (its partial predicate spelled out, so a parameterised probe can use it).
 */
export async function earlierOccurrences(
  db: Queryable,
  importId: number,
  hashes: string[],
): Promise<Map<string, number>> {
  if (hashes.length === 0) return new Map();
  const { rows } = await db.query<{ hash: string; n: number }>(
    `SELECT u.v AS hash, x.n FROM ${probeEach('$2::text[]', 'SELECT max(o.occurrence)::int AS n FROM import_outcomes o WHERE o.import_id = $1 AND o.content_hash IS NOT NULL AND o.content_hash = u.v')}
     WHERE x.n IS NOT NULL`,
    [importId, pgArrayOf(hashes)],
  );
  return new Map(rows.map((r) => [r.hash, r.n]));
}

export interface TransactionRef {
  importId: number;
  contentHash: string;
  occurrence: number;
}

/** The row of the earlier import that holds each transaction (none for history older than occurrences). */
export async function rowsHolding(db: Queryable, refs: TransactionRef[]): Promise<Map<string, number>> {
  if (refs.length === 0) return new Map();
  const { rows } = await db.query<{ importId: number; hash: string; occurrence: number; rowNumber: number }>(
    `SELECT o.import_id::float8 AS "importId", o.content_hash AS hash, o.occurrence, o.row_number AS "rowNumber"
     FROM unnest($1::bigint[], $2::text[], $3::int[]) AS u(i, h, n)
     JOIN import_outcomes o ON o.import_id = u.i AND o.content_hash IS NOT NULL AND o.content_hash = u.h AND o.occurrence = u.n`,
    [pgArray(refs, (r) => r.importId), pgArray(refs, (r) => r.contentHash), pgArray(refs, (r) => r.occurrence)],
  );
  return new Map(
    rows.map((r) => [
      transactionRefKey({ importId: r.importId, contentHash: r.hash, occurrence: r.occurrence }),
      r.rowNumber,
    ]),
  );
}

export const transactionRefKey = (r: TransactionRef) => `${r.importId}:${r.contentHash}:${r.occurrence}`;

/** A line's sync key in SQL, the rule of transactionKey (src/sources/shared/ledger-sync.ts); countTransactionsNotInFile splits it back. */
const LINE_KEY = `CASE WHEN o.occurrence = 1 THEN o.content_hash ELSE o.content_hash || '#' || o.occurrence END`;

/**
 * This import's ledger lines whose identity is not synced exactly once as its outcome says: a created
 * line's key must be this import's, a skipped line's an earlier import's, and no two lines of the
 * file may share a key (which is how identical lines used to be merged).
 */
export async function countMisattributedLines(db: Queryable, importId: number, source: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT (count(*) FILTER (WHERE o.content_hash IS NULL OR s.id IS NULL OR (o.outcome = 'created') <> (s.import_id IS NOT DISTINCT FROM o.import_id))
             + count(*) - count(DISTINCT ${LINE_KEY}))::int AS n
     FROM import_outcomes o LEFT JOIN sync_history s ON s.source = $2 AND s.original_key = ${LINE_KEY}
     WHERE o.import_id = $1 AND o.phase = 'import' AND o.outcome IN ('created', 'skipped')`,
    [importId, source],
  );
  return rows[0].n;
}

/**
 * Transactions earlier imports synced for the members this file names that no line of the file
 * matched: a shorter export leaves them in place, and the report says how many there are.
 * Plans that hold with stale statistics (a large import has just written these rows): each member's
 * history is probed through the customer index (the source is compared under "C", so its
 * (source, key) index, every key of the source, is not scanned per member), and each history row is
 * one probe of the identity index (its partial predicate spelled out, and no outcome condition, which
 * made the planner rescan the file's skipped lines per history row instead).
 */
export async function countTransactionsNotInFile(db: Queryable, importId: number, source: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH members AS MATERIALIZED (SELECT DISTINCT o.customer_id FROM import_outcomes o WHERE o.import_id = $1 AND o.phase = 'import' AND o.outcome IN ('created', 'skipped'))
     SELECT count(*)::int AS n FROM members m
     CROSS JOIN LATERAL (SELECT s.original_key FROM sync_history s
                         WHERE s.customer_id = m.customer_id AND s.source COLLATE "C" = $2 AND s.import_id IS DISTINCT FROM $1 OFFSET 0) s
     WHERE NOT EXISTS (SELECT 1 FROM import_outcomes o
                       WHERE o.import_id = $1 AND o.content_hash IS NOT NULL AND o.content_hash = split_part(s.original_key, '#', 1)
                         AND o.occurrence = coalesce(nullif(split_part(s.original_key, '#', 2), ''), '1')::int)`,
    [importId, source],
  );
  return rows[0].n;
}

/** Per customer, the count and sum (in hundredths) of this import's ledger rows of a row range. */
export async function ledgerTotalsOf(
  db: Queryable,
  table: 'points_transactions' | 'purchases',
  importId: number,
  range: { firstRow: number; lastRow: number },
): Promise<Map<number, { count: number; cents: bigint }>> {
  const amount = table === 'purchases' ? 'amount' : 'delta';
  const { rows } = await db.query<{ customerId: number; count: number; cents: string }>(
    `SELECT customer_id::float8 AS "customerId", count(*)::int AS count, (sum(${amount}) * 100)::bigint::text AS cents
     FROM ${table} WHERE import_id = $1 AND row_number BETWEEN $2 AND $3 GROUP BY customer_id`,
    [importId, range.firstRow, range.lastRow],
  );
  return new Map(rows.map((r) => [r.customerId, { count: r.count, cents: BigInt(r.cents) }]));
}
