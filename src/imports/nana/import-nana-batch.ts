import type pg from 'pg';
import * as customers from '../../db/queries/customers';
import { insertOutcomes, insertRejections, type Outcome } from '../../db/queries/ledger';
import type { NanaRecord } from '../../domain/sources/nana';
import { decideNanaRecords, type CustomerRef } from '../../domain/sources/nana-sync';
import type { BatchCounts, ValidRow } from '../importer';

/**
 * One batch of valid Nana records: three lookups, the rule applied in memory in file order,
 * then a handful of set-based writes. The caller holds the transaction and the write lock.
 */
export async function importNanaBatch(client: pg.PoolClient, importId: number, rows: ValidRow<NanaRecord>[]): Promise<BatchCounts> {
  const lookups = {
    existingCustomers: await customers.existingCustomerIds(client, unique(rows.flatMap((r) => (r.value.careosCusId === null ? [] : [r.value.careosCusId])))),
    ownedPhones: await customers.ownedPhones(client, unique(rows.flatMap((r) => r.value.phones.map((p) => p.e164)))),
    linkedIds: await customers.activeRelations(client, 'nana', unique(rows.flatMap((r) => r.value.nanaIds))),
  };
  const { decisions, createdRecords } = decideNanaRecords(rows.map((r) => ({ rowNumber: r.rowNumber, record: r.value })), lookups);
  const newIds = await customers.allocateCustomerIds(client, createdRecords.length);
  const resolve = (ref: CustomerRef) => ('existing' in ref ? ref.existing : newIds[ref.created]);

  await customers.insertCustomers(client, importId, createdRecords.map((r, i) => ({ id: newIds[i], firstName: r.firstName, lastName: r.lastName, gender: r.gender, dateOfBirth: r.dateOfBirth })));
  await customers.insertPhones(client, importId, createdRecords.flatMap((r, i) => r.phones.map((p) => ({ customerId: newIds[i], phone: p.e164, extension: p.extension }))));
  await customers.insertEmails(client, importId, createdRecords.flatMap((r, i) => r.emails.map((email) => ({ customerId: newIds[i], email }))));
  await customers.insertCompanies(client, importId, createdRecords.flatMap((r, i) => r.companies.map((name, position) => ({ customerId: newIds[i], name, position }))));

  // Pairs in the database that a record moves; pairs made and moved inside this batch are written inactive.
  const relink = decisions.flatMap((d) => (d.outcome === 'linked' ? d.relink.filter((id) => lookups.linkedIds.has(id)) : []));
  await customers.deactivateRelations(client, importId, 'nana', [...new Set(relink)]);
  const links = decisions.flatMap((d) =>
    d.outcome === 'created' || d.outcome === 'linked' ? d.link.map((originalId) => ({ customerId: resolve(d.customer), originalId, rowNumber: d.rowNumber })) : [],
  );
  const last = new Map(links.map((l, i) => [l.originalId, i]));
  await customers.insertRelations(client, importId, 'nana', links.map((l, i) => ({ ...l, active: last.get(l.originalId) === i })));

  const byRow = new Map(rows.map((r) => [r.rowNumber, r]));
  const rejected = decisions.flatMap((d) => (d.outcome === 'rejected' ? [{ ...rowOf(byRow, d.rowNumber), errors: d.errors }] : []));
  await insertRejections(client, importId, 'import', rejected);
  const outcomes = decisions.filter((d) => d.outcome !== 'rejected').map((d) => ({ rowNumber: d.rowNumber, outcome: d.outcome as Outcome, customerId: 'customer' in d ? resolve(d.customer) : null }));
  await insertOutcomes(client, importId, 'import', outcomes);

  const counts: BatchCounts = { created: 0, linked: 0, updated: 0, skipped: 0, rejected: 0 };
  for (const d of decisions) counts[d.outcome] += 1;
  return counts;
}

function rowOf(byRow: Map<number, ValidRow<NanaRecord>>, rowNumber: number) {
  const row = byRow.get(rowNumber)!;
  return { rowNumber, lineNumber: row.lineNumber, record: row.record };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
