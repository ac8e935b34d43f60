import type pg from 'pg';
import { insertOutcomes, insertRejections } from '../../db/queries/ledger';
import { insertPoints, insertPurchases, ledgerRowsOf, resolveMembers } from './loyalty-ledger-queries';
import { findSynced, writeSyncHistory } from '../../db/queries/sync-history';
import type { Queryable } from '../../db/queryable';
import type { PointsRecord, PurchaseRecord } from './loyalty-ledger';
import { decideLedger } from './ledger-sync';
import type { BatchCounts, BatchWriteOptions, ImportedRow, Mismatch, ValidRow } from '../importer';

type LedgerRecord = PointsRecord | PurchaseRecord;

/** Points or purchases: resolve every member, skip what the sync history already holds, insert the rest. */
function ledgerBatch<T extends LedgerRecord>(source: string, memberSource: string, insert: (client: pg.PoolClient, importId: number, rows: { customerId: number; rowNumber: number; value: T }[]) => Promise<void>) {
  return async (client: pg.PoolClient, importId: number, rows: ValidRow<T>[], options: BatchWriteOptions): Promise<BatchCounts> => {
    const members = await resolveMembers(client, [...new Set(rows.map((r) => r.value.memberId))], memberSource);
    const synced = await findSynced(client, source, [...new Set(rows.map((r) => r.value.key))]);
    options.lookedUp();
    const decisions = decideLedger(rows.map((r) => ({ rowNumber: r.rowNumber, record: r.value })), members, new Set(synced.keys()));
    const byRow = new Map(rows.map((r) => [r.rowNumber, r]));
    const created = decisions.flatMap((d) => (d.outcome === 'created' ? [{ customerId: d.customerId, rowNumber: d.rowNumber, value: byRow.get(d.rowNumber)!.value }] : []));
    await insert(client, importId, created);
    await writeSyncHistory(client, importId, source, created.map((c) => ({ key: c.value.key, customerId: c.customerId, hash: c.value.hash })), synced);
    await insertRejections(client, importId, 'import', decisions.flatMap((d) => (d.outcome === 'rejected' ? [{ rowNumber: d.rowNumber, lineNumber: byRow.get(d.rowNumber)!.lineNumber, record: byRow.get(d.rowNumber)!.record, errors: d.errors }] : [])));
    await insertOutcomes(client, importId, 'import', decisions.flatMap((d) => (d.outcome === 'rejected' ? [] : [{ rowNumber: d.rowNumber, outcome: d.outcome, customerId: d.customerId }])));
    const counts: BatchCounts = { created: 0, linked: 0, updated: 0, skipped: 0, rejected: 0 };
    for (const d of decisions) counts[d.outcome] += 1;
    return counts;
  };
}

/** The points writer of `source`, whose member ids are first looked up among `memberSource`'s legacy ids. */
export const pointsBatchImporter = (source: string, memberSource: string) => ledgerBatch<PointsRecord>(source, memberSource, (client, importId, rows) =>
  insertPoints(client, importId, rows.map(({ customerId, rowNumber, value: v }) => ({ customerId, rowNumber, memberId: v.memberId, type: v.type, points: v.points, delta: v.delta, occurredOn: v.date, description: v.description }))),
);

/** The purchases writer of `source`, whose member ids are first looked up among `memberSource`'s legacy ids. */
export const purchasesBatchImporter = (source: string, memberSource: string) => ledgerBatch<PurchaseRecord>(source, memberSource, (client, importId, rows) =>
  insertPurchases(client, importId, rows.map(({ customerId, rowNumber, value: v }) => ({ customerId, rowNumber, memberId: v.memberId, transactionDate: v.transactionDate, amount: v.amount, store: v.store, items: v.items }))),
);

export async function readBackPoints(db: Queryable, importId: number, rows: ImportedRow<PointsRecord>[]): Promise<Mismatch[]> {
  const stored = await ledgerRowsOf(db, 'points_transactions', importId, rows.filter((r) => r.outcome === 'created').map((r) => r.rowNumber));
  return compare(rows, stored, (v) => ({ customer_id: undefined, member_id: v.memberId, type: v.type, points: v.points, delta: v.delta, occurred_on: v.date, description: v.description }));
}

export async function readBackPurchases(db: Queryable, importId: number, rows: ImportedRow<PurchaseRecord>[]): Promise<Mismatch[]> {
  const stored = await ledgerRowsOf(db, 'purchases', importId, rows.filter((r) => r.outcome === 'created').map((r) => r.rowNumber));
  return compare(rows, stored, (v) => ({ customer_id: undefined, member_id: v.memberId, transaction_date: v.transactionDate, amount: v.amount, store: v.store, items: v.items }));
}

function compare<T>(rows: ImportedRow<T>[], stored: Map<number, Record<string, unknown>>, expected: (v: T) => Record<string, unknown>): Mismatch[] {
  const mismatches: Mismatch[] = [];
  for (const row of rows.filter((r) => r.outcome === 'created')) {
    const got = stored.get(row.rowNumber);
    if (!got) {
      mismatches.push({ rowNumber: row.rowNumber, field: 'record' });
      continue;
    }
    if (got.customer_id !== row.customerId) mismatches.push({ rowNumber: row.rowNumber, field: 'member_id' });
    for (const [field, value] of Object.entries(expected(row.value))) {
      if (value !== undefined && got[field] !== value) mismatches.push({ rowNumber: row.rowNumber, field });
    }
  }
  return mismatches;
}
