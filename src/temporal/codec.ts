import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { projectPath } from '../project-root';
import type { CodecKey } from '../codec-keys';

/** Marks a payload this codec encrypted; its `data` is iv ‖ ciphertext ‖ tag of the whole original Payload. */
export const ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM over each whole payload (metadata included); the key id travels in clear metadata. */
export class AesGcmCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  private readonly current: CodecKey;

  constructor(keys: CodecKey[]) {
    if (keys.length === 0) throw new Error('AesGcmCodec needs at least one key');
    this.current = keys[0];
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const plain = encodePayloadProto(payload);
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      // The key id is authenticated too: swapping it for another key's id fails the tag.
      cipher.setAAD(Buffer.from(this.current.id));
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCODING), [KEY_ID_METADATA]: Buffer.from(this.current.id) },
        data: new Uint8Array(data),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (Buffer.from(payload.metadata?.[METADATA_ENCODING_KEY] ?? []).toString() !== ENCODING) return payload;
      const keyId = Buffer.from(payload.metadata?.[KEY_ID_METADATA] ?? []).toString();
      const key = this.byId.get(keyId);
      if (!key) throw new Error(`payload encrypted with unknown codec key "${keyId}"`);
      const data = Buffer.from(payload.data ?? []);
      if (data.length < IV_BYTES + TAG_BYTES) throw new Error('encrypted payload is too short');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(keyId));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return decodePayloadProto(plain);
    });
  }
}

/** The worker's and clients' data converter: undefined (the SDK default) when no key is configured. */
export function ferryDataConverter(keys: CodecKey[] | undefined): DataConverter | undefined {
  if (!keys || keys.length === 0) return undefined;
  return {
    payloadCodecs: [new AesGcmCodec(keys)],
    // Failure messages and stack traces move into an encoded payload, so they are encrypted too.
    failureConverterPath: encodingFailureConverterPath,
  };
}

/**
 * `DefaultFailureConverter({ encodeCommonAttributes: true })` as a module, the only form the SDK
 * takes: a workflow bundle must be built with it (bundleWorkflowCode's failureConverterPath).
 */
export const encodingFailureConverterPath = projectPath('src/temporal/failure-converter.cjs');

// A Payload is map<string, bytes> metadata = 1, bytes data = 2. Encoded by hand (a few lines of
// protobuf wire format) so the codec does not depend on the SDK's generated proto classes.

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

function field(tag: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint((tag << 3) | 2), varint(bytes.length), bytes]);
}

export function encodePayloadProto(payload: Payload): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(payload.metadata ?? {})) {
    parts.push(field(1, Buffer.concat([field(1, Buffer.from(k)), field(2, Buffer.from(v ?? []))])));
  }
  if (payload.data && payload.data.length > 0) parts.push(field(2, Buffer.from(payload.data)));
  return Buffer.concat(parts);
}

function readFields(buf: Buffer): Array<[number, Buffer]> {
  const fields: Array<[number, Buffer]> = [];
  let pos = 0;
  const readVarint = () => {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated payload');
      const b = buf[pos++];
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
  };
  while (pos < buf.length) {
    const key = readVarint();
    if ((key & 7) !== 2) throw new Error('unexpected wire type in payload');
    const len = readVarint();
    if (pos + len > buf.length) throw new Error('truncated payload');
    fields.push([key >> 3, buf.subarray(pos, pos + len)]);
    pos += len;
  }
  return fields;
}

export function decodePayloadProto(buf: Buffer): Payload {
  const metadata: Record<string, Uint8Array> = {};
  let data = new Uint8Array(0);
  for (const [tag, bytes] of readFields(buf)) {
    if (tag === 1) {
      let k = '';
      let v = new Uint8Array(0);
      for (const [t, b] of readFields(bytes)) {
        if (t === 1) k = b.toString();
        else if (t === 2) v = new Uint8Array(b);
      }
      metadata[k] = v;
    } else if (tag === 2) data = new Uint8Array(bytes);
  }
  return { metadata, data };
}
