import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MIN_TOKEN_BITS, tokenBits } from '../../src/token-strength';

describe('tokenBits', () => {
  it.each([
    ['a word', 'password'],
    ['16 hex digits', '0123456789abcdef'],
    ['one letter repeated', 'a'.repeat(44)],
    ['a short pattern repeated', 'abc'.repeat(15)],
    ['two characters alternating', 'ab'.repeat(40)],
  ])('counts %s as under 128 bits', (_what, token) => {
    expect(tokenBits(token)).toBeLessThan(MIN_TOKEN_BITS);
  });

  it.each([
    ['openssl rand -base64 32', () => randomBytes(32).toString('base64')],
    ['openssl rand -hex 16', () => randomBytes(16).toString('hex')],
    ['a prefixed hex token', () => `admin-${randomBytes(12).toString('hex')}`],
    ['a base64url token', () => randomBytes(24).toString('base64url')],
  ])('counts every one of 2,000 random draws of %s as 128 bits or more', (_what, draw) => {
    const weak = Array.from({ length: 2_000 }, draw).filter((t) => tokenBits(t) < MIN_TOKEN_BITS);
    expect(weak).toEqual([]);
  });
});
