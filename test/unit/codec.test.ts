import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { loadConfig } from '../../src/config';
import { parseCodecKeys } from '../../src/codec-keys';
import {
  AesGcmCodec,
  decodePayloadProto,
  encodePayloadProto,
  ferryDataConverter,
  KEY_ID_METADATA,
} from '../../src/temporal/codec';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const text = (p: Payload) =>
  Buffer.concat([
    ...Object.values(p.metadata ?? {}).map((v) => Buffer.from(v ?? [])),
    Buffer.from(p.data ?? []),
  ]).toString('latin1');
/** Protobuf view of a payload: absent and empty bytes are the same message. */
const norm = (ps: Payload[]) =>
  ps.map((p) => ({
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('hex')]),
    ),
    data: Buffer.from(p.data ?? []).toString('hex'),
  }));
const values = [
  { importId: 42, name: 'ทดสอบ ซ้ำ', phone: '0899999991' },
  null,
  new Uint8Array([0, 1, 2, 255]),
  undefined,
];
const sample = () => [
  defaultPayloadConverter.toPayload({ importId: 42, name: 'ทดสอบ ซ้ำ', phone: '0899999991' }),
  defaultPayloadConverter.toPayload(null),
  defaultPayloadConverter.toPayload(new Uint8Array([0, 1, 2, 255])),
  defaultPayloadConverter.toPayload(undefined),
];

describe('AES-256-GCM payload codec', () => {
  it('round-trips every kind of payload, metadata included, and hides the content', async () => {
    const codec = new AesGcmCodec(parseCodecKeys(key('k1')));
    const plain = sample();
    const encoded = await codec.encode(plain);
    for (const p of encoded) {
      expect(Buffer.from(p.metadata!.encoding!).toString()).toBe('binary/encrypted');
      expect(Buffer.from(p.metadata![KEY_ID_METADATA]!).toString()).toBe('k1');
      expect(text(p)).not.toContain('0899999991');
      expect(text(p)).not.toContain('json/plain');
    }
    const decoded = await codec.decode(encoded);
    expect(norm(decoded)).toEqual(norm(plain));
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual(values);
    // A fresh IV each time: the same value never gives the same ciphertext.
    const [a, b] = await codec.encode([plain[0], plain[0]]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  it('leaves payloads it did not encrypt alone', async () => {
    const codec = new AesGcmCodec(parseCodecKeys(key('k1')));
    expect(norm(await codec.decode(sample()))).toEqual(norm(sample()));
  });

  it('rotates: the first key encrypts, an older key still decrypts, a dropped key fails', async () => {
    const k1 = key('k1');
    const k2 = key('k2');
    const old = await new AesGcmCodec(parseCodecKeys(k1)).encode(sample());
    const rotated = new AesGcmCodec(parseCodecKeys(`${k2},${k1}`));
    expect(norm(await rotated.decode(old))).toEqual(norm(sample()));
    const fresh = await rotated.encode(sample());
    expect(Buffer.from(fresh[0].metadata![KEY_ID_METADATA]!).toString()).toBe('k2');
    await expect(new AesGcmCodec(parseCodecKeys(k2)).decode(old)).rejects.toThrow(/unknown codec key "k1"/);
  });

  it('refuses tampered ciphertext, a forged tag, a swapped key id and a truncated payload', async () => {
    const k1 = key('k1');
    const k2 = key('k2');
    const codec = new AesGcmCodec(parseCodecKeys(`${k1},${k2}`));
    const [p] = await codec.encode([sample()[0]]);
    const flip = (i: number) => {
      const data = Buffer.from(p.data!);
      data[i] ^= 1;
      return { metadata: p.metadata, data: new Uint8Array(data) };
    };
    await expect(codec.decode([flip(20)])).rejects.toThrow();
    await expect(codec.decode([flip(p.data!.length - 1)])).rejects.toThrow();
    await expect(codec.decode([flip(0)])).rejects.toThrow();
    await expect(
      codec.decode([{ metadata: { ...p.metadata, [KEY_ID_METADATA]: Buffer.from('k2') }, data: p.data }]),
    ).rejects.toThrow();
    await expect(codec.decode([{ metadata: p.metadata, data: p.data!.subarray(0, 10) }])).rejects.toThrow(/too short/);
  });

  it('encodes the Payload protobuf like the SDK does', async () => {
    const { temporal } = await import('@temporalio/proto');
    for (const p of sample()) {
      const ours = encodePayloadProto(p);
      const theirs = Buffer.from(temporal.api.common.v1.Payload.encode(p).finish());
      expect(norm([decodePayloadProto(theirs)])).toEqual(norm([decodePayloadProto(ours)]));
      const back = temporal.api.common.v1.Payload.decode(ours);
      expect(Buffer.from(back.data).equals(Buffer.from(p.data ?? []))).toBe(true);
    }
    const big = { metadata: { encoding: Buffer.from('binary/plain') }, data: new Uint8Array(randomBytes(300_000)) };
    expect(norm([decodePayloadProto(encodePayloadProto(big))])).toEqual(norm([big]));
  });
});

describe('FERRY_CODEC_KEYS', () => {
  it('is off when unset, on with keys, and names a bad entry', () => {
    expect(loadConfig({}).FERRY_CODEC_KEYS).toEqual([]);
    expect(ferryDataConverter([])).toBeUndefined();
    const keys = loadConfig({ FERRY_CODEC_KEYS: `${key('new')}, ${key('old')}` }).FERRY_CODEC_KEYS;
    expect(keys.map((k) => k.id)).toEqual(['new', 'old']);
    expect(ferryDataConverter(keys)).toMatchObject({
      failureConverterPath: expect.stringMatching(/failure-converter\.cjs$/),
    });
    expect(() => loadConfig({ FERRY_CODEC_KEYS: 'k1:c2hvcnQ=' })).toThrow(/must be 32 bytes/);
    expect(() => loadConfig({ FERRY_CODEC_KEYS: randomBytes(32).toString('base64') })).toThrow(/keyId:base64key/);
    expect(() => loadConfig({ FERRY_CODEC_KEYS: `${key('a')},${key('a')}` })).toThrow(/repeated/);
  });
});
