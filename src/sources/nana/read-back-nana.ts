import type { Queryable } from '../../db/queryable';
import type { ActiveRelation, StoredCustomer } from '../../db/queries/customers';
import { activeRelationDetails, loadCustomers } from '../../db/queries/customers';
import { lastUpdatingRows } from './nana-gap';
import { findSynced } from '../../db/queries/sync-history';
import type { NanaRecord } from './nana';
import type { ImportedRow, Mismatch } from '../importer';

/** Reads what the import wrote for these records and compares it with the source, field by field. */
export async function readBackNana(
  db: Queryable,
  importId: number,
  rows: ImportedRow<NanaRecord>[],
): Promise<Mismatch[]> {
  const customerIds = [...new Set(rows.map((r) => r.customerId))];
  const stored = await loadCustomers(db, customerIds);
  const relations = await activeRelationDetails(db, 'nana', [...new Set(rows.flatMap((r) => r.value.nanaIds))]);
  const synced = await findSynced(db, 'nana', [...new Set(rows.map((r) => r.value.key))]);
  const lastUpdate = await lastUpdatingRows(db, importId, customerIds);
  const mismatches: Mismatch[] = [];
  for (const row of rows) {
    const miss = (field: string) => mismatches.push({ rowNumber: row.rowNumber, field });
    const customer = stored.get(row.customerId);
    if (!customer) {
      miss('customer');
      continue;
    }
    for (const id of row.value.nanaIds) if (!linksHere(relations.get(id), importId, row)) miss('nana_cus_id');
    // Every processed key is in the history; a created or updated record wrote its own row.
    const history = synced.get(row.value.key);
    if (!history) miss('sync_history');
    if (row.outcome !== 'created' && row.outcome !== 'updated') continue;
    if (
      history &&
      (history.importId !== importId || history.customerId !== row.customerId || history.hash !== row.value.hash)
    )
      miss('sync_history');
    // A later record of this import updated the customer again: that record's values are the ones to find.
    if ((lastUpdate.get(row.customerId) ?? 0) > row.rowNumber) continue;
    for (const field of row.outcome === 'created'
      ? createdMismatches(customer, row.value, importId)
      : updatedMismatches(customer, row.value))
      miss(field);
  }
  return mismatches;
}

function createdMismatches(customer: StoredCustomer, v: NanaRecord, importId: number): string[] {
  const fields: string[] = [];
  if (customer.importId !== importId) fields.push('import_id');
  if (customer.firstName !== v.firstName) fields.push('firstname');
  if (customer.lastName !== v.lastName) fields.push('lastname');
  if (customer.gender !== v.gender) fields.push('gender');
  if (customer.dateOfBirth !== v.dateOfBirth) fields.push('date_of_birth');
  if (
    !sameSet(
      customer.phones,
      v.phones.map((p) => p.e164),
    )
  )
    fields.push('phone');
  if (!sameSet(customer.emails, v.emails)) fields.push('email');
  if (customer.companies.join('\u0000') !== v.companies.join('\u0000')) fields.push('company_name');
  return fields;
}

/** An update writes the names, gender and birth date when given, and adds phones, emails and companies. */
function updatedMismatches(customer: StoredCustomer, v: NanaRecord): string[] {
  const fields: string[] = [];
  if (customer.firstName !== v.firstName) fields.push('firstname');
  if (customer.lastName !== v.lastName) fields.push('lastname');
  if (v.gender !== null && customer.gender !== v.gender) fields.push('gender');
  if (v.dateOfBirth !== null && customer.dateOfBirth !== v.dateOfBirth) fields.push('date_of_birth');
  if (!v.phones.every((p) => customer.phones.includes(p.e164))) fields.push('phone');
  if (!v.emails.every((e) => customer.emails.includes(e))) fields.push('email');
  if (!v.companies.every((c) => customer.companies.includes(c))) fields.push('company_name');
  return fields;
}

/** The id points at the record's customer, or a later record of the same import moved it on. */
function linksHere(rel: ActiveRelation | undefined, importId: number, row: ImportedRow<NanaRecord>): boolean {
  if (!rel) return false;
  return rel.customerId === row.customerId || (rel.importId === importId && (rel.rowNumber ?? 0) > row.rowNumber);
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
}
