import type pg from 'pg';
import * as customers from '../../db/queries/customers';
import { findImport } from '../../db/queries/imports';
import { insertOutcomes, insertRejections, type Outcome } from '../../db/queries/ledger';
import { setAttributes } from '../../db/queries/attributes';
import * as profiles from '../../db/queries/profiles';
import { findSynced, writeSyncHistory } from '../../db/queries/sync-history';
import { nationalIdKind } from '../../domain/national-id';
import type { CustomerRef } from './customer-ref';
import { decideProfiles, type DuplicateStrategy, type MatchPolicy, type ProfileRecord } from './profile';
import type { BatchCounts, BatchWriteOptions, ValidRow } from '../importer';
import { addPhonesAndEmails } from './add-phones-and-emails';
import { insertCreatedCustomers } from './insert-created-customers';
import { NewCustomerRows } from './new-customer-rows';

/**
 * The batch writer of a profile source: lookups, the rule in memory, set-based writes. A source with
 * a rule of its own names it as `fixedPolicy`; the others take the duplicate strategy of the import.
 */
export function profileBatchImporter(source: string, fixedPolicy?: MatchPolicy) {
  return async function importProfileBatch(
    client: pg.PoolClient,
    importId: number,
    rows: ValidRow<ProfileRecord>[],
    options: BatchWriteOptions,
  ): Promise<BatchCounts> {
    const policy = fixedPolicy ?? (await policyOf(client, importId));
    const records = rows.map((r) => r.value);
    const db = options.lookups;
    const [synced, phoneOwners, emailOwners, nationalIdOwners, linkedIds] = await Promise.all([
      findSynced(db, source, unique(records.map((r) => r.key))),
      profiles.phoneOwners(db, unique(records.flatMap((r) => r.phones.map((p) => p.e164)))),
      profiles.emailOwners(db, unique(records.flatMap((r) => r.emails))),
      profiles.nationalIdOwners(
        db,
        records.flatMap((r) => (r.nationalIdHash ? [nationalIdOf(r, r.nationalIdHash)] : [])),
      ),
      customers.activeRelations(db, source, unique(records.flatMap((r) => (r.legacyId ? [r.legacyId] : [])))),
    ]);
    options.lookedUp();
    const lookups = {
      history: new Map([...synced].map(([k, s]) => [k, { customerId: s.customerId, hash: s.hash }])),
      phoneOwners,
      emailOwners,
      nationalIdOwners,
      linkedIds,
    };
    const { decisions, createdRecords } = decideProfiles(
      rows.map((r) => ({ rowNumber: r.rowNumber, record: r.value })),
      lookups,
      policy,
    );
    const newIds = await customers.allocateCustomerIds(client, createdRecords.length);
    const resolve = (ref: CustomerRef) => ('existing' in ref ? ref.existing : newIds[ref.created]);
    const byRow = new Map(rows.map((r) => [r.rowNumber, r]));
    const fresh = new NewCustomerRows(client, options.skipRowTriggers, newIds);
    const applied = decisions.flatMap((d) =>
      d.outcome === 'created' || d.outcome === 'updated'
        ? [{ customerId: resolve(d.customer), record: byRow.get(d.rowNumber)!.value, outcome: d.outcome }]
        : [],
    );
    const kept = decisions.flatMap((d) =>
      d.outcome === 'rejected' ? [] : [{ d, record: byRow.get(d.rowNumber)!.value }],
    );
    const relations = kept
      .filter(({ d, record }) => d.link && record.legacyId)
      .map(({ d, record }) => ({
        customerId: resolve(d.customer),
        originalId: record.legacyId!,
        rowNumber: d.rowNumber,
        active: true,
      }));
    const history = kept
      .filter(({ d }) => d.writeHistory)
      .map(({ d, record }) => ({ key: record.key, customerId: resolve(d.customer), hash: record.hash }));

    await fresh.write(async () => {
      await insertCreatedCustomers(client, importId, createdRecords, newIds);
      await addDetails(client, importId, fresh.of(applied.filter((a) => a.outcome === 'created')));
      await customers.insertRelations(
        client,
        importId,
        source,
        fresh.of(relations.filter((r) => fresh.has(r.customerId))),
      );
      await writeSyncHistory(
        client,
        importId,
        source,
        fresh.of(history.filter((h) => fresh.has(h.customerId))),
        synced,
      );
    });

    const changed = applied.filter((a) => a.outcome === 'updated');
    await profiles.updateCustomers(
      client,
      importId,
      changed.map(({ customerId, record: r }) => ({
        customerId,
        firstName: r.firstName,
        lastName: r.lastName,
        gender: r.gender,
        dateOfBirth: r.dateOfBirth,
      })),
    );
    await addDetails(client, importId, changed);
    await customers.insertRelations(
      client,
      importId,
      source,
      relations.filter((r) => !fresh.has(r.customerId)),
    );
    await writeSyncHistory(
      client,
      importId,
      source,
      history.filter((h) => !fresh.has(h.customerId)),
      synced,
    );

    const rejected = decisions.flatMap((d) =>
      d.outcome === 'rejected'
        ? [
            {
              rowNumber: d.rowNumber,
              lineNumber: byRow.get(d.rowNumber)!.lineNumber,
              record: byRow.get(d.rowNumber)!.record,
              errors: d.errors,
            },
          ]
        : [],
    );
    await insertRejections(client, importId, 'import', rejected);
    await insertOutcomes(
      client,
      importId,
      'import',
      kept.map(({ d }) => ({ rowNumber: d.rowNumber, outcome: d.outcome as Outcome, customerId: resolve(d.customer) })),
    );
    const counts: BatchCounts = { created: 0, linked: 0, updated: 0, skipped: 0, rejected: 0 };
    for (const d of decisions) counts[d.outcome] += 1;
    return counts;
  };
}

/** The phones, emails, national ids, addresses, amounts and attributes a profile record gives its customer (those it lacks, for phones, emails and ids). */
async function addDetails(
  client: pg.PoolClient,
  importId: number,
  applied: { customerId: number; record: ProfileRecord }[],
): Promise<void> {
  await addPhonesAndEmails(client, importId, applied);
  await profiles.addNationalIds(
    client,
    importId,
    applied.flatMap(({ customerId, record }) =>
      record.nationalIdHash ? [{ customerId, ...nationalIdOf(record, record.nationalIdHash) }] : [],
    ),
  );
  await profiles.insertAddresses(
    client,
    importId,
    applied.flatMap(({ customerId, record }) => (record.address ? [{ customerId, ...record.address }] : [])),
  );
  await profiles.insertAmounts(
    client,
    importId,
    applied.flatMap(({ customerId, record }) => record.amounts.map((a) => ({ customerId, ...a }))),
  );
  await setAttributes(
    client,
    importId,
    applied.flatMap(({ customerId, record }) => (record.attributes ?? []).map((a) => ({ customerId, ...a }))),
  );
}

/** The import's duplicate strategy comes from its options, read from the imports row (workflows carry ids only). */
async function policyOf(client: pg.PoolClient, importId: number): Promise<MatchPolicy> {
  const imp = await findImport(client, importId);
  return { kind: 'strategy', duplicates: (imp?.options.duplicates as DuplicateStrategy | undefined) ?? 'reject' };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** The digest with the kind it is compared within; records from before schemes carry Thai ids. */
function nationalIdOf(record: ProfileRecord, hash: string): profiles.NationalIdRef {
  return { kind: record.nationalIdKind ?? nationalIdKind('th'), hash };
}
