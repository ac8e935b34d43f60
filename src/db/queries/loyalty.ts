import type pg from 'pg';
import { pgArrayOf } from '../array-literal';
import { copyRows } from '../copy-rows';
import type { Queryable } from '../queryable';
import { distinctValues } from './distinct-values';

/**
 * Member ids → customer: an active legacy id of loyalty-users first, then of any other source
 * (Nana ids) when it names one customer, then a CareOS customer id written as digits (a merged
 * customer's id names its survivor).
 */
export async function resolveMembers(db: Queryable, memberIds: string[]): Promise<Map<string, number>> {
  if (memberIds.length === 0) return new Map();
  const { rows } = await db.query<{ memberId: string; customerId: number }>(
    `SELECT m AS "memberId", coalesce(
       (SELECT r.customer_id FROM customer_relations r WHERE r.active AND r.source = 'loyalty-users' AND r.original_id = m),
       (SELECT min(r.customer_id) FROM customer_relations r WHERE r.active AND r.original_id = m HAVING count(DISTINCT r.customer_id) = 1),
       (SELECT coalesce(c.merged_into, c.id) FROM customers c WHERE m ~ '^[1-9][0-9]{0,14}$' AND c.id = m::bigint)
     )::float8 AS "customerId"
     FROM unnest($1::text[]) AS m`,
    [memberIds],
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
  await copyRows(client, 'points_transactions (customer_id, member_id, type, points, delta, occurred_on, description, import_id, row_number)', rows, [
    (r) => r.customerId, (r) => r.memberId, (r) => r.type, (r) => r.points, (r) => r.delta, (r) => r.occurredOn, (r) => r.description, () => importId, (r) => r.rowNumber,
  ]);
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
  await copyRows(client, 'purchases (customer_id, member_id, transaction_date, amount, store, items, import_id, row_number)', rows, [
    (r) => r.customerId, (r) => r.memberId, (r) => r.transactionDate, (r) => r.amount, (r) => r.store, (r) => r.items, () => importId, (r) => r.rowNumber,
  ]);
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
export async function ledgerRowsOf(db: Queryable, table: 'points_transactions' | 'purchases', importId: number, rowNumbers: number[]): Promise<Map<number, Record<string, unknown>>> {
  const { rows } = await db.query<Record<string, unknown> & { row_number: number }>(
    `SELECT t.*, t.customer_id::float8 AS customer_id, ${table === 'purchases' ? `to_char(t.transaction_date, 'YYYY-MM-DD') AS transaction_date` : `to_char(t.occurred_on, 'YYYY-MM-DD') AS occurred_on`}
     FROM ${distinctValues('$2::int[]')} JOIN ${table} t ON t.import_id = $1 AND t.row_number = u.v`,
    [importId, pgArrayOf(rowNumbers)],
  );
  return new Map(rows.map((r) => [r.row_number, r]));
}

/** Rows an import created in a table that it tags with its id. */
export async function countRowsCreatedBy(db: Queryable, table: 'points_transactions' | 'purchases', importId: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE import_id = $1`, [importId]);
  return rows[0].n;
}
