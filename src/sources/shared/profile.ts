import type { Phone } from '../../domain/phone';
import type { RowError } from '../../domain/row-error';
import type { CustomerRef } from './customer-ref';
import type { PhoneOwner } from '../../db/queries/profiles';

/**
 * A customer profile record of any profile source (careshop, loyalty-users, mapped) after
 * validation. `key` names the record in the sync history; `hash` is its content digest.
 */
export interface ProfileRecord {
  key: string;
  hash: string;
  firstName: string;
  lastName: string;
  gender: 'F' | 'M' | null;
  dateOfBirth: string | null;
  phones: Phone[];
  emails: string[];
  address: { address: string | null; city: string | null; postcode: string | null } | null;
  nationalIdHash: string | null;
  /** customer_identities.kind of the id's scheme (nationalIdKind); absent: a Thai id. */
  nationalIdKind?: string;
  /** Legacy id linked in customer_relations under the source's name. */
  legacyId: string | null;
  /** ISO 4217 currency when the text or the mapping names one; a conversion only at a rate the mapping fixed. */
  amounts: {
    name: string;
    amount: string;
    currency?: string | null;
    conversion?: { rate: string; amount: string; currency: string };
  }[];
  /** Custom attributes (mapped source): normalised values by key, stored in customer_attributes. */
  attributes?: { key: string; value: string }[];
}

export const DUPLICATE_STRATEGIES = ['reject', 'skip', 'update', 'create'] as const;
export type DuplicateStrategy = (typeof DUPLICATE_STRATEGIES)[number];

/**
 * same-phone-and-name: a customer with the record's phone and name already is the record (nothing to do);
 * anything else is created. strategy: a duplicate is handled as the import's duplicate strategy says.
 */
export type MatchPolicy = { kind: 'same-phone-and-name' } | { kind: 'strategy'; duplicates: DuplicateStrategy };

export type { PhoneOwner };

/** What the database held before the batch. */
export interface ProfileLookups {
  /** Sync history of this source by key: the customer the record went to and its content hash then. */
  history: Map<string, { customerId: number; hash: string | null }>;
  phoneOwners: Map<string, PhoneOwner[]>;
  emailOwners: Map<string, number[]>;
  nationalIdOwners: Map<string, number[]>;
  /** Active legacy ids of this source → customer. */
  linkedIds: Map<string, number>;
}

export type ProfileDecision =
  | {
      rowNumber: number;
      outcome: 'created' | 'updated' | 'skipped';
      customer: CustomerRef;
      writeHistory: boolean;
      link: boolean;
    }
  | { rowNumber: number; outcome: 'rejected'; errors: RowError[] };

type Owner = { ref: CustomerRef; firstName: string; lastName: string };

/**
 * The profile sync rule, one record at a time in file order; what earlier records created,
 * updated and linked counts for later ones, so batching never changes the result.
 *  1. Synced before (sync history): unchanged content → skipped; changed → updated.
 *  2. same-phone-and-name: the phone belongs to a customer with the same first and last name → skipped; else created.
 *  3. strategy: a customer matching by legacy id, email, phone or national id is a duplicate,
 *     handled by the strategy: reject, skip, update or create.
 */
export function decideProfiles(
  inputs: { rowNumber: number; record: ProfileRecord }[],
  lookups: ProfileLookups,
  policy: MatchPolicy,
): { decisions: ProfileDecision[]; createdRecords: ProfileRecord[] } {
  const state = new BatchState(lookups);
  const createdRecords: ProfileRecord[] = [];
  const decisions = inputs.map(({ rowNumber, record }) => {
    const d = decideOne(rowNumber, record, state, policy, createdRecords.length);
    if (d.outcome === 'created') createdRecords.push(record);
    if (d.outcome !== 'rejected') state.apply(d, record);
    return d;
  });
  return { decisions, createdRecords };
}

function decideOne(
  rowNumber: number,
  record: ProfileRecord,
  state: BatchState,
  policy: MatchPolicy,
  createdSoFar: number,
): ProfileDecision {
  const synced = state.history.get(record.key);
  if (synced) {
    if (synced.hash === record.hash)
      return { rowNumber, outcome: 'skipped', customer: synced.ref, writeHistory: false, link: false };
    return withLink(rowNumber, record, state, {
      rowNumber,
      outcome: 'updated',
      customer: synced.ref,
      writeHistory: true,
      link: true,
    });
  }
  const created: ProfileDecision = {
    rowNumber,
    outcome: 'created',
    customer: { created: createdSoFar },
    writeHistory: true,
    link: true,
  };
  if (policy.kind === 'same-phone-and-name') {
    const same = record.phones
      .flatMap((p) => state.phoneOwners.get(p.e164) ?? [])
      .find((o) => o.firstName === record.firstName && o.lastName === record.lastName);
    if (same)
      return withLink(rowNumber, record, state, {
        rowNumber,
        outcome: 'skipped',
        customer: same.ref,
        writeHistory: true,
        link: true,
      });
    return withLink(rowNumber, record, state, created);
  }
  const match = findDuplicate(record, state);
  if (!match) return withLink(rowNumber, record, state, created);
  switch (policy.duplicates) {
    case 'reject':
      return reject(
        rowNumber,
        match.field,
        'DUPLICATE_CUSTOMER',
        `an existing customer has the same ${match.field} (duplicates=reject; choose skip, update or create)`,
      );
    case 'skip':
      return withLink(rowNumber, record, state, {
        rowNumber,
        outcome: 'skipped',
        customer: match.ref,
        writeHistory: false,
        link: true,
      });
    case 'update':
      return withLink(rowNumber, record, state, {
        rowNumber,
        outcome: 'updated',
        customer: match.ref,
        writeHistory: true,
        link: true,
      });
    case 'create':
      return withLink(rowNumber, record, state, created);
  }
}

/** The legacy id goes to the decided customer unless another customer already holds it. */
function withLink(rowNumber: number, record: ProfileRecord, state: BatchState, d: ProfileDecision): ProfileDecision {
  if (d.outcome === 'rejected' || record.legacyId === null) return d.outcome === 'rejected' ? d : { ...d, link: false };
  const holder = state.linked.get(record.legacyId);
  if (holder === undefined) return d;
  if (refKey(holder) === refKey(d.customer)) return { ...d, link: false };
  return reject(
    rowNumber,
    'legacy_id',
    'LEGACY_ID_CONFLICT',
    'the legacy id is already linked to a different customer',
  );
}

function findDuplicate(record: ProfileRecord, state: BatchState): { ref: CustomerRef; field: string } | null {
  const byLegacy = record.legacyId === null ? undefined : state.linked.get(record.legacyId);
  if (byLegacy) return { ref: byLegacy, field: 'legacy id' };
  for (const email of record.emails) {
    const owner = state.emailOwners.get(email)?.[0];
    if (owner) return { ref: owner, field: 'email' };
  }
  for (const phone of record.phones) {
    const owner = state.phoneOwners.get(phone.e164)?.[0];
    if (owner) return { ref: owner.ref, field: 'phone' };
  }
  const byId = record.nationalIdHash === null ? undefined : state.nationalIdOwners.get(record.nationalIdHash)?.[0];
  if (byId) return { ref: byId, field: 'national id' };
  return null;
}

class BatchState {
  readonly history = new Map<string, { ref: CustomerRef; hash: string | null }>();
  readonly phoneOwners = new Map<string, Owner[]>();
  readonly emailOwners = new Map<string, CustomerRef[]>();
  readonly nationalIdOwners = new Map<string, CustomerRef[]>();
  readonly linked = new Map<string, CustomerRef>();

  constructor(l: ProfileLookups) {
    for (const [k, h] of l.history) this.history.set(k, { ref: { existing: h.customerId }, hash: h.hash });
    for (const [p, owners] of l.phoneOwners)
      this.phoneOwners.set(
        p,
        owners.map((o) => ({ ref: { existing: o.customerId }, firstName: o.firstName, lastName: o.lastName })),
      );
    for (const [e, ids] of l.emailOwners)
      this.emailOwners.set(
        e,
        ids.map((id) => ({ existing: id })),
      );
    for (const [n, ids] of l.nationalIdOwners)
      this.nationalIdOwners.set(
        n,
        ids.map((id) => ({ existing: id })),
      );
    for (const [id, c] of l.linkedIds) this.linked.set(id, { existing: c });
  }

  apply(d: Extract<ProfileDecision, { customer: CustomerRef }>, record: ProfileRecord): void {
    const ref = d.customer;
    if (d.writeHistory) this.history.set(record.key, { ref, hash: record.hash });
    if (d.link && record.legacyId !== null) this.linked.set(record.legacyId, ref);
    if (d.outcome === 'skipped') return;
    const add = <T>(map: Map<string, T[]>, key: string, value: T) => map.set(key, [...(map.get(key) ?? []), value]);
    for (const p of record.phones)
      add(this.phoneOwners, p.e164, { ref, firstName: record.firstName, lastName: record.lastName });
    for (const e of record.emails) add(this.emailOwners, e, ref);
    if (record.nationalIdHash) add(this.nationalIdOwners, record.nationalIdHash, ref);
  }
}

export function refKey(ref: CustomerRef): string {
  return 'existing' in ref ? `e${ref.existing}` : `c${ref.created}`;
}

function reject(rowNumber: number, field: string, code: string, message: string): ProfileDecision {
  return { rowNumber, outcome: 'rejected', errors: [{ field, code, message }] };
}
