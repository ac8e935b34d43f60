import type pg from 'pg';
import { insertOutcomes, insertRejections, type LineIdentity } from '../../db/queries/ledger';
import {
  earlierOccurrences,
  ledgerRowsOf,
  resolveMembers,
  rowsHolding,
  transactionRefKey,
  type TransactionRef,
} from '../../db/queries/loyalty-ledger';
import { findSynced, writeSyncHistory } from '../../db/queries/sync-history';
import type { Queryable } from '../../db/queryable';
import { decideLedger, numberOccurrences, transactionKey, type LedgerDecision } from './ledger-sync';
import type { LedgerFacts } from './ledger-facts';
import type { BatchCounts, BatchWriteOptions, ImportedRow, Mismatch, ValidRow } from '../importer';

/** What every ledger record holds: its content's hash and the member it is for. */
type LedgerRecord = { hash: string; memberId: string };

/**
 * The batch writer of a ledger source, `source`, whose member ids are first looked up among
 * `memberSource`'s legacy ids: number each line's occurrence among identical lines of the file, resolve
 * every member, skip a transaction the sync history already holds (naming the earlier import and row
 * that hold it), insert the rest.
 */
export function ledgerBatchImporter<T extends LedgerRecord>(
  source: string,
  memberSource: string,
  ledger: LedgerFacts<T>,
) {
  return async (
    client: pg.PoolClient,
    importId: number,
    rows: ValidRow<T>[],
    options: BatchWriteOptions,
  ): Promise<BatchCounts> => {
    const hashes = [...new Set(rows.map((r) => r.value.hash))];
    const [members, earlier] = await Promise.all([
      resolveMembers(options.lookups, [...new Set(rows.map((r) => r.value.memberId))], memberSource),
      earlierOccurrences(options.lookups, importId, hashes),
    ]);
    const occurrences = numberOccurrences(
      rows.map((r) => r.value.hash),
      earlier,
    );
    const lines = rows.map((r, i) => ({
      row: r,
      rowNumber: r.rowNumber,
      memberId: r.value.memberId,
      occurrence: occurrences[i],
      key: transactionKey(r.value.hash, occurrences[i]),
    }));
    const synced = await findSynced(
      options.lookups,
      source,
      lines.map((l) => l.key),
    );
    const decisions = decideLedger(lines, members, synced);
    const holding = await rowsHolding(options.lookups, matchesOf(decisions, lines));
    options.lookedUp();
    const identityOf = (i: number): LineIdentity => {
      const d = decisions[i];
      const identity = { contentHash: lines[i].row.value.hash, occurrence: lines[i].occurrence };
      if (d.outcome !== 'skipped' || d.matchedImportId === null) return identity;
      return {
        ...identity,
        matchedImportId: d.matchedImportId,
        matchedRowNumber: holding.get(transactionRefKey({ importId: d.matchedImportId, ...identity })) ?? null,
      };
    };
    const created = decisions.flatMap((d, i) =>
      d.outcome === 'created'
        ? [{ customerId: d.customerId, rowNumber: d.rowNumber, value: lines[i].row.value, key: lines[i].key }]
        : [],
    );
    await ledger.insert(client, importId, created);
    await writeSyncHistory(
      client,
      importId,
      source,
      created.map((c) => ({ key: c.key, customerId: c.customerId, hash: c.value.hash })),
      synced,
    );
    await insertRejections(
      client,
      importId,
      'import',
      decisions.flatMap((d, i) =>
        d.outcome === 'rejected'
          ? [
              {
                rowNumber: d.rowNumber,
                lineNumber: lines[i].row.lineNumber,
                record: lines[i].row.record,
                errors: d.errors,
                identity: identityOf(i),
              },
            ]
          : [],
      ),
    );
    await insertOutcomes(
      client,
      importId,
      'import',
      decisions.flatMap((d, i) =>
        d.outcome === 'rejected'
          ? []
          : [{ rowNumber: d.rowNumber, outcome: d.outcome, customerId: d.customerId, identity: identityOf(i) }],
      ),
    );
    const counts: BatchCounts = { created: 0, linked: 0, updated: 0, skipped: 0, rejected: 0 };
    for (const d of decisions) counts[d.outcome] += 1;
    return counts;
  };
}

/** The earlier transactions that skipped lines matched, to find the rows that hold them. */
function matchesOf(
  decisions: LedgerDecision[],
  lines: { row: ValidRow<LedgerRecord>; occurrence: number }[],
): TransactionRef[] {
  return decisions.flatMap((d, i) =>
    d.outcome === 'skipped' && d.matchedImportId !== null
      ? [{ importId: d.matchedImportId, contentHash: lines[i].row.value.hash, occurrence: lines[i].occurrence }]
      : [],
  );
}

/** The read-back of a ledger source: each created line's stored row, column by column, against its record. */
export function ledgerReadBack<T>(ledger: LedgerFacts<T>) {
  return async (db: Queryable, importId: number, rows: ImportedRow<T>[]): Promise<Mismatch[]> => {
    const stored = await ledgerRowsOf(
      db,
      ledger.table,
      importId,
      rows.filter((r) => r.outcome === 'created').map((r) => r.rowNumber),
    );
    return compare(rows, stored, ledger.storedColumnsOf);
  };
}

function compare<T>(
  rows: ImportedRow<T>[],
  stored: Map<number, Record<string, unknown>>,
  expected: (v: T) => Record<string, unknown>,
): Mismatch[] {
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
