// Parsing the codec keys is configuration: it lives apart from the codec, so that src/config.ts
// validates them without loading the Temporal data converter.

export interface CodecKey {
  id: string;
  key: Buffer;
}

/**
 * Parses `FERRY_CODEC_KEYS`: `keyId:base64key,…`, each key 32 bytes (AES-256). The first key
 * encrypts; every key decrypts, so a rotated-out key keeps old histories readable.
 */
export function parseCodecKeys(raw: string): CodecKey[] {
  const keys = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.indexOf(':');
      const id = at > 0 ? entry.slice(0, at) : '';
      if (!id || !/^[A-Za-z0-9._-]{1,64}$/.test(id))
        throw new Error(`FERRY_CODEC_KEYS entry must be keyId:base64key (key id of letters, digits, . _ -)`);
      const key = Buffer.from(entry.slice(at + 1), 'base64');
      if (key.length !== 32)
        throw new Error(
          `FERRY_CODEC_KEYS key "${id}" must be 32 bytes of base64 (openssl rand -base64 32), got ${key.length}`,
        );
      return { id, key };
    });
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new Error('FERRY_CODEC_KEYS has a repeated key id');
  return keys;
}
