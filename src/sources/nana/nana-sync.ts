import type { RowError } from '../../domain/row-error';
import type { CustomerRef } from '../shared/customer-ref';
import type { NanaRecord } from './nana';

export type { CustomerRef };

/** A sync-history row of a Nana key. */
export interface NanaSynced {
  customerId: number;
  hash: string | null;
  /**
   * Written by an import still in progress: this one (an earlier batch) or one running beside
   * it. The key is being synced right now, so its later records follow the Nana rule alone.
   */
  open: boolean;
}

/** What the database held before the batch: the answers to the batch's lookups. */
export interface NanaLookups {
  /** careos_cus_id → the customer it names now (a merged customer's survivor). */
  existingCustomers: Map<number, number>;
  /** Phones (E.164) that already belong to a customer. */
  ownedPhones: Set<string>;
  /** Which customers own each of those phones: an update adds only the phones its customer lacks. */
  phoneOwners: Map<string, number[]>;
  /** Nana ids with an active relation, and the customer they point to. */
  linkedIds: Map<string, number>;
  /** Sync history of the batch's keys. */
  history: Map<string, NanaSynced>;
}

export type NanaDecision =
  | { rowNumber: number; outcome: 'created'; customer: CustomerRef; link: string[] }
  | { rowNumber: number; outcome: 'linked' | 'updated'; customer: CustomerRef; link: string[]; relink: string[] }
  | { rowNumber: number; outcome: 'skipped'; customer: CustomerRef }
  | { rowNumber: number; outcome: 'rejected'; errors: RowError[] };

export interface NanaDecisionInput {
  rowNumber: number;
  record: NanaRecord;
}

/**
 * The Nana sync rule, applied to the batch's records one at a time in file order.
 * State grows as it goes, so an earlier record's new customer and links count as existing
 * for later records: the result equals a row-at-a-time import.
 *
 * Gap re-imports: a record whose key an earlier, finished import synced with another hash is
 * `updated` when the rule finds its customer (skipped or linked); it is `skipped` when the hash
 * is the same. Everything else (no history, a key this file or an import running beside it
 * already synced) follows the rule.
 */
export function decideNanaRecords(
  inputs: NanaDecisionInput[],
  lookups: NanaLookups,
): { decisions: NanaDecision[]; createdRecords: NanaRecord[] } {
  const state = new NanaState(lookups);
  const createdRecords: NanaRecord[] = [];
  const decisions = inputs.map(({ rowNumber, record }): NanaDecision => {
    const ruled = decideOne(
      rowNumber,
      record,
      lookups.existingCustomers,
      state.ownedPhones,
      state.linked,
      createdRecords.length,
    );
    const decision = applyHistory(ruled, record, state);
    if (decision.outcome === 'created') createdRecords.push(record);
    state.apply(decision, record);
    return decision;
  });
  return { decisions, createdRecords };
}

/**
 * The sync-history rows a batch writes: the first processed record of each key, so the key's
 * hash is the one of the record whose values the customer holds (an earlier record of a file
 * wins over a later duplicate). A key an import in progress holds is left to that import.
 * Unchanged records are written too: the row then carries this import, which is how a later
 * batch knows the key was synced by this file (its before-image gives the old row back on rollback).
 */
export function nanaHistoryWrites(
  inputs: NanaDecisionInput[],
  decisions: NanaDecision[],
  history: Map<string, NanaSynced>,
): { key: string; customer: CustomerRef; hash: string }[] {
  const open = new Set([...history].filter(([, h]) => h.open).map(([key]) => key));
  return decisions.flatMap((d, i) => {
    const { key, hash } = inputs[i].record;
    if (d.outcome === 'rejected' || open.has(key)) return [];
    open.add(key);
    return [{ key, customer: d.customer, hash }];
  });
}

export interface NanaCustomerUpdate {
  customer: CustomerRef;
  firstName: string;
  lastName: string;
  gender: 'F' | 'M' | null;
  dateOfBirth: string | null;
}

/**
 * One update per customer: the batch's `updated` records folded in file order, as if applied one
 * after the other. Names come from the last; gender and birth date from the last that gives one
 * (null keeps the customer's value).
 */
export function nanaCustomerUpdates(inputs: NanaDecisionInput[], decisions: NanaDecision[]): NanaCustomerUpdate[] {
  const byCustomer = new Map<string, NanaCustomerUpdate>();
  decisions.forEach((d, i) => {
    if (d.outcome !== 'updated') return;
    const r = inputs[i].record;
    const before = byCustomer.get(refKey(d.customer));
    byCustomer.set(refKey(d.customer), {
      customer: d.customer,
      firstName: r.firstName,
      lastName: r.lastName,
      gender: r.gender ?? before?.gender ?? null,
      dateOfBirth: r.dateOfBirth ?? before?.dateOfBirth ?? null,
    });
  });
  return [...byCustomer.values()];
}

/** The batch's view of the database as the records before the current one left it. */
class NanaState {
  readonly ownedPhones: Set<string>;
  readonly linked: Map<string, CustomerRef>;
  /** Customers owning each phone, as ref keys. */
  private readonly owners = new Map<string, Set<string>>();
  /** Hash per key synced by a finished import and not yet by this file. */
  private readonly settled = new Map<string, string | null>();

  constructor(lookups: NanaLookups) {
    this.ownedPhones = new Set(lookups.ownedPhones);
    this.linked = new Map([...lookups.linkedIds].map(([id, c]) => [id, { existing: c }]));
    for (const [phone, ids] of lookups.phoneOwners)
      this.owners.set(phone, new Set(ids.map((id) => refKey({ existing: id }))));
    for (const [key, h] of lookups.history) if (!h.open) this.settled.set(key, h.hash);
  }

  /** The hash a finished import synced this key with; undefined when none did or this file already synced it. */
  settledHash(key: string): string | null | undefined {
    return this.settled.get(key);
  }

  owns(customer: CustomerRef, phone: string): boolean {
    return this.owners.get(phone)?.has(refKey(customer)) ?? false;
  }

  apply(d: NanaDecision, record: NanaRecord): void {
    if (d.outcome === 'rejected') return;
    this.settled.delete(record.key);
    if (d.outcome === 'created' || d.outcome === 'updated') {
      for (const p of record.phones) {
        this.ownedPhones.add(p.e164);
        this.owners.set(p.e164, (this.owners.get(p.e164) ?? new Set()).add(refKey(d.customer)));
      }
    }
    if (d.outcome !== 'skipped') for (const id of d.link) this.linked.set(id, d.customer);
  }
}

/**
 * A changed record (another hash than the finished import that synced its key) of a customer the
 * rule found becomes `updated`: the customer takes the file's values, its ids are linked as the
 * rule says. A phone the update would add that belongs to another customer rejects the record
 * DUPLICATE_PHONE: an update never makes two customers share a phone. force_create does not
 * lift it: it asks for a new profile, and an update creates none.
 */
function applyHistory(ruled: NanaDecision, record: NanaRecord, state: NanaState): NanaDecision {
  if (ruled.outcome !== 'skipped' && ruled.outcome !== 'linked') return ruled;
  const synced = state.settledHash(record.key);
  if (synced === undefined || synced === record.hash) return ruled;
  const { rowNumber, customer } = ruled;
  const which = takenPhone(record, (e164) => !state.owns(customer, e164) && state.ownedPhones.has(e164));
  if (which !== null) {
    return reject(
      rowNumber,
      'phone',
      'DUPLICATE_PHONE',
      `${which} already belongs to another customer: an update does not add it (force_create only applies to new profiles)`,
    );
  }
  return ruled.outcome === 'linked'
    ? { ...ruled, outcome: 'updated' }
    : { rowNumber, outcome: 'updated', customer, link: [], relink: [] };
}

/** The first of the record's phones that `taken` holds, as the error names it (`phone`, or `phone item n` of a list); null when none is. */
function takenPhone(record: NanaRecord, taken: (e164: string) => boolean): string | null {
  const index = record.phones.findIndex((p) => taken(p.e164));
  if (index < 0) return null;
  return record.phones.length > 1 ? `phone item ${index + 1}` : 'phone';
}

function decideOne(
  rowNumber: number,
  record: NanaRecord,
  existingCustomers: Map<number, number>,
  ownedPhones: Set<string>,
  linked: Map<string, CustomerRef>,
  createdSoFar: number,
): NanaDecision {
  if (record.careosCusId !== null) {
    const customerId = existingCustomers.get(record.careosCusId);
    if (customerId === undefined) {
      return reject(rowNumber, 'careos_cus_id', 'UNKNOWN_CUSTOMER', 'careos_cus_id does not match any CareOS customer');
    }
    const target: CustomerRef = { existing: customerId };
    const link = record.nanaIds.filter((id) => !sameCustomer(linked.get(id), target));
    // BI's mapping wins: a Nana id linked elsewhere is deactivated there and linked here.
    const relink = link.filter((id) => linked.has(id));
    if (link.length === 0) return { rowNumber, outcome: 'skipped', customer: target };
    return { rowNumber, outcome: 'linked', customer: target, link, relink };
  }

  const owners = uniqueRefs(
    record.nanaIds.map((id) => linked.get(id)).filter((c): c is CustomerRef => c !== undefined),
  );
  if (owners.length > 1) {
    return reject(
      rowNumber,
      'nana_cus_id',
      'NANA_IDS_CONFLICT',
      'nana_cus_id items are already linked to different customers',
    );
  }
  if (owners.length === 1) {
    // Already imported (by an earlier record or file): link what is new, create nothing.
    const link = record.nanaIds.filter((id) => !linked.has(id));
    if (link.length === 0) return { rowNumber, outcome: 'skipped', customer: owners[0] };
    return { rowNumber, outcome: 'linked', customer: owners[0], link, relink: [] };
  }

  if (!record.forceCreate) {
    const which = takenPhone(record, (e164) => ownedPhones.has(e164));
    if (which !== null) {
      return reject(
        rowNumber,
        'phone',
        'DUPLICATE_PHONE',
        `${which} already belongs to an existing customer (set force_create to Y to create anyway)`,
      );
    }
  }
  return { rowNumber, outcome: 'created', customer: { created: createdSoFar }, link: record.nanaIds };
}

function sameCustomer(a: CustomerRef | undefined, b: CustomerRef): boolean {
  return a !== undefined && refKey(a) === refKey(b);
}

function refKey(ref: CustomerRef): string {
  return 'existing' in ref ? `e${ref.existing}` : `c${ref.created}`;
}

function uniqueRefs(refs: CustomerRef[]): CustomerRef[] {
  const byKey = new Map(refs.map((r) => [refKey(r), r]));
  return [...byKey.values()];
}

function reject(rowNumber: number, field: string, code: string, message: string): NanaDecision {
  return { rowNumber, outcome: 'rejected', errors: [{ field, code, message }] };
}
