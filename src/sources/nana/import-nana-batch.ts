import type pg from 'pg';
import type { Queryable } from '../../db/queryable';
import * as customers from '../../db/queries/customers';
import { insertOutcomes, insertRejections, type Outcome } from '../../db/queries/ledger';
import { addCompanies, phoneOwnerIds } from './nana-gap';
import * as profiles from '../../db/queries/profiles';
import { findSyncHistory, writeSyncHistory, type SyncedKey } from '../../db/queries/sync-history';
import type { NanaRecord } from './nana';
import {
  decideNanaRecords,
  nanaCustomerUpdates,
  nanaHistoryWrites,
  type CustomerRef,
  type NanaDecision,
  type NanaLookups,
} from './nana-sync';
import type { BatchCounts, BatchWriteOptions, ValidRow } from '../importer';
import { addPhonesAndEmails } from '../shared/add-phones-and-emails';
import { insertCreatedCustomers } from '../shared/insert-created-customers';
import { NewCustomerRows } from '../shared/new-customer-rows';

/**
 * One batch of valid Nana records: four lookups, the rule applied in memory in file order,
 * then a handful of set-based writes. The caller holds the transaction and the write lock.
 * Everything of the customers the batch creates is written first, in one NewCustomerRows block;
 * then the changes to customers that existed before it.
 */
export async function importNanaBatch(
  client: pg.PoolClient,
  importId: number,
  rows: ValidRow<NanaRecord>[],
  options: BatchWriteOptions,
): Promise<BatchCounts> {
  const inputs = rows.map((r) => ({ rowNumber: r.rowNumber, record: r.value }));
  const lookups = await lookUp(
    options.lookups,
    importId,
    rows.map((r) => r.value),
  );
  options.lookedUp();
  const { decisions, createdRecords } = decideNanaRecords(inputs, lookups);
  const newIds = await customers.allocateCustomerIds(client, createdRecords.length);
  const resolve = (ref: CustomerRef) => ('existing' in ref ? ref.existing : newIds[ref.created]);
  const fresh = new NewCustomerRows(client, options.skipRowTriggers, newIds);
  const links = relationLinks(decisions, resolve);
  const history = nanaHistoryWrites(inputs, decisions, lookups.history).map((w) => ({
    key: w.key,
    customerId: resolve(w.customer),
    hash: w.hash,
  }));

  await fresh.write(async () => {
    await insertCreatedCustomers(client, importId, createdRecords, newIds);
    await customers.insertPhones(
      client,
      importId,
      fresh.of(
        createdRecords.flatMap((r, i) =>
          r.phones.map((p) => ({ customerId: newIds[i], phone: p.e164, extension: p.extension })),
        ),
      ),
    );
    await customers.insertEmails(
      client,
      importId,
      fresh.of(createdRecords.flatMap((r, i) => r.emails.map((email) => ({ customerId: newIds[i], email })))),
    );
    await customers.insertCompanies(
      client,
      importId,
      fresh.of(
        createdRecords.flatMap((r, i) =>
          r.companies.map((name, position) => ({ customerId: newIds[i], name, position })),
        ),
      ),
    );
    // A new customer's Nana ids have no active pair in the database (or the rule would not have created it), so nothing needs deactivating first.
    await customers.insertRelations(client, importId, 'nana', fresh.of(links.filter((l) => fresh.has(l.customerId))));
    await writeSyncHistory(
      client,
      importId,
      'nana',
      fresh.of(history.filter((h) => fresh.has(h.customerId))),
      lookups.history,
    );
  });

  // After the inserts: a customer this batch created and a later record updated takes the update.
  await profiles.updateCustomers(
    client,
    importId,
    nanaCustomerUpdates(inputs, decisions).map(({ customer, ...values }) => ({
      customerId: resolve(customer),
      ...values,
    })),
  );
  const updated = decisions.flatMap((d, i) =>
    d.outcome === 'updated' ? [{ customerId: resolve(d.customer), record: inputs[i].record }] : [],
  );
  await addPhonesAndEmails(client, importId, updated);
  await addCompanies(
    client,
    importId,
    updated.flatMap(({ customerId, record }) => record.companies.map((name) => ({ customerId, name }))),
  );

  // Pairs in the database that a record moves are deactivated before the pairs that replace them are written.
  const relink = decisions.flatMap((d) =>
    d.outcome === 'linked' || d.outcome === 'updated' ? d.relink.filter((id) => lookups.linkedIds.has(id)) : [],
  );
  await customers.deactivateRelations(client, importId, 'nana', [...new Set(relink)]);
  await customers.insertRelations(
    client,
    importId,
    'nana',
    links.filter((l) => !fresh.has(l.customerId)),
  );
  await writeSyncHistory(
    client,
    importId,
    'nana',
    history.filter((h) => !fresh.has(h.customerId)),
    lookups.history,
  );

  const byRow = new Map(rows.map((r) => [r.rowNumber, r]));
  const rejected = decisions.flatMap((d) =>
    d.outcome === 'rejected' ? [{ ...rowOf(byRow, d.rowNumber), errors: d.errors }] : [],
  );
  await insertRejections(client, importId, 'import', rejected);
  const outcomes = decisions
    .filter((d) => d.outcome !== 'rejected')
    .map((d) => ({
      rowNumber: d.rowNumber,
      outcome: d.outcome as Outcome,
      customerId: 'customer' in d ? resolve(d.customer) : null,
    }));
  await insertOutcomes(client, importId, 'import', outcomes);

  const counts: BatchCounts = { created: 0, linked: 0, updated: 0, skipped: 0, rejected: 0 };
  for (const d of decisions) counts[d.outcome] += 1;
  return counts;
}

/** The history keeps each key's writer, which the sync history write needs for its before-images. */
async function lookUp(
  db: Queryable,
  importId: number,
  records: NanaRecord[],
): Promise<NanaLookups & { history: Map<string, SyncedKey> }> {
  const keys = lookupKeys(records);
  const [phoneOwners, existingCustomers, linkedIds, history] = await Promise.all([
    phoneOwnerIds(db, [...keys.phones]),
    customers.resolveCustomerIds(db, [...keys.customerIds]),
    customers.activeRelations(db, 'nana', [...keys.nanaIds]),
    findSyncHistory(db, 'nana', [...keys.syncKeys], importId),
  ]);
  return { existingCustomers, ownedPhones: new Set(phoneOwners.keys()), phoneOwners, linkedIds, history };
}

/** The distinct values the batch's records look up, in one pass (the batch's transaction waits on it). */
function lookupKeys(records: NanaRecord[]) {
  const keys = {
    phones: new Set<string>(),
    customerIds: new Set<number>(),
    nanaIds: new Set<string>(),
    syncKeys: new Set<string>(),
  };
  for (const r of records) {
    for (const p of r.phones) keys.phones.add(p.e164);
    if (r.careosCusId !== null) keys.customerIds.add(r.careosCusId);
    for (const id of r.nanaIds) keys.nanaIds.add(id);
    keys.syncKeys.add(r.key);
  }
  return keys;
}

/** The pairs the batch makes, in file order; a pair a later record of the batch moves is written inactive. */
function relationLinks(decisions: NanaDecision[], resolve: (ref: CustomerRef) => number): customers.NewRelation[] {
  const links: customers.NewRelation[] = [];
  const last = new Map<string, number>();
  for (const d of decisions) {
    if (d.outcome !== 'created' && d.outcome !== 'linked' && d.outcome !== 'updated') continue;
    const customerId = resolve(d.customer);
    for (const originalId of d.link) {
      last.set(originalId, links.length);
      links.push({ customerId, originalId, rowNumber: d.rowNumber, active: true });
    }
  }
  for (let i = 0; i < links.length; i++) links[i].active = last.get(links[i].originalId) === i;
  return links;
}

function rowOf(byRow: Map<number, ValidRow<NanaRecord>>, rowNumber: number) {
  const row = byRow.get(rowNumber)!;
  return { rowNumber, lineNumber: row.lineNumber, record: row.record };
}
