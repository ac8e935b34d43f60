import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig, nationalIdHashKey } from '../../src/config';
import { DEVELOPMENT_NATIONAL_ID_KEY, nationalIdHash } from '../../src/domain/national-id-hash';
import { loyaltyUsersSource } from '../../src/sources/loyalty-users/loyalty-users';
import type { ProfileRecord } from '../../src/sources/shared/profile';

const NID = '1101700230708';
const KEY_A = 'key-a-0123456789-0123456789-0123456789';
const KEY_B = 'key-b-0123456789-0123456789-0123456789';
/** What Ferry stored before the key: a SHA-256 with a salt anyone with the code could read. */
const fixedSaltForm = (id: string) => createHash('sha256').update(`ferry:th_national_id:${id}`).digest('hex');

const member = { name: 'Malee Srisuk', email: 'malee@example.com', mobile: '089-123-4567', nric: NID };
function validated(key?: string): ProfileRecord {
  const result = loyaltyUsersSource.validate(member, { today: '2025-01-01', nationalIdKey: key });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

describe('nationalIdHash', () => {
  it('is an HMAC-SHA256 that depends on the key', () => {
    const a = nationalIdHash(NID, KEY_A);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(nationalIdHash(NID, KEY_A)).toBe(a);
    expect(nationalIdHash(NID, KEY_B)).not.toBe(a);
    expect(nationalIdHash('3100500123458', KEY_A)).not.toBe(a);
  });

  it('never equals the clear id, its plain SHA-256 or the old fixed-salt form', () => {
    for (const key of [KEY_A, DEVELOPMENT_NATIONAL_ID_KEY]) {
      const digest = nationalIdHash(NID, key);
      expect(digest).not.toContain(NID);
      expect(digest).not.toBe(createHash('sha256').update(NID).digest('hex'));
      expect(digest).not.toBe(fixedSaltForm(NID));
    }
  });
});

describe('loyalty-users national ids', () => {
  it('are hashed with the key of the validation context, and the record hash follows the digest', () => {
    const a = validated(KEY_A);
    expect(a.nationalIdHash).toBe(nationalIdHash(NID, KEY_A));
    const b = validated(KEY_B);
    expect(b.nationalIdHash).toBe(nationalIdHash(NID, KEY_B));
    expect(b.hash).not.toBe(a.hash);
    expect(JSON.stringify(a)).not.toContain(NID);
  });

  it('fall back to the development key when none is given (api, tests)', () => {
    expect(validated().nationalIdHash).toBe(nationalIdHash(NID, DEVELOPMENT_NATIONAL_ID_KEY));
  });
});

describe('NATIONAL_ID_HASH_KEY', () => {
  it('is taken from the environment when set', () => {
    const warnings: string[] = [];
    expect(nationalIdHashKey(loadConfig({ NATIONAL_ID_HASH_KEY: KEY_A }), (m) => warnings.push(m))).toBe(KEY_A);
    expect(
      nationalIdHashKey(loadConfig({ NATIONAL_ID_HASH_KEY: KEY_A, NODE_ENV: 'production' }), (m) => warnings.push(m)),
    ).toBe(KEY_A);
    expect(warnings).toEqual([]);
  });

  it('defaults to the development key with a warning, so npm start works on a fresh machine', () => {
    const warnings: string[] = [];
    expect(nationalIdHashKey(loadConfig({}), (m) => warnings.push(m))).toBe(DEVELOPMENT_NATIONAL_ID_KEY);
    expect(nationalIdHashKey(loadConfig({ NATIONAL_ID_HASH_KEY: '' }), (m) => warnings.push(m))).toBe(
      DEVELOPMENT_NATIONAL_ID_KEY,
    );
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/NATIONAL_ID_HASH_KEY is unset/);
  });

  it('is required in production and must be long enough', () => {
    expect(() => nationalIdHashKey(loadConfig({ NODE_ENV: 'production' }), () => {})).toThrow(
      /NATIONAL_ID_HASH_KEY: required when NODE_ENV=production/,
    );
    expect(() => loadConfig({ NATIONAL_ID_HASH_KEY: 'short' })).toThrow(/NATIONAL_ID_HASH_KEY must be 32\+ characters/);
  });
});
