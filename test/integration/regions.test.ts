import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemeNationalIdHash } from '../../src/domain/national-id';
import { getJson, importFile, outcomeCounts, upload } from '../support/http';
import { csv, postJson, q } from '../support/sources';
import { startStack, TEST_NATIONAL_ID_KEY, type Stack } from '../support/stack';

const USERS = ['name', 'email', 'mobile', 'nric', 'dob', 'old_member_id'];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

const users = (rows: Record<string, string>[], fields: Record<string, string> = {}) =>
  importFile(
    stack,
    csv(
      USERS,
      rows.map((r) => ({ dob: '', old_member_id: '', ...r })),
    ),
    { source: 'loyalty-users', fields },
  );
const errorsOf = async (id: number) =>
  (await getJson(stack, `/api/imports/${id}/errors`)).body.items.map((e: any) => [
    e.rowNumber,
    ...e.errors.map((x: any) => `${x.code} ${x.message}`),
  ]);
const phonesOf = async (importId: number) =>
  (
    await q(
      stack,
      `SELECT c.first_name, p.phone FROM customers c JOIN customer_phones p ON p.customer_id = c.id WHERE c.import_id = $1 ORDER BY c.first_name`,
      [importId],
    )
  ).map((r) => [r.first_name, r.phone]);

describe('a Singapore member file (region=SG)', () => {
  it('creates the members with valid NRIC/FINs and +65 phones, and rejects invalid ids naming the scheme', async () => {
    const done = await users(
      [
        { name: 'Aisha Tan', email: 'aisha@example.sg', mobile: '9123 4567', nric: 'S1234567D' },
        { name: 'Boon Lim', email: 'boon@example.sg', mobile: '8123-4567', nric: 't1234567j' },
        { name: 'Chloe Ng', email: 'chloe@example.sg', mobile: '91234568', nric: 'S1234567A' },
        { name: 'Dev Raj', email: 'dev@example.sg', mobile: '+65 9876 5432', nric: 'G4549883U' },
      ],
      { region: 'SG' },
    );
    expect(done.status).toBe('completed');
    expect(outcomeCounts(done)).toMatchObject({ created: 3, rejected: 1 });
    expect(done.locale).toEqual({ region: 'SG', nationalIdScheme: 'sg', dateOrder: null, dateEra: null });
    expect(await phonesOf(done.id)).toEqual([
      ['Aisha', '+6591234567'],
      ['Boon', '+6581234567'],
      ['Dev', '+6598765432'],
    ]);
    expect(await errorsOf(done.id)).toEqual([
      [3, 'INVALID_NATIONAL_ID nric is not a valid Singapore NRIC/FIN (scheme sg): fails the check letter'],
    ]);
    const ids = await q(
      stack,
      `SELECT i.kind, i.id_hash FROM customer_identities i JOIN customers c ON c.id = i.customer_id WHERE c.import_id = $1 ORDER BY c.first_name`,
      [done.id],
    );
    expect(ids).toEqual(
      ['S1234567D', 'T1234567J', 'G4549883U'].map((id) => ({
        kind: 'sg_nric',
        id_hash: schemeNationalIdHash('sg', id, TEST_NATIONAL_ID_KEY),
      })),
    );
  });

  it('reads a follow-up that names no region as its Singapore parent: the fixed record gets a +65 phone', async () => {
    const parent = await users(
      [
        { name: 'Ivy Sim', email: 'ivy@example.sg', mobile: '9333 5555', nric: '' },
        { name: 'Hana Lee', email: 'hana@example.sg', mobile: '9333 4444', nric: 'S1234567A' },
      ],
      { region: 'SG' },
    );
    expect(outcomeCounts(parent)).toMatchObject({ created: 1, rejected: 1 });
    const fixed = csv(
      [...USERS, 'row_number'],
      [
        {
          name: 'Hana Lee',
          email: 'hana@example.sg',
          mobile: '9333 4444',
          nric: '',
          dob: '',
          old_member_id: '',
          row_number: '2',
        },
      ],
    );
    const followUp = await importFile(stack, fixed, {
      source: 'loyalty-users',
      fields: { parentImportId: String(parent.id) },
    });
    expect(followUp).toMatchObject({
      status: 'completed',
      parentImportId: parent.id,
      locale: { region: 'SG', nationalIdScheme: 'sg' },
    });
    expect(outcomeCounts(followUp)).toMatchObject({ created: 1, rejected: 0 });
    expect(await phonesOf(followUp.id)).toEqual([['Hana', '+6593334444']]);
  });

  it("lets a follow-up name its own region, with that region's scheme", async () => {
    const parent = await users([{ name: 'Jo Chan', email: 'jo@example.sg', mobile: '9444 5555', nric: 'S1234567A' }], {
      region: 'SG',
    });
    const fixed = csv(
      [...USERS, 'row_number'],
      [
        {
          name: 'Jo Chan',
          email: 'jo@example.sg',
          mobile: '+65 9444 5555',
          nric: '',
          dob: '',
          old_member_id: '',
          row_number: '1',
        },
      ],
    );
    const followUp = await importFile(stack, fixed, {
      source: 'loyalty-users',
      fields: { parentImportId: String(parent.id), region: 'MY' },
    });
    expect(followUp.locale).toMatchObject({ region: 'MY', nationalIdScheme: 'my' });
    expect(outcomeCounts(followUp)).toMatchObject({ created: 1 });
  });

  it('reads the same mobiles as invalid Thai numbers without the region, as before', async () => {
    const done = await users([{ name: 'Eng Goh', email: 'eng@example.sg', mobile: '9123 4599', nric: '' }]);
    expect(done.locale.region).toBe('TH');
    expect(outcomeCounts(done)).toMatchObject({ created: 0, rejected: 1 });
  });
});

describe('duplicate checks by national id', () => {
  it('find the same id within its scheme only', async () => {
    const first = await users([{ name: 'Fay Koh', email: 'fay@example.sg', mobile: '9111 2222', nric: 'S8076606H' }], {
      region: 'SG',
    });
    expect(outcomeCounts(first)).toMatchObject({ created: 1 });
    const again = await users(
      [{ name: 'Fay Other', email: 'fay2@example.sg', mobile: '9111 3333', nric: 's8076606h' }],
      { region: 'SG' },
    );
    expect(await errorsOf(again.id)).toEqual([
      [
        1,
        'DUPLICATE_CUSTOMER an existing customer has the same national id (duplicates=reject; choose skip, update or create)',
      ],
    ]);
    // The same text under the opaque scheme is another id: hashed with its own scheme, compared within it.
    const opaque = await users(
      [{ name: 'Fay Third', email: 'fay3@example.sg', mobile: '9111 4444', nric: 'S8076606H' }],
      { region: 'SG', nationalIdScheme: 'any' },
    );
    expect(outcomeCounts(opaque)).toMatchObject({ created: 1, rejected: 0 });
    const opaqueAgain = await users(
      [{ name: 'Fay Fourth', email: 'fay4@example.sg', mobile: '9111 5555', nric: ' s8076606h ' }],
      { region: 'SG', nationalIdScheme: 'any' },
    );
    expect(await errorsOf(opaqueAgain.id)).toEqual([[1, expect.stringMatching(/^DUPLICATE_CUSTOMER .*national id/)]]);
  });

  it('keep Thai ids apart from the same digits under another scheme', async () => {
    const thai = await users([
      { name: 'Gun Thai', email: 'gun@example.com', mobile: '0895550001', nric: '3100500123458' },
    ]);
    expect(outcomeCounts(thai)).toMatchObject({ created: 1 });
    const [row] = await q(
      stack,
      `SELECT kind, id_hash FROM customer_identities i JOIN customers c ON c.id = i.customer_id WHERE c.import_id = $1`,
      [thai.id],
    );
    expect(row).toEqual({
      kind: 'th_national_id',
      id_hash: schemeNationalIdHash('th', '3100500123458', TEST_NATIONAL_ID_KEY),
    });
    const opaque = await users(
      [{ name: 'Gun Any', email: 'gun2@example.com', mobile: '+66895550002', nric: '3100500123458' }],
      { region: 'ID' },
    );
    expect(opaque.locale.nationalIdScheme).toBe('any');
    expect(outcomeCounts(opaque)).toMatchObject({ created: 1 });
  });
});

describe('declared date order', () => {
  it('reads slash dates in the declared order and reports those that read only the other way', async () => {
    const done = await users(
      [
        { name: 'Hana Day', email: 'hana@example.com', mobile: '0894440001', nric: '', dob: '04/12/1988' },
        { name: 'Ivy Month', email: 'ivy@example.com', mobile: '0894440002', nric: '', dob: '12/25/1990' },
      ],
      { dateOrder: 'DD/MM/YYYY' },
    );
    expect(outcomeCounts(done)).toMatchObject({ created: 1, rejected: 1 });
    const [hana] = await q(
      stack,
      `SELECT to_char(date_of_birth, 'YYYY-MM-DD') AS dob FROM customers WHERE import_id = $1`,
      [done.id],
    );
    expect(hana.dob).toBe('1988-12-04');
    expect(await errorsOf(done.id)).toEqual([
      [
        2,
        expect.stringMatching(
          /^DATE_ORDER_CONFLICT dob is a date only when read as MM\/DD\/YYYY, but DD\/MM\/YYYY is declared/,
        ),
      ],
    ]);
  });
});

describe('where the region comes from', () => {
  it('refuses a region that is not a country code', async () => {
    const res = await upload(
      stack,
      csv(USERS, [{ name: 'X', email: 'x@example.com', mobile: '1', nric: '', dob: '', old_member_id: '' }]),
      { source: 'loyalty-users', fields: { region: 'Singapore' } },
    );
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('region');
  });

  it("takes a saved mapping's region when the upload names none", async () => {
    const saved = await postJson(stack, '/api/mappings', {
      name: 'sg shop',
      region: 'SG',
      fields: { full_name: { column: 'Name' }, phone: { column: 'Tel' } },
    });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ region: 'SG', nationalIdScheme: null });
    const done = await importFile(stack, 'Name,Tel\nJun Teo,9222 3333\n', {
      source: 'mapped',
      fields: { mappingId: String(saved.body.id) },
    });
    expect(done.locale).toMatchObject({ region: 'SG', nationalIdScheme: 'sg' });
    expect(await phonesOf(done.id)).toEqual([['Jun', '+6592223333']]);
  });
});

describe('a deployment with DEFAULT_REGION=SG', () => {
  let sg: Stack;
  beforeAll(async () => {
    sg = await startStack({ defaultRegion: 'SG' });
  });
  afterAll(async () => sg?.close());

  it('reads phones and ids of uploads that name no region as Singaporean, and Care Shop mobiles as Thai', async () => {
    const members = await importFile(
      sg,
      csv(USERS, [
        {
          name: 'Kai Ong',
          email: 'kai@example.sg',
          mobile: '9333 4444',
          nric: 'M1234567K',
          dob: '',
          old_member_id: '',
        },
      ]),
      { source: 'loyalty-users' },
    );
    expect(members.locale).toMatchObject({ region: 'SG', nationalIdScheme: 'sg' });
    expect(outcomeCounts(members)).toMatchObject({ created: 1 });
    const shop = await importFile(
      sg,
      csv(
        ['firstname', 'lastname', 'mobile_phone'],
        [
          { firstname: 'Lek', lastname: 'Shop', mobile_phone: '081-234-5670' },
          { firstname: 'Mei', lastname: 'Shop', mobile_phone: '9333 5555' },
        ],
      ),
      { source: 'careshop' },
    );
    expect(outcomeCounts(shop)).toMatchObject({ created: 1, rejected: 1 });
    const [lek] = await q(
      sg,
      `SELECT p.phone FROM customers c JOIN customer_phones p ON p.customer_id = c.id WHERE c.import_id = $1`,
      [shop.id],
    );
    expect(lek.phone).toBe('+66812345670');
  });
});
