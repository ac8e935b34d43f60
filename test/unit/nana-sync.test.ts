import { describe, expect, it } from 'vitest';
import { nanaContentHash, nanaSyncKey, type NanaRecord } from '../../src/sources/nana/nana';
import {
  decideNanaRecords,
  nanaCustomerUpdates,
  nanaHistoryWrites,
  type NanaLookups,
  type NanaSynced,
} from '../../src/sources/nana/nana-sync';

type RecordFields = Omit<NanaRecord, 'phones' | 'key' | 'hash'>;

/** A valid record; key and hash are derived from its values as validation derives them. */
function record(overrides: Partial<RecordFields> & { phones?: string[] } = {}): NanaRecord {
  const { phones = ['+66812345678'], ...rest } = overrides;
  const fields: Omit<NanaRecord, 'key' | 'hash'> = {
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
  return { key: nanaSyncKey(fields.nanaIds), hash: nanaContentHash(fields), ...fields };
}

interface LookupSpec {
  existingCustomers?: number[];
  ownedPhones?: string[];
  linkedIds?: Record<string, number>;
  phoneOwners?: Record<string, number[]>;
  history?: Record<string, Partial<NanaSynced> & { customerId: number }>;
}

function lookups(overrides: LookupSpec = {}): NanaLookups {
  const phoneOwners = new Map(Object.entries(overrides.phoneOwners ?? {}));
  return {
    existingCustomers: new Map((overrides.existingCustomers ?? []).map((id) => [id, id])),
    ownedPhones: new Set([...(overrides.ownedPhones ?? []), ...phoneOwners.keys()]),
    phoneOwners,
    linkedIds: new Map(Object.entries(overrides.linkedIds ?? {})),
    history: new Map(
      Object.entries(overrides.history ?? {}).map(([key, h]) => [key, { hash: null, open: false, ...h }]),
    ),
  };
}

/** Records numbered from 1 in file order, as the batch reads them. */
function decide(records: NanaRecord[], db: NanaLookups = lookups()) {
  return decideNanaRecords(
    records.map((r, i) => ({ rowNumber: i + 1, record: r })),
    db,
  );
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
    expect(decisions.map((d) => d.outcome === 'created' && d.customer)).toEqual([
      { created: 0 },
      { created: 1 },
      { created: 2 },
    ]);
    expect(createdRecords).toEqual(records);
  });

  it('does not count rejected records when numbering created customers', () => {
    const { decisions } = decide([
      record({ nanaIds: ['N1'], phones: ['+66811111111'] }),
      record({ nanaIds: ['N2'], phones: ['+66811111111'] }),
      record({ nanaIds: ['N3'], phones: ['+66833333333'] }),
    ]);
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
        errors: [
          {
            field: 'phone',
            code: 'DUPLICATE_PHONE',
            message: 'phone already belongs to an existing customer (set force_create to Y to create anyway)',
          },
        ],
      },
    ]);
    expect(createdRecords).toEqual([]);
  });

  it('names which phone item is taken when the record has several phones', () => {
    const { decisions } = decide(
      [record({ phones: ['+66811111111', '+66822222222'] })],
      lookups({ ownedPhones: ['+66822222222'] }),
    );
    expect(decisions[0]).toMatchObject({
      outcome: 'rejected',
      errors: [{ code: 'DUPLICATE_PHONE', message: expect.stringMatching(/^phone item 2 already belongs/) }],
    });
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
    const { decisions, createdRecords } = decide([
      record({ nanaIds: ['N1'] }),
      record({ nanaIds: ['N2'], forceCreate: true }),
    ]);
    expect(decisions.map((d) => d.outcome === 'created' && d.customer)).toEqual([{ created: 0 }, { created: 1 }]);
    expect(createdRecords).toHaveLength(2);
  });

  it('does not claim the phones of a rejected record for later records', () => {
    const db = lookups({ linkedIds: { N1: 7, N2: 8 } });
    const { decisions } = decide(
      [
        record({ nanaIds: ['N1', 'N2'], phones: ['+66811111111'] }),
        record({ nanaIds: ['N3'], phones: ['+66811111111'] }),
      ],
      db,
    );
    expect(decisions.map((d) => d.outcome)).toEqual(['rejected', 'created']);
  });
});

describe('decideNanaRecords: records with a careos_cus_id', () => {
  it('rejects a link to a customer that does not exist as UNKNOWN_CUSTOMER', () => {
    const { decisions } = decide([record({ careosCusId: 99 })], lookups({ existingCustomers: [7] }));
    expect(decisions).toEqual([
      {
        rowNumber: 1,
        outcome: 'rejected',
        errors: [
          {
            field: 'careos_cus_id',
            code: 'UNKNOWN_CUSTOMER',
            message: 'careos_cus_id does not match any CareOS customer',
          },
        ],
      },
    ]);
  });

  it('links a record naming a merged customer to its survivor', () => {
    const db = { ...lookups(), existingCustomers: new Map([[5, 9]]) };
    const { decisions } = decide([record({ careosCusId: 5, nanaIds: ['N1'] })], db);
    expect(decisions).toEqual([
      { rowNumber: 1, outcome: 'linked', customer: { existing: 9 }, link: ['N1'], relink: [] },
    ]);
  });

  it('links new Nana ids to the given customer without creating one', () => {
    const { decisions, createdRecords } = decide(
      [record({ careosCusId: 7, nanaIds: ['N1', 'N2'] })],
      lookups({ existingCustomers: [7] }),
    );
    expect(decisions).toEqual([
      { rowNumber: 1, outcome: 'linked', customer: { existing: 7 }, link: ['N1', 'N2'], relink: [] },
    ]);
    expect(createdRecords).toEqual([]);
  });

  it('links to the given customer even when its phone belongs to someone else', () => {
    const { decisions } = decide(
      [record({ careosCusId: 7 })],
      lookups({ existingCustomers: [7], ownedPhones: ['+66812345678'] }),
    );
    expect(decisions[0]).toMatchObject({ outcome: 'linked', customer: { existing: 7 } });
  });

  it('skips a record whose ids are all already linked to that customer', () => {
    const { decisions } = decide(
      [record({ careosCusId: 7, nanaIds: ['N1', 'N2'] })],
      lookups({ existingCustomers: [7], linkedIds: { N1: 7, N2: 7 } }),
    );
    expect(decisions).toEqual([{ rowNumber: 1, outcome: 'skipped', customer: { existing: 7 } }]);
  });

  it('moves an id linked to another customer here and lists it for relinking', () => {
    const db = lookups({ existingCustomers: [7, 8], linkedIds: { N1: 8, N3: 7 } });
    const { decisions } = decide([record({ careosCusId: 7, nanaIds: ['N1', 'N2', 'N3'] })], db);
    expect(decisions).toEqual([
      { rowNumber: 1, outcome: 'linked', customer: { existing: 7 }, link: ['N1', 'N2'], relink: ['N1'] },
    ]);
  });

  it('relinks an id that an earlier record of the batch linked to a new customer', () => {
    const { decisions } = decide(
      [record({ nanaIds: ['N1'] }), record({ careosCusId: 7, nanaIds: ['N1'] })],
      lookups({ existingCustomers: [7] }),
    );
    expect(decisions[1]).toEqual({
      rowNumber: 2,
      outcome: 'linked',
      customer: { existing: 7 },
      link: ['N1'],
      relink: ['N1'],
    });
  });
});

describe('decideNanaRecords: re-imported Nana ids without a careos_cus_id', () => {
  it('skips a record whose ids are all already linked to one customer', () => {
    const { decisions, createdRecords } = decide(
      [record({ nanaIds: ['N1', 'N2'] })],
      lookups({ linkedIds: { N1: 7, N2: 7 } }),
    );
    expect(decisions).toEqual([{ rowNumber: 1, outcome: 'skipped', customer: { existing: 7 } }]);
    expect(createdRecords).toEqual([]);
  });

  it('skips a re-import even though its phone is taken, since nothing new is created', () => {
    const { decisions } = decide(
      [record({ nanaIds: ['N1'] })],
      lookups({ linkedIds: { N1: 7 }, ownedPhones: ['+66812345678'] }),
    );
    expect(decisions[0]).toMatchObject({ outcome: 'skipped', customer: { existing: 7 } });
  });

  it('links only the new ids of a partially linked record to the customer that owns the others', () => {
    const { decisions } = decide([record({ nanaIds: ['N1', 'N2', 'N3'] })], lookups({ linkedIds: { N2: 7 } }));
    expect(decisions).toEqual([
      { rowNumber: 1, outcome: 'linked', customer: { existing: 7 }, link: ['N1', 'N3'], relink: [] },
    ]);
  });

  it('rejects a record whose ids are linked to two different customers as NANA_IDS_CONFLICT', () => {
    const { decisions } = decide([record({ nanaIds: ['N1', 'N2'] })], lookups({ linkedIds: { N1: 7, N2: 8 } }));
    expect(decisions).toEqual([
      {
        rowNumber: 1,
        outcome: 'rejected',
        errors: [
          {
            field: 'nana_cus_id',
            code: 'NANA_IDS_CONFLICT',
            message: 'nana_cus_id items are already linked to different customers',
          },
        ],
      },
    ]);
  });

  it('skips a later record of the batch that repeats the ids of a customer created earlier', () => {
    const { decisions } = decide([record({ nanaIds: ['N1'] }), record({ nanaIds: ['N1'] })]);
    expect(decisions[1]).toEqual({ rowNumber: 2, outcome: 'skipped', customer: { created: 0 } });
  });

  it("links a later record's new ids to the customer created earlier in the batch", () => {
    const { decisions, createdRecords } = decide([
      record({ nanaIds: ['N1'] }),
      record({ nanaIds: ['N1', 'N2'], phones: ['+66899999999'] }),
    ]);
    expect(decisions[1]).toEqual({
      rowNumber: 2,
      outcome: 'linked',
      customer: { created: 0 },
      link: ['N2'],
      relink: [],
    });
    expect(createdRecords).toHaveLength(1);
  });

  it('sees a conflict between a customer created in the batch and one in the database', () => {
    const { decisions } = decide(
      [record({ nanaIds: ['N1'] }), record({ nanaIds: ['N1', 'N9'] })],
      lookups({ linkedIds: { N9: 7 } }),
    );
    expect(decisions[1]).toMatchObject({ outcome: 'rejected', errors: [{ code: 'NANA_IDS_CONFLICT' }] });
  });
});

describe('decideNanaRecords: gap re-imports (records in the sync history of a finished import)', () => {
  const synced = (r: NanaRecord, customerId: number, extra: Partial<NanaSynced> = {}) => ({
    [r.key]: { customerId, hash: r.hash, ...extra },
  });

  it('skips a record whose content hash is the one synced before', () => {
    const r = record();
    const { decisions } = decide([r], lookups({ linkedIds: { N1: 7 }, history: synced(r, 7) }));
    expect(decisions).toEqual([{ rowNumber: 1, outcome: 'skipped', customer: { existing: 7 } }]);
  });

  it('updates the customer of a record whose content changed since it was synced', () => {
    const before = record();
    const { decisions, createdRecords } = decide(
      [record({ firstName: 'Somsak' })],
      lookups({ linkedIds: { N1: 7 }, phoneOwners: { '+66812345678': [7] }, history: synced(before, 7) }),
    );
    expect(decisions).toEqual([{ rowNumber: 1, outcome: 'updated', customer: { existing: 7 }, link: [], relink: [] }]);
    expect(createdRecords).toEqual([]);
  });

  it('updates the customer the rule finds: the one its ids are linked to now', () => {
    const before = record();
    const { decisions } = decide(
      [record({ lastName: 'Moved' })],
      lookups({ linkedIds: { N1: 8 }, phoneOwners: { '+66812345678': [8] }, history: synced(before, 7) }),
    );
    expect(decisions[0]).toMatchObject({ outcome: 'updated', customer: { existing: 8 } });
  });

  it('links an id of the record that is no longer linked while updating', () => {
    const before = record({ nanaIds: ['N1', 'N2'] });
    const { decisions } = decide(
      [record({ nanaIds: ['N2', 'N1'], gender: 'F' })],
      lookups({ linkedIds: { N1: 7 }, phoneOwners: { '+66812345678': [7] }, history: synced(before, 7) }),
    );
    expect(decisions).toEqual([
      { rowNumber: 1, outcome: 'updated', customer: { existing: 7 }, link: ['N2'], relink: [] },
    ]);
  });

  it('updates a group BI merged a newer lead into, linking the new id', () => {
    const before = record({ nanaIds: ['N1'] });
    const db = lookups({ linkedIds: { N1: 7 }, phoneOwners: { '+66812345678': [7] }, history: synced(before, 7) });
    expect(decide([record({ nanaIds: ['N5', 'N1'], emails: ['new@example.com'] })], db).decisions).toEqual([
      { rowNumber: 1, outcome: 'updated', customer: { existing: 7 }, link: ['N5'], relink: [] },
    ]);
    expect(decide([record({ nanaIds: ['N1', 'N5'] })], db).decisions).toEqual([
      { rowNumber: 1, outcome: 'linked', customer: { existing: 7 }, link: ['N5'], relink: [] },
    ]);
  });

  it('updates the customer careos_cus_id names and moves the ids there, as the rule says', () => {
    const before = record();
    const { decisions } = decide(
      [record({ careosCusId: 9, dateOfBirth: '1990-01-01' })],
      lookups({
        existingCustomers: [9],
        linkedIds: { N1: 7 },
        ownedPhones: ['+66812345678'],
        phoneOwners: { '+66812345678': [9] },
        history: synced(before, 7),
      }),
    );
    expect(decisions).toEqual([
      { rowNumber: 1, outcome: 'updated', customer: { existing: 9 }, link: ['N1'], relink: ['N1'] },
    ]);
  });

  it('links a re-mapped record with unchanged content without updating it', () => {
    const r = record({ careosCusId: 9 });
    const { decisions } = decide([r], lookups({ existingCustomers: [9], linkedIds: { N1: 7 }, history: synced(r, 7) }));
    expect(decisions).toEqual([
      { rowNumber: 1, outcome: 'linked', customer: { existing: 9 }, link: ['N1'], relink: ['N1'] },
    ]);
  });

  it('treats a history row without a hash as changed', () => {
    const { decisions } = decide(
      [record()],
      lookups({
        linkedIds: { N1: 7 },
        phoneOwners: { '+66812345678': [7] },
        history: { N1: { customerId: 7, hash: null } },
      }),
    );
    expect(decisions[0]).toMatchObject({ outcome: 'updated' });
  });

  it('keeps the rule for a changed record whose ids are linked nowhere: it is created again', () => {
    const before = record();
    const { decisions } = decide([record({ firstName: 'Again' })], lookups({ history: synced(before, 7) }));
    expect(decisions).toEqual([{ rowNumber: 1, outcome: 'created', customer: { created: 0 }, link: ['N1'] }]);
  });

  it('keeps the rule for a changed record whose ids point at two customers: NANA_IDS_CONFLICT', () => {
    const before = record({ nanaIds: ['N1', 'N2'] });
    const { decisions } = decide(
      [record({ nanaIds: ['N1', 'N2'], firstName: 'Changed' })],
      lookups({ linkedIds: { N1: 7, N2: 8 }, history: synced(before, 7) }),
    );
    expect(decisions[0]).toMatchObject({ outcome: 'rejected', errors: [{ code: 'NANA_IDS_CONFLICT' }] });
  });

  it('leaves a key that an import in progress holds to the rule: a later duplicate of this file never updates', () => {
    const before = record();
    const { decisions } = decide(
      [record({ firstName: 'Later' })],
      lookups({ linkedIds: { N1: 7 }, history: synced(before, 7, { open: true }) }),
    );
    expect(decisions).toEqual([{ rowNumber: 1, outcome: 'skipped', customer: { existing: 7 } }]);
  });

  it('lets the earlier record of the file win for a key: a later record with the same ids follows the rule', () => {
    const before = record();
    const db = lookups({ linkedIds: { N1: 7 }, phoneOwners: { '+66812345678': [7] }, history: synced(before, 7) });
    expect(
      decide([record({ firstName: 'First' }), record({ firstName: 'Second' })], db).decisions.map((d) => d.outcome),
    ).toEqual(['updated', 'skipped']);
    expect(decide([record(), record({ firstName: 'Second' })], db).decisions.map((d) => d.outcome)).toEqual([
      'skipped',
      'skipped',
    ]);
  });

  it('still updates when an earlier record of the batch with the same key was rejected', () => {
    const before = record();
    const db = lookups({
      linkedIds: { N1: 7 },
      phoneOwners: { '+66812345678': [7], '+66899999999': [8] },
      history: synced(before, 7),
    });
    const { decisions } = decide([record({ phones: ['+66899999999'] }), record({ firstName: 'Second' })], db);
    expect(decisions.map((d) => d.outcome)).toEqual(['rejected', 'updated']);
  });
});

describe('decideNanaRecords: phones an update adds', () => {
  const before = record();
  const history = { N1: { customerId: 7, hash: before.hash } };

  it('rejects an update that adds a phone another customer owns as DUPLICATE_PHONE, naming the item', () => {
    const { decisions } = decide(
      [record({ phones: ['+66812345678', '+66899999999'] })],
      lookups({ linkedIds: { N1: 7 }, phoneOwners: { '+66812345678': [7], '+66899999999': [8] }, history }),
    );
    expect(decisions).toEqual([
      {
        rowNumber: 1,
        outcome: 'rejected',
        errors: [
          {
            field: 'phone',
            code: 'DUPLICATE_PHONE',
            message:
              'phone item 2 already belongs to another customer: an update does not add it (force_create only applies to new profiles)',
          },
        ],
      },
    ]);
  });

  it('rejects it with force_create Y too: force_create asks for a new profile, an update creates none', () => {
    const { decisions } = decide(
      [record({ phones: ['+66899999999'], forceCreate: true })],
      lookups({ linkedIds: { N1: 7 }, phoneOwners: { '+66899999999': [8] }, history }),
    );
    expect(decisions[0]).toMatchObject({ outcome: 'rejected', errors: [{ code: 'DUPLICATE_PHONE' }] });
  });

  it('accepts a phone the customer already has, even when another customer shares it', () => {
    const { decisions } = decide(
      [record({ firstName: 'Changed' })],
      lookups({ linkedIds: { N1: 7 }, phoneOwners: { '+66812345678': [5, 7] }, history }),
    );
    expect(decisions[0]).toMatchObject({ outcome: 'updated' });
  });

  it('accepts a new phone nobody owns', () => {
    const { decisions } = decide(
      [record({ phones: ['+66812345678', '+66822222222'] })],
      lookups({ linkedIds: { N1: 7 }, phoneOwners: { '+66812345678': [7] }, history }),
    );
    expect(decisions[0]).toMatchObject({ outcome: 'updated' });
  });

  it('counts a phone an update added as taken for a later new record of the batch', () => {
    const { decisions } = decide(
      [record({ phones: ['+66822222222'] }), record({ nanaIds: ['N9'], phones: ['+66822222222'] })],
      lookups({ linkedIds: { N1: 7 }, history }),
    );
    expect(decisions.map((d) => d.outcome)).toEqual(['updated', 'rejected']);
    expect(decisions[1]).toMatchObject({ errors: [{ code: 'DUPLICATE_PHONE' }] });
  });

  it('counts a phone an earlier update gave the customer as its own for a later update of it', () => {
    const other = record({ nanaIds: ['N2'] });
    const db = lookups({
      linkedIds: { N1: 7, N2: 7 },
      phoneOwners: { '+66812345678': [7] },
      history: { ...history, N2: { customerId: 7, hash: other.hash } },
    });
    const { decisions } = decide(
      [record({ phones: ['+66822222222'] }), record({ nanaIds: ['N2'], phones: ['+66822222222'], firstName: 'Two' })],
      db,
    );
    expect(decisions.map((d) => d.outcome)).toEqual(['updated', 'updated']);
  });
});

describe('nanaHistoryWrites', () => {
  const inputs = (records: NanaRecord[]) => records.map((r, i) => ({ rowNumber: i + 1, record: r }));

  it('writes the first processed record of each key, unchanged ones included, and never a rejected one', () => {
    const a = record({ nanaIds: ['A'], phones: ['+66811111111'] });
    const b = record({ nanaIds: ['B'], phones: ['+66811111111'] });
    const a2 = record({ nanaIds: ['A'], phones: ['+66833333333'], firstName: 'Again' });
    const db = lookups({ history: { A: { customerId: 7, hash: a.hash } }, linkedIds: { A: 7 } });
    const input = inputs([a, b, a2]);
    const { decisions } = decideNanaRecords(input, db);
    expect(decisions.map((d) => d.outcome)).toEqual(['skipped', 'created', 'skipped']);
    expect(nanaHistoryWrites(input, decisions, db.history)).toEqual([
      { key: 'A', customer: { existing: 7 }, hash: a.hash },
      { key: 'B', customer: { created: 0 }, hash: b.hash },
    ]);
  });

  it('writes nothing for a key an import in progress holds', () => {
    const a = record({ nanaIds: ['A'] });
    const db = lookups({ history: { A: { customerId: 7, hash: 'other', open: true } }, linkedIds: { A: 7 } });
    const input = inputs([a]);
    expect(nanaHistoryWrites(input, decideNanaRecords(input, db).decisions, db.history)).toEqual([]);
  });
});

describe('nanaCustomerUpdates', () => {
  it('folds the updates of one customer in file order: names from the last, gender and birth date from the last that gives one', () => {
    const history = { A: { customerId: 7, hash: 'old' }, B: { customerId: 7, hash: 'old' } };
    const records = [
      record({ nanaIds: ['A'], gender: 'F', dateOfBirth: '1990-01-01' }),
      record({ nanaIds: ['B'], firstName: 'Last', lastName: 'Name', dateOfBirth: '1991-02-02' }),
    ];
    const input = records.map((r, i) => ({ rowNumber: i + 1, record: r }));
    const { decisions } = decideNanaRecords(
      input,
      lookups({ linkedIds: { A: 7, B: 7 }, phoneOwners: { '+66812345678': [7] }, history }),
    );
    expect(nanaCustomerUpdates(input, decisions)).toEqual([
      { customer: { existing: 7 }, firstName: 'Last', lastName: 'Name', gender: 'F', dateOfBirth: '1991-02-02' },
    ]);
  });
});
