import type { Queryable } from '../../db/queryable';
import { attributesOf } from '../../db/queries/attributes';
import { activeRelationDetails, loadCustomers } from '../../db/queries/customers';
import { findSynced } from '../../db/queries/sync-history';
import type { ProfileRecord } from './profile';
import type { ImportedRow, Mismatch } from '../importer';

/** Reads back what a profile import wrote for these records and compares it with the source. */
export function profileReadBack(source: string) {
  return async function readBackProfiles(
    db: Queryable,
    importId: number,
    rows: ImportedRow<ProfileRecord>[],
  ): Promise<Mismatch[]> {
    const stored = await loadCustomers(db, [...new Set(rows.map((r) => r.customerId))]);
    const synced = await findSynced(db, source, [...new Set(rows.map((r) => r.value.key))]);
    const links = await activeRelationDetails(db, source, [
      ...new Set(rows.flatMap((r) => (r.value.legacyId ? [r.value.legacyId] : []))),
    ]);
    const attributes = rows.some((r) => r.value.attributes?.length)
      ? await attributesOf(db, [...stored.keys()])
      : new Map<number, Map<string, string>>();
    const mismatches: Mismatch[] = [];
    for (const row of rows) {
      const miss = (field: string) => mismatches.push({ rowNumber: row.rowNumber, field });
      const customer = stored.get(row.customerId);
      const v = row.value;
      if (!customer) {
        miss('customer');
        continue;
      }
      if (row.outcome !== 'created' && row.outcome !== 'updated') continue;
      if (row.outcome === 'created' && customer.importId !== importId) miss('import_id');
      if (synced.get(v.key)?.customerId !== row.customerId && !movedOn(synced.get(v.key)?.importId, importId))
        miss('sync_history');
      if (v.legacyId && links.get(v.legacyId)?.customerId !== row.customerId) miss('legacy_id');
      // A later record of the same import may have updated this customer again.
      if (customer.firstName !== v.firstName && !laterUpdate(rows, row)) miss('first_name');
      if (customer.lastName !== v.lastName && !laterUpdate(rows, row)) miss('last_name');
      if (v.gender && customer.gender !== v.gender && !laterUpdate(rows, row)) miss('gender');
      if (v.dateOfBirth && customer.dateOfBirth !== v.dateOfBirth && !laterUpdate(rows, row)) miss('date_of_birth');
      if (!v.phones.every((p) => customer.phones.includes(p.e164))) miss('phone');
      if (!v.emails.every((e) => customer.emails.includes(e))) miss('email');
      for (const a of v.attributes ?? [])
        if (attributes.get(row.customerId)?.get(a.key) !== a.value && !laterUpdate(rows, row))
          miss(`attributes.${a.key}`);
    }
    return mismatches;
  };
}

function movedOn(syncedBy: number | null | undefined, importId: number): boolean {
  return syncedBy === importId;
}

function laterUpdate(rows: ImportedRow<ProfileRecord>[], row: ImportedRow<ProfileRecord>): boolean {
  return rows.some((r) => r.customerId === row.customerId && r.rowNumber > row.rowNumber);
}
