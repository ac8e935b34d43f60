import { describe, expect, it } from 'vitest';
import type { NanaRecord } from '../../src/domain/sources/nana';
import { decideNanaRecords, type NanaLookups } from '../../src/domain/sources/nana-sync';

function record(overrides: Partial<Omit<NanaRecord, 'phones'>> & { phones?: string[] } = {}): NanaRecord {
  const { phones = ['+66812345678'], ...rest } = overrides;
  return {
    careosCusId: null,
    nanaIds: ['N1'],
    gender: null,
    firstName: 'Somsri',
    lastName: 'Jaidee',
    emails: [],
    dateOfBirth: null,
    companies: [],
    forceCreate: false,
    ...rest,
    phones: phones.map((e164) => ({ e164, extension: null })),
  };
}

function lookups(overrides: { existingCustomers?: number[]; ownedPhones?: string[]; linkedIds?: Record<string, number> } = {}): NanaLookups {
  return {
    existingCustomers: new Set(overrides.existingCustomers ?? []),
    ownedPhones: new Set(overrides.ownedPhones ?? []),
    linkedIds: new Map(Object.entries(overrides.linkedIds ?? {})),
  };
}

/** Records numbered from 1 in file order, as the batch reads them. */
function decide(records: NanaRecord[], db: NanaLookups = lookups()) {
  return decideNanaRecords(records.map((r, i) => ({ rowNumber: i + 1, record: r })), db);
}

describe('decideNanaRecords: new customers', () => {
  it('creates a customer for a new record and links all its Nana ids', () => {
    const r = record({ nanaIds: ['N1', 'N2'] });
    expect(decide([r])).toEqual({
      decisions: [{ rowNumber: 1, outcome: 'created', customer: { created: 0 }, link: ['N1', 'N2'] }],
      createdRecords: [r],
    });
  });

  it('numbers the customers a batch creates from 0 in file order', () => {
    const records = [
      record({ nanaIds: ['N1'], phones: ['+66811111111'] }),
      record({ nanaIds: ['N2'], phones: ['+66822222222'] }),
      record({ nanaIds: ['N3'], phones: ['+66833333333'] }),
    ];
    const { decisions, createdRecords } = decide(records);
    expect(decisions.map((d) => d.outcome === 'created' && d.customer)).toEqual([{ created: 0 }, { created: 1 }, { created: 2 }]);
    expect(createdRecords).toEqual(records);
  });

  it('does not count rejected records when numbering created customers', () => {
    const { decisions } = decide(
      [
        record({ nanaIds: ['N1'], phones: ['+66811111111'] }),
        record({ nanaIds: ['N2'], phones: ['+66811111111'] }),
        record({ nanaIds: ['N3'], phones: ['+66833333333'] }),
      ],
    );
    expect(decisions.map((d) => d.outcome)).toEqual(['created', 'rejected', 'created']);
    expect(decisions[2]).toMatchObject({ customer: { created: 1 } });
  });

  it('keeps the rows numbers it was given', () => {
    const { decisions } = decideNanaRecords([{ rowNumber: 41, record: record() }], lookups());
    expect(decisions[0].rowNumber).toBe(41);
  });

  it('leaves the lookups it was given unchanged', () => {
    const db = lookups({ ownedPhones: ['+66899999999'] });
    decide([record({ nanaIds: ['N1'], phones: ['+66811111111'] })], db);
    expect([...db.ownedPhones]).toEqual(['+66899999999']);
    expect(db.linkedIds.size).toBe(0);
  });
});

describe('decideNanaRecords: phones that already belong to a customer', () => {
  it('rejects a record whose phone belongs to a customer in the database as DUPLICATE_PHONE', () => {
    const { decisions, createdRecords } = decide([record()], lookups({ ownedPhones: ['+66812345678'] }));
    expect(decisions).toEqual([
      {
        rowNumber: 1,
        outcome: 'rejected',
        errors: [{ field: 'phone', code: 'DUPLICATE_PHONE', message: 'phone already belongs to an existing customer (set force_create to Y to create anyway)' }],
      },
    ]);
    expect(createdRecords).toEqual([]);
  });

  it('names which phone item is taken when the record has several phones', () => {
    const { decisions } = decide([record({ phones: ['+66811111111', '+66822222222'] })], lookups({ ownedPhones: ['+66822222222'] }));
    expect(decisions[0]).toMatchObject({ outcome: 'rejected', errors: [{ code: 'DUPLICATE_PHONE', message: expect.stringMatching(/^phone item 2 already belongs/) }] });
  });

  it('lets the earlier record win when two records in the batch share a phone', () => {
    const { decisions } = decide([record({ nanaIds: ['N1'] }), record({ nanaIds: ['N2'] })]);
    expect(decisions[0]).toMatchObject({ rowNumber: 1, outcome: 'created', customer: { created: 0 } });
    expect(decisions[1]).toMatchObject({ rowNumber: 2, outcome: 'rejected', errors: [{ code: 'DUPLICATE_PHONE' }] });
  });

  it('creates a duplicate when force_create is set even though the phone is taken in the database', () => {
    const { decisions } = decide([record({ forceCreate: true })], lookups({ ownedPhones: ['+66812345678'] }));
    expect(decisions[0]).toEqual({ rowNumber: 1, outcome: 'created', customer: { created: 0 }, link: ['N1'] });
  });

  it('creates a forced duplicate of a record earlier in the same batch', () => {
    const { decisions, createdRecords } = decide([record({ nanaIds: ['N1'] }), record({ nanaIds: ['N2'], forceCreate: true })]);
    expect(decisions.map((d) => d.outcome === 'created' && d.customer)).toEqual([{ created: 0 }, { created: 1 }]);
    expect(createdRecords).toHaveLength(2);
  });

  it('does not claim the phones of a rejected record for later records', () => {
    const db = lookups({ linkedIds: { N1: 7, N2: 8 } });
    const { decisions } = decide([record({ nanaIds: ['N1', 'N2'], phones: ['+66811111111'] }), record({ nanaIds: ['N3'], phones: ['+66811111111'] })], db);
    expect(decisions.map((d) => d.outcome)).toEqual(['rejected', 'created']);
  });
});

describe('decideNanaRecords: records with a careos_cus_id', () => {
  it('rejects a link to a customer that does not exist as UNKNOWN_CUSTOMER', () => {
    const { decisions } = decide([record({ careosCusId: 99 })], lookups({ existingCustomers: [7] }));
    expect(decisions).toEqual([
      { rowNumber: 1, outcome: 'rejected', errors: [{ field: 'careos_cus_id', code: 'UNKNOWN_CUSTOMER', message: 'careos_cus_id does not match any CareOS customer' }] },
    ]);
  });

  it('links new Nana ids to the given customer without creating one', () => {
    const { decisions, createdRecords } = decide([record({ careosCusId: 7, nanaIds: ['N1', 'N2'] })], lookups({ existingCustomers: [7] }));
    expect(decisions).toEqual([{ rowNumber: 1, outcome: 'linked', customer: { existing: 7 }, link: ['N1', 'N2'], relink: [] }]);
    expect(createdRecords).toEqual([]);
  });

  it('links to the given customer even when its phone belongs to someone else', () => {
    const { decisions } = decide([record({ careosCusId: 7 })], lookups({ existingCustomers: [7], ownedPhones: ['+66812345678'] }));
    expect(decisions[0]).toMatchObject({ outcome: 'linked', customer: { existing: 7 } });
  });

  it('skips a record whose ids are all already linked to that customer', () => {
    const { decisions } = decide([record({ careosCusId: 7, nanaIds: ['N1', 'N2'] })], lookups({ existingCustomers: [7], linkedIds: { N1: 7, N2: 7 } }));
    expect(decisions).toEqual([{ rowNumber: 1, outcome: 'skipped', customer: { existing: 7 } }]);
  });

  it('moves an id linked to another customer here and lists it for relinking', () => {
    const db = lookups({ existingCustomers: [7, 8], linkedIds: { N1: 8, N3: 7 } });
    const { decisions } = decide([record({ careosCusId: 7, nanaIds: ['N1', 'N2', 'N3'] })], db);
    expect(decisions).toEqual([{ rowNumber: 1, outcome: 'linked', customer: { existing: 7 }, link: ['N1', 'N2'], relink: ['N1'] }]);
  });

  it('relinks an id that an earlier record of the batch linked to a new customer', () => {
    const { decisions } = decide([record({ nanaIds: ['N1'] }), record({ careosCusId: 7, nanaIds: ['N1'] })], lookups({ existingCustomers: [7] }));
    expect(decisions[1]).toEqual({ rowNumber: 2, outcome: 'linked', customer: { existing: 7 }, link: ['N1'], relink: ['N1'] });
  });
});

describe('decideNanaRecords: re-imported Nana ids without a careos_cus_id', () => {
  it('skips a record whose ids are all already linked to one customer', () => {
    const { decisions, createdRecords } = decide([record({ nanaIds: ['N1', 'N2'] })], lookups({ linkedIds: { N1: 7, N2: 7 } }));
    expect(decisions).toEqual([{ rowNumber: 1, outcome: 'skipped', customer: { existing: 7 } }]);
    expect(createdRecords).toEqual([]);
  });

  it('skips a re-import even though its phone is taken, since nothing new is created', () => {
    const { decisions } = decide([record({ nanaIds: ['N1'] })], lookups({ linkedIds: { N1: 7 }, ownedPhones: ['+66812345678'] }));
    expect(decisions[0]).toMatchObject({ outcome: 'skipped', customer: { existing: 7 } });
  });

  it('links only the new ids of a partially linked record to the customer that owns the others', () => {
    const { decisions } = decide([record({ nanaIds: ['N1', 'N2', 'N3'] })], lookups({ linkedIds: { N2: 7 } }));
    expect(decisions).toEqual([{ rowNumber: 1, outcome: 'linked', customer: { existing: 7 }, link: ['N1', 'N3'], relink: [] }]);
  });

  it('rejects a record whose ids are linked to two different customers as NANA_IDS_CONFLICT', () => {
    const { decisions } = decide([record({ nanaIds: ['N1', 'N2'] })], lookups({ linkedIds: { N1: 7, N2: 8 } }));
    expect(decisions).toEqual([
      { rowNumber: 1, outcome: 'rejected', errors: [{ field: 'nana_cus_id', code: 'NANA_IDS_CONFLICT', message: 'nana_cus_id items are already linked to different customers' }] },
    ]);
  });

  it('skips a later record of the batch that repeats the ids of a customer created earlier', () => {
    const { decisions } = decide([record({ nanaIds: ['N1'] }), record({ nanaIds: ['N1'] })]);
    expect(decisions[1]).toEqual({ rowNumber: 2, outcome: 'skipped', customer: { created: 0 } });
  });

  it('links a later record\'s new ids to the customer created earlier in the batch', () => {
    const { decisions, createdRecords } = decide([record({ nanaIds: ['N1'] }), record({ nanaIds: ['N1', 'N2'], phones: ['+66899999999'] })]);
    expect(decisions[1]).toEqual({ rowNumber: 2, outcome: 'linked', customer: { created: 0 }, link: ['N2'], relink: [] });
    expect(createdRecords).toHaveLength(1);
  });

  it('sees a conflict between a customer created in the batch and one in the database', () => {
    const { decisions } = decide([record({ nanaIds: ['N1'] }), record({ nanaIds: ['N1', 'N9'] })], lookups({ linkedIds: { N9: 7 } }));
    expect(decisions[1]).toMatchObject({ outcome: 'rejected', errors: [{ code: 'NANA_IDS_CONFLICT' }] });
  });
});
