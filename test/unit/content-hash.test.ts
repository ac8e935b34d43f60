import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nanaSource } from '../../src/sources/nana/nana';
import { contentHash } from '../../src/sources/shared/values';

// The sync history stores these digests: a re-import compares against them, so they must never drift.
const ctx = { today: '2025-06-01' };

function reference(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

describe('contentHash', () => {
  it('is the SHA-256 of the JSON text, as hex', () => {
    expect(contentHash({ a: 'สมศรี', b: [1, null, 'x"\n'], c: { d: true } })).toBe(
      '7dac7233d756c66951841d51e445687ce523d681cac726ae6b758831ed2a896f',
    );
  });

  it('gives the same digest as a Hash object for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(contentHash(value)).toBe(reference(value));
      }),
      { numRuns: 500 },
    );
  });
});

describe('nana validate: digests stored by earlier imports', () => {
  it("keeps the template rows' keys and hashes", () => {
    const [first, second] = nanaSource.templateRows.map((row) => nanaSource.validate(row, ctx));
    expect(first.ok && first.value.hash).toBe('c0848b61c5c4e8daaa97efab02b63a461a275383d89fb63b8525984b9fc3e28a');
    expect(second.ok && second.value.hash).toBe('7e5556f9761da7f0678b4c128c32ef13787dbe6371ec940fae1b685be59a5f2c');
  });

  it('keeps the whole record of a Thai row with repeats, an extension and a customer id', () => {
    const result = nanaSource.validate(
      {
        careos_cus_id: '42',
        nana_cus_id: 'N7, N3 ,N7',
        gender: 'f',
        firstname: ' สมศรี  ',
        lastname: 'ใจดี',
        email: 'B@Example.com, a@example.com, b@example.com',
        date_of_birth: '1988-04-12',
        phone: '+66 81 234 5678 ต่อ 12, 02-123-4567, 0812345678',
        company_name: '"Rabbit Care Co., Ltd.", ADB, "Rabbit Care Co., Ltd."',
        force_create: 'y',
      },
      ctx,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        key: 'N3',
        hash: 'f721974b0d73aeefef8ca7c8a89309e15d5c27b4940558d047a281b80e7939f7',
        careosCusId: 42,
        nanaIds: ['N7', 'N3'],
        gender: 'F',
        firstName: 'สมศรี',
        lastName: 'ใจดี',
        emails: ['b@example.com', 'a@example.com'],
        dateOfBirth: '1988-04-12',
        phones: [
          { e164: '+66812345678', extension: '12' },
          { e164: '+6621234567', extension: null },
        ],
        companies: ['Rabbit Care Co., Ltd.', 'ADB'],
        forceCreate: true,
      },
    });
  });

  it("keeps the order of the record's fields, which its JSON in payloads and reports follows", () => {
    const result = nanaSource.validate(nanaSource.templateRows[0], ctx);
    expect(result.ok && Object.keys(result.value)).toEqual([
      'key',
      'hash',
      'careosCusId',
      'nanaIds',
      'gender',
      'firstName',
      'lastName',
      'emails',
      'dateOfBirth',
      'phones',
      'companies',
      'forceCreate',
    ]);
  });
});
