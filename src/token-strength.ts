/**
 * An estimate of a token's randomness in bits: its length times the bits of the smallest common
 * alphabet holding all its characters (hex, base32, base64url, printable), and nothing at all when
 * its characters repeat far more than a random draw's would ("aaaa…", "abcabc…"). It catches short
 * and patterned tokens; it cannot see that a long phrase was chosen by a person.
 */
export function tokenBits(token: string): number {
  const alphabetBits = /^[0-9a-f]+$/i.test(token)
    ? 4
    : /^[A-Z2-7=]+$/.test(token)
      ? 5
      : /^[A-Za-z0-9_\-+/=]+$/.test(token)
        ? 6
        : Math.log2(95);
  const best = Math.log2(Math.min(token.length, 2 ** alphabetBits));
  // Half the best possible: a random draw's own frequencies fall short of the best by chance, a pattern by far.
  if (token.length > 1 && shannonBits(token) < 0.5 * best) return 0;
  return token.length * alphabetBits;
}

/** Bits per character of the token's own character frequencies. */
function shannonBits(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

export const MIN_TOKEN_BITS = 128;
export const MAKE_A_TOKEN = 'openssl rand -base64 32';
