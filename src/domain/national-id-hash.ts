import { createHmac } from 'node:crypto';

/**
 * The key `npm start` and the tests hash with when NATIONAL_ID_HASH_KEY is unset. It is in the code,
 * so it protects nothing: the worker warns when it uses it and refuses it when NODE_ENV=production.
 */
export const DEVELOPMENT_NATIONAL_ID_KEY = 'ferry-development-only:national-id-hash-key:never-for-real-data';

/**
 * National ids are stored and compared as this digest only; the clear value is never stored or
 * logged. A 13-digit id with a check digit has only 10^12 candidates, so any unkeyed or fixed-salt
 * hash falls to brute force by whoever has the code: the HMAC key lives outside the code and the
 * database (NATIONAL_ID_HASH_KEY). The same key must hash every import, or equal ids stop matching.
 */
export function nationalIdHash(id: string, key: string): string {
  return createHmac('sha256', key).update(id, 'utf8').digest('hex');
}
