import type { Queryable } from '../../db/queryable';
import type { ActiveRelation } from '../../db/queries/customers';
import { activeRelationDetails, loadCustomers } from '../../db/queries/customers';
import type { NanaRecord } from '../../domain/sources/nana';
import type { ImportedRow, Mismatch } from '../importer';

/** Reads what the import wrote for these records and compares it with the source, field by field. */
export async function readBackNana(db: Queryable, importId: number, rows: ImportedRow<NanaRecord>[]): Promise<Mismatch[]> {
  const customerIds = [...new Set(rows.map((r) => r.customerId))];
  const stored = await loadCustomers(db, customerIds);
  const relations = await activeRelationDetails(db, 'nana', [...new Set(rows.flatMap((r) => r.value.nanaIds))]);
  const mismatches: Mismatch[] = [];
  for (const row of rows) {
    const miss = (field: string) => mismatches.push({ rowNumber: row.rowNumber, field });
    const customer = stored.get(row.customerId);
    if (!customer) {
      miss('customer');
      continue;
    }
    for (const id of row.value.nanaIds) if (!linksHere(relations.get(id), importId, row)) miss('nana_cus_id');
    if (row.outcome !== 'created') continue;
    const v = row.value;
    if (customer.importId !== importId) miss('import_id');
    if (customer.firstName !== v.firstName) miss('firstname');
    if (customer.lastName !== v.lastName) miss('lastname');
    if (customer.gender !== v.gender) miss('gender');
    if (customer.dateOfBirth !== v.dateOfBirth) miss('date_of_birth');
    if (!sameSet(customer.phones, v.phones.map((p) => p.e164))) miss('phone');
    if (!sameSet(customer.emails, v.emails)) miss('email');
    if (customer.companies.join('\u0000') !== v.companies.join('\u0000')) miss('company_name');
  }
  return mismatches;
}

/** The id points at the record's customer, or a later record of the same import moved it on. */
function linksHere(rel: ActiveRelation | undefined, importId: number, row: ImportedRow<NanaRecord>): boolean {
  if (!rel) return false;
  return rel.customerId === row.customerId || (rel.importId === importId && (rel.rowNumber ?? 0) > row.rowNumber);
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
}
