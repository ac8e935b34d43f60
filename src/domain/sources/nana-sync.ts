import type { RowError } from '../row-error';
import type { NanaRecord } from './nana';

/** A customer that exists in the database, or the k-th customer this batch creates. */
export type CustomerRef = { existing: number } | { created: number };

/** What the database held before the batch: the answers to the batch's lookups. */
export interface NanaLookups {
  existingCustomers: Set<number>;
  /** Phones (E.164) that already belong to a customer. */
  ownedPhones: Set<string>;
  /** Nana ids with an active relation, and the customer they point to. */
  linkedIds: Map<string, number>;
}

export type NanaDecision =
  | { rowNumber: number; outcome: 'created'; customer: CustomerRef; link: string[] }
  | { rowNumber: number; outcome: 'linked'; customer: CustomerRef; link: string[]; relink: string[] }
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
 */
export function decideNanaRecords(inputs: NanaDecisionInput[], lookups: NanaLookups): { decisions: NanaDecision[]; createdRecords: NanaRecord[] } {
  const ownedPhones = new Set(lookups.ownedPhones);
  const linked = new Map<string, CustomerRef>([...lookups.linkedIds].map(([id, c]) => [id, { existing: c }]));
  const createdRecords: NanaRecord[] = [];
  const decisions = inputs.map(({ rowNumber, record }): NanaDecision => {
    const decision = decideOne(rowNumber, record, lookups.existingCustomers, ownedPhones, linked, createdRecords.length);
    if (decision.outcome === 'created') {
      createdRecords.push(record);
      for (const p of record.phones) ownedPhones.add(p.e164);
    }
    if (decision.outcome === 'created' || decision.outcome === 'linked') {
      for (const id of decision.link) linked.set(id, decision.customer);
    }
    return decision;
  });
  return { decisions, createdRecords };
}

function decideOne(
  rowNumber: number,
  record: NanaRecord,
  existingCustomers: Set<number>,
  ownedPhones: Set<string>,
  linked: Map<string, CustomerRef>,
  createdSoFar: number,
): NanaDecision {
  if (record.careosCusId !== null) {
    if (!existingCustomers.has(record.careosCusId)) {
      return reject(rowNumber, 'careos_cus_id', 'UNKNOWN_CUSTOMER', 'careos_cus_id does not match any CareOS customer');
    }
    const target: CustomerRef = { existing: record.careosCusId };
    const link = record.nanaIds.filter((id) => !sameCustomer(linked.get(id), target));
    // BI's mapping wins: a Nana id linked elsewhere is deactivated there and linked here.
    const relink = link.filter((id) => linked.has(id));
    if (link.length === 0) return { rowNumber, outcome: 'skipped', customer: target };
    return { rowNumber, outcome: 'linked', customer: target, link, relink };
  }

  const owners = uniqueRefs(record.nanaIds.map((id) => linked.get(id)).filter((c): c is CustomerRef => c !== undefined));
  if (owners.length > 1) {
    return reject(rowNumber, 'nana_cus_id', 'NANA_IDS_CONFLICT', 'nana_cus_id items are already linked to different customers');
  }
  if (owners.length === 1) {
    // Already imported (by an earlier record or file): link what is new, create nothing.
    const link = record.nanaIds.filter((id) => !linked.has(id));
    if (link.length === 0) return { rowNumber, outcome: 'skipped', customer: owners[0] };
    return { rowNumber, outcome: 'linked', customer: owners[0], link, relink: [] };
  }

  if (!record.forceCreate) {
    const taken = record.phones.findIndex((p) => ownedPhones.has(p.e164));
    if (taken >= 0) {
      const which = record.phones.length > 1 ? `phone item ${taken + 1}` : 'phone';
      return reject(rowNumber, 'phone', 'DUPLICATE_PHONE', `${which} already belongs to an existing customer (set force_create to Y to create anyway)`);
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
