import { describe, expect, it } from 'vitest';
import type { RowError } from '../../src/domain/row-error';
import { nanaSource, type NanaRecord } from '../../src/sources/nana/nana';

const ctx = { today: '2025-06-01' };

const validRow = {
  careos_cus_id: '',
  nana_cus_id: 'N10001',
  gender: 'F',
  firstname: 'Somsri',
  lastname: 'Jaidee',
  email: 'somsri@example.com',
  date_of_birth: '1988-04-12',
  phone: '081-234-5678',
  company_name: '',
  force_create: '',
};

function accept(overrides: Record<string, string>): NanaRecord {
  const result = nanaSource.validate({ ...validRow, ...overrides }, ctx);
  if (!result.ok) throw new Error(`expected the row to be valid, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

function reject(overrides: Record<string, string>): RowError[] {
  const result = nanaSource.validate({ ...validRow, ...overrides }, ctx);
  if (result.ok) throw new Error('expected the row to be rejected');
  return result.errors;
}

function codes(errors: RowError[]): string[] {
  return errors.map((e) => `${e.field}:${e.code}`);
}

describe('nana validate: a complete valid record', () => {
  it('normalises every value of the record', () => {
    expect(accept({})).toEqual({
      key: 'N10001',
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      careosCusId: null,
      nanaIds: ['N10001'],
      gender: 'F',
      firstName: 'Somsri',
      lastName: 'Jaidee',
      emails: ['somsri@example.com'],
      dateOfBirth: '1988-04-12',
      phones: [{ e164: '+66812345678', extension: null }],
      companies: [],
      forceCreate: false,
    });
  });

  it('leaves out only the content digest when the validate phase asks for none, and rejects alike', () => {
    const row = { ...validRow, company_name: '"Rabbit Care Co., Ltd."', email: 'a@example.com, b@example.com' };
    const full = nanaSource.validate(row, ctx);
    const bare = nanaSource.validate(row, { ...ctx, digests: false });
    if (!full.ok || !bare.ok) throw new Error('expected the row to be valid');
    expect(bare.value).toEqual({ ...full.value, hash: '' });
    expect(nanaSource.validate({ ...row, phone: '12345' }, { ...ctx, digests: false })).toEqual(
      nanaSource.validate({ ...row, phone: '12345' }, ctx),
    );
  });

  it('accepts the template rows it offers for download', () => {
    for (const row of nanaSource.templateRows) expect(nanaSource.validate(row, ctx).ok).toBe(true);
  });

  it('accepts a record with only the required columns', () => {
    const record = accept({
      careos_cus_id: '',
      gender: '',
      email: '',
      date_of_birth: '',
      company_name: '',
      force_create: '',
    });
    expect(record).toMatchObject({
      careosCusId: null,
      gender: null,
      emails: [],
      dateOfBirth: null,
      companies: [],
      forceCreate: false,
    });
  });

  it('accepts a record whose optional columns are absent from the file', () => {
    const result = nanaSource.validate(
      { nana_cus_id: 'N1', firstname: 'Somsri', lastname: 'Jaidee', phone: '0812345678' },
      ctx,
    );
    expect(result.ok).toBe(true);
  });
});

describe('nana validate: required columns', () => {
  it.each(['nana_cus_id', 'firstname', 'lastname', 'phone'])(
    'rejects a record with an empty %s as REQUIRED',
    (column) => {
      expect(reject({ [column]: '  ' })).toEqual([
        { field: column, code: 'REQUIRED', message: `${column} is required` },
      ]);
    },
  );

  it('rejects a phone cell that holds only separators as REQUIRED', () => {
    expect(codes(reject({ phone: ' , ; ' }))).toEqual(['phone:REQUIRED']);
  });
});

describe('nana validate: nana_cus_id', () => {
  it('splits comma-separated ids, trims them and drops repeats', () => {
    expect(accept({ nana_cus_id: 'N1, N2 ,N1' }).nanaIds).toEqual(['N1', 'N2']);
  });

  it('rejects an empty item between commas and names its position', () => {
    expect(reject({ nana_cus_id: 'N1,,N2' })).toEqual([
      { field: 'nana_cus_id', code: 'INVALID_NANA_ID', message: 'nana_cus_id item 2 is empty' },
    ]);
  });

  it('rejects an empty item left by a trailing comma', () => {
    expect(reject({ nana_cus_id: 'N1,' })).toEqual([
      { field: 'nana_cus_id', code: 'INVALID_NANA_ID', message: 'nana_cus_id item 2 is empty' },
    ]);
  });

  it('checks every id on its own and reports each bad one', () => {
    const errors = reject({ nana_cus_id: `N1,N 2,${'X'.repeat(65)}` });
    expect(errors.map((e) => e.message)).toEqual([
      'nana_cus_id item 2 must be at most 64 characters without spaces',
      'nana_cus_id item 3 must be at most 64 characters without spaces',
    ]);
  });

  it('accepts an id of exactly 64 characters', () => {
    expect(accept({ nana_cus_id: 'X'.repeat(64) }).nanaIds).toEqual(['X'.repeat(64)]);
  });

  it('rejects an id with a control character', () => {
    expect(codes(reject({ nana_cus_id: 'N1\u0007' }))).toEqual(['nana_cus_id:INVALID_NANA_ID']);
  });
});

describe('nana validate: gender', () => {
  it.each([
    ['F', 'F'],
    ['M', 'M'],
    ['f', 'F'],
    [' m ', 'M'],
  ])('accepts %j as %s', (raw, gender) => {
    expect(accept({ gender: raw }).gender).toBe(gender);
  });

  it('reads an empty gender as unknown', () => {
    expect(accept({ gender: '' }).gender).toBeNull();
  });

  it.each(['X', 'Female', 'ชาย', '0'])('rejects %j as INVALID_GENDER', (raw) => {
    expect(reject({ gender: raw })).toEqual([
      { field: 'gender', code: 'INVALID_GENDER', message: 'gender must be F or M when present' },
    ]);
  });
});

describe('nana validate: names', () => {
  it('collapses runs of whitespace inside a name', () => {
    expect(accept({ firstname: ' Som \t  Sri ', lastname: 'Jai\u00a0 dee' })).toMatchObject({
      firstName: 'Som Sri',
      lastName: 'Jai dee',
    });
  });

  it('keeps a Thai name', () => {
    expect(accept({ firstname: 'สมศรี', lastname: 'ใจดี' })).toMatchObject({ firstName: 'สมศรี', lastName: 'ใจดี' });
  });

  it('rejects a name longer than 200 characters', () => {
    expect(reject({ lastname: 'a'.repeat(201) })).toEqual([
      { field: 'lastname', code: 'TOO_LONG', message: 'lastname must be at most 200 characters' },
    ]);
  });

  it('accepts a name of exactly 200 characters', () => {
    expect(accept({ lastname: 'a'.repeat(200) }).lastName).toHaveLength(200);
  });

  it('rejects a name with a control character', () => {
    expect(codes(reject({ firstname: 'Som\u0000sri' }))).toEqual(['firstname:INVALID_CHARACTERS']);
  });
});

describe('nana validate: email', () => {
  it('accepts several comma-separated addresses, normalised and without repeats', () => {
    expect(accept({ email: 'Somsri@Example.com, work@example.co.th, somsri@example.com' }).emails).toEqual([
      'somsri@example.com',
      'work@example.co.th',
    ]);
  });

  it('checks each comma-separated address and names the bad item', () => {
    expect(reject({ email: 'somsri@example.com, not-an-address' })).toEqual([
      { field: 'email', code: 'INVALID_EMAIL', message: 'email item 2 is not a valid email address' },
    ]);
  });

  it('calls a single bad address just "email"', () => {
    expect(reject({ email: 'mailto:somsri@example.com' })).toEqual([
      { field: 'email', code: 'INVALID_EMAIL', message: 'email must be a bare address, not a mailto: link' },
    ]);
  });

  it('reports every bad address, not only the first', () => {
    expect(reject({ email: 'a@, b@example.com, c' }).map((e) => e.message)).toEqual([
      'email item 1 is not a valid email address',
      'email item 3 is not a valid email address',
    ]);
  });
});

describe('nana validate: date_of_birth', () => {
  it('rejects an impossible date as INVALID_DATE', () => {
    expect(codes(reject({ date_of_birth: '2023-02-30' }))).toEqual(['date_of_birth:INVALID_DATE']);
  });

  it('rejects a Buddhist-era year as DATE_IN_FUTURE using the injected today', () => {
    expect(codes(reject({ date_of_birth: '2531-04-12' }))).toEqual(['date_of_birth:DATE_IN_FUTURE']);
  });

  it('judges the future against the injected today, not the machine clock', () => {
    const result = nanaSource.validate({ ...validRow, date_of_birth: '2020-01-01' }, { today: '2019-12-31' });
    expect(result.ok).toBe(false);
  });
});

describe('nana validate: phone', () => {
  it('accepts several phones in one cell and keeps each extension', () => {
    expect(accept({ phone: '081-234-5678, 02-123-4567 ต่อ 12' }).phones).toEqual([
      { e164: '+66812345678', extension: null },
      { e164: '+6621234567', extension: '12' },
    ]);
  });

  it('keeps one phone when the same number is written twice in different forms', () => {
    expect(accept({ phone: '0812345678 / +66 81 234 5678' }).phones).toEqual([
      { e164: '+66812345678', extension: null },
    ]);
  });

  it('names the bad item when one of several phones is invalid', () => {
    expect(reject({ phone: '081-234-5678, 12345' })).toEqual([
      {
        field: 'phone',
        code: 'INVALID_PHONE',
        message: 'phone item 2 is not a valid phone number (too short or too long)',
      },
    ]);
  });

  it('reports a phone mangled by a spreadsheet with its own code', () => {
    expect(codes(reject({ phone: '8.12345678E+08' }))).toEqual(['phone:EXCEL_NUMERIC_MANGLED']);
  });

  it('reports every bad phone, not only the first', () => {
    expect(reject({ phone: 'abc; 0812345678; 12' }).map((e) => e.message)).toEqual([
      expect.stringContaining('phone item 1'),
      expect.stringContaining('phone item 3'),
    ]);
  });
});

describe('nana validate: company_name', () => {
  it('reads a quoted comma-separated list into names that keep their commas', () => {
    expect(accept({ company_name: '"Rabbit Care Co., Ltd.", "ADB Co., Ltd."' }).companies).toEqual([
      'Rabbit Care Co., Ltd.',
      'ADB Co., Ltd.',
    ]);
  });

  it('reads unquoted names separated by commas', () => {
    expect(accept({ company_name: 'Rabbit Care, ADB' }).companies).toEqual(['Rabbit Care', 'ADB']);
  });

  it('keeps a single name with no commas', () => {
    expect(accept({ company_name: 'บริษัท แรบบิท แคร์ จำกัด' }).companies).toEqual(['บริษัท แรบบิท แคร์ จำกัด']);
  });

  it('drops empty items and repeated names', () => {
    expect(accept({ company_name: '"ADB Co., Ltd.",, "ADB Co., Ltd."' }).companies).toEqual(['ADB Co., Ltd.']);
  });

  it('rejects a list whose quote is never closed', () => {
    expect(reject({ company_name: '"Rabbit Care Co., Ltd., ADB' })).toEqual([
      {
        field: 'company_name',
        code: 'INVALID_COMPANY_LIST',
        message: 'company_name must be a comma-separated list with names that contain commas in double quotes',
      },
    ]);
  });

  it('rejects a list that spans more than one line', () => {
    expect(codes(reject({ company_name: 'Rabbit Care\nADB' }))).toEqual(['company_name:INVALID_COMPANY_LIST']);
  });
});

describe('nana validate: force_create', () => {
  it.each([
    ['Y', true],
    ['y', true],
    ['', false],
  ])('reads %j as forceCreate %s', (raw, expected) => {
    expect(accept({ force_create: raw }).forceCreate).toBe(expected);
  });

  it.each(['N', 'yes', '1', 'TRUE'])('rejects %j because only Y or empty is allowed', (raw) => {
    expect(reject({ force_create: raw })).toEqual([
      { field: 'force_create', code: 'INVALID_FORCE_CREATE', message: 'force_create must be Y or empty' },
    ]);
  });
});

describe('nana validate: careos_cus_id', () => {
  it('reads a digits-only id as a number', () => {
    expect(accept({ careos_cus_id: ' 12345 ' }).careosCusId).toBe(12345);
  });

  it.each(['12a', '-5', '1.0', '0', '00123', 'CUS-1'])('rejects %j because it is not a CareOS customer id', (raw) => {
    expect(reject({ careos_cus_id: raw })).toEqual([
      {
        field: 'careos_cus_id',
        code: 'INVALID_CUSTOMER_ID',
        message: 'careos_cus_id must be a CareOS customer id (1 to 15 digits)',
      },
    ]);
  });

  it('never accepts an id that a JavaScript number would silently round', () => {
    const raw = '123456789012345678';
    const result = nanaSource.validate({ ...validRow, careos_cus_id: raw }, ctx);
    if (result.ok) expect(String(result.value.careosCusId)).toBe(raw);
    else expect(codes(result.errors)).toEqual(['careos_cus_id:INVALID_CUSTOMER_ID']);
  });
});

describe('nana validate: every reason together', () => {
  const badRow = {
    careos_cus_id: 'CUS-SENTINEL',
    nana_cus_id: 'SENTINEL ID,',
    gender: 'SENTINEL-GENDER',
    firstname: '',
    lastname: 'Sentinel\u0001Lastname',
    email: 'sentinel.person@@example.org',
    date_of_birth: '2531-04-12',
    phone: 'SENTINEL-PHONE, 8.12345678E+08',
    company_name: '"Sentinel Widgets Co., Ltd.',
    force_create: 'SENTINEL-FORCE',
  };

  it('reports every broken rule of a record, not just the first', () => {
    const result = nanaSource.validate(badRow, ctx);
    expect(result.ok).toBe(false);
    expect(!result.ok && codes(result.errors)).toEqual([
      'careos_cus_id:INVALID_CUSTOMER_ID',
      'nana_cus_id:INVALID_NANA_ID',
      'nana_cus_id:INVALID_NANA_ID',
      'gender:INVALID_GENDER',
      'firstname:REQUIRED',
      'lastname:INVALID_CHARACTERS',
      'email:INVALID_EMAIL',
      'date_of_birth:DATE_IN_FUTURE',
      'phone:INVALID_PHONE',
      'phone:EXCEL_NUMERIC_MANGLED',
      'company_name:INVALID_COMPANY_LIST',
      'force_create:INVALID_FORCE_CREATE',
    ]);
  });

  it('keeps the offending values out of every message', () => {
    const result = nanaSource.validate(badRow, ctx);
    const text = JSON.stringify(result);
    for (const fragment of ['SENTINEL', 'Sentinel', 'sentinel', '2531', '8.1234']) expect(text).not.toContain(fragment);
  });
});

describe('nana validate: the sync key and content hash of a record', () => {
  it('keys a record by its smallest Nana id, whatever order BI lists them in', () => {
    expect(accept({ nana_cus_id: 'N2, N10, N1,N2' }).key).toBe('N1');
    expect(accept({ nana_cus_id: 'N3,N2' }).key).toBe(accept({ nana_cus_id: 'N2,N3' }).key);
  });

  it('keeps the key when BI adds a newer lead to the group', () => {
    expect(accept({ nana_cus_id: 'N10001,N10005' }).key).toBe(accept({ nana_cus_id: 'N10001' }).key);
  });

  it("leaves the ids out of the hash: they are the key's business", () => {
    expect(accept({ nana_cus_id: 'N10001,N10005' }).hash).toBe(accept({}).hash);
  });

  it('hashes the same values written differently to the same digest', () => {
    const a = accept({
      phone: '081-234-5678, 02-123-4567',
      email: 'A@Example.com, b@example.com',
      company_name: '"X Co., Ltd.", "Y"',
    });
    const b = accept({
      phone: '+6621234567 / 0812345678',
      email: 'b@example.com,a@example.com',
      company_name: 'Y, "X Co., Ltd."',
    });
    expect(b.hash).toBe(a.hash);
  });

  it('changes the hash when a value an update would write changes', () => {
    const base = accept({}).hash;
    const changes: Record<string, string>[] = [
      { firstname: 'Somsak' },
      { lastname: 'Dee' },
      { gender: 'M' },
      { gender: '' },
      { date_of_birth: '1988-04-13' },
      { phone: '0812345679' },
      { phone: '0812345678 ext 5' },
      { email: 'x@example.com' },
      { company_name: 'ADB' },
    ];
    for (const change of changes) expect(accept(change).hash, JSON.stringify(change)).not.toBe(base);
  });

  it('leaves careos_cus_id and force_create out of the hash: they are instructions to the rule, not content', () => {
    expect(accept({ careos_cus_id: '42', force_create: 'Y' }).hash).toBe(accept({}).hash);
  });
});
