import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli, UsageError } from '../../src/cli/args';
import { FileRejectedError } from '../../src/errors';
import { findInvalidLine } from '../../src/files/find-invalid-line';
import { scanFile } from '../../src/files/scan';
import type { TextEncoding } from '../../src/files/text-encoding';
import { sniffFileKind } from '../../src/files/sniff';
import { importOptionsSchema } from '../../src/imports/import-options';

const dir = mkdtempSync(path.join(tmpdir(), 'ferry-declared-dialect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function file(content: string | Buffer): string {
  files += 1;
  const p = path.join(dir, `upload-${files}.csv`);
  writeFileSync(p, content);
  return p;
}

/** Thai "ก" (U+0E01) in Windows-874: one byte that is never valid UTF-8 on its own. */
const THAI_874 = Buffer.from([0xa1]);
const ascii = (text: string) => Buffer.from(text, 'latin1');

async function refusal(promise: Promise<unknown>): Promise<FileRejectedError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(FileRejectedError);
    return err as FileRejectedError;
  }
  throw new Error('expected a refusal');
}

describe('findInvalidLine', () => {
  it('names the line of the first bytes that are not UTF-8, however the lines end', async () => {
    expect(await findInvalidLine(file(Buffer.concat([ascii('a,b\nc,d\ne,'), THAI_874, ascii('\n')])), 'utf-8')).toBe(3);
    expect(
      await findInvalidLine(file(Buffer.concat([ascii('a,b\r\nc,d\r\ne,'), THAI_874, ascii('\r\n')])), 'utf-8'),
    ).toBe(3);
    expect(await findInvalidLine(file(Buffer.concat([ascii('a,b\rc,d\re,'), THAI_874, ascii('\r')])), 'utf-8')).toBe(3);
    expect(await findInvalidLine(file(Buffer.concat([THAI_874, ascii(',b\nc,d\n')])), 'utf-8')).toBe(1);
  });

  it('counts a lone CR right before the bad bytes as the end of its line', async () => {
    expect(await findInvalidLine(file(Buffer.concat([ascii('a,b\r'), THAI_874])), 'utf-8')).toBe(2);
  });

  it('finds a sequence cut short at the end of the file, and nothing in a valid file', async () => {
    expect(await findInvalidLine(file(Buffer.concat([ascii('a\nb\n'), Buffer.from([0xe0, 0xb8])])), 'utf-8')).toBe(3);
    expect(await findInvalidLine(file('ชื่อ,นามสกุล\nสมศรี,ใจดี\n'), 'utf-8')).toBeNull();
  });

  it('finds bytes Windows-874 leaves undefined, and an unpaired UTF-16 surrogate', async () => {
    expect(
      await findInvalidLine(
        file(Buffer.concat([ascii('a\n'), THAI_874, ascii('\n'), Buffer.from([0xfc])])),
        'windows-874',
      ),
    ).toBe(3);
    const utf16 = Buffer.concat([
      Buffer.from('a,b\nc', 'utf16le'),
      Buffer.from([0x00, 0xd8]),
      Buffer.from(',d\n', 'utf16le'),
    ]);
    expect(await findInvalidLine(file(utf16), 'utf-16le')).toBe(2);
    const be = Buffer.from(Buffer.from('x\ny\n', 'utf16le')).swap16();
    expect(await findInvalidLine(file(Buffer.concat([be, Buffer.from([0xdc, 0x00])])), 'utf-16be')).toBe(3);
  });

  it('keeps counting across the chunks of a large file', async () => {
    const lines = 150_000;
    const body = ascii('n,v\n'.repeat(lines));
    expect(body.length).toBeGreaterThan(1 << 19);
    expect(await findInvalidLine(file(Buffer.concat([body, ascii('x,'), THAI_874, ascii('\n')])), 'utf-8')).toBe(
      lines + 1,
    );
    const utf16 = Buffer.concat([Buffer.from('n,v\r\n'.repeat(lines), 'utf16le'), Buffer.from([0x00, 0xdc])]);
    expect(await findInvalidLine(file(utf16), 'utf-16le')).toBe(lines + 1);
  });
});

describe('scanFile with a declared encoding', () => {
  it('takes the declaration when every byte decodes in it', async () => {
    const thai = file(Buffer.concat([ascii('name;city\nA;'), THAI_874, ascii('\n')]));
    expect(await scanFile(thai, 'f.csv', 'windows-874')).toMatchObject({
      encoding: 'windows-874',
      firstLine: 'name;city',
    });
    const noBom = file(Buffer.from('name\tcity\nA\tB\n', 'utf16le'));
    expect(await sniffFileKind(noBom, 'f.csv', 'utf-16le')).toBe('text');
    expect(await scanFile(noBom, 'f.csv', 'utf-16le')).toMatchObject({ encoding: 'utf-16le', firstLine: 'name\tcity' });
  });

  it('refuses bytes the declared encoding does not decode, naming the file and the line', async () => {
    const err = await refusal(
      scanFile(file(Buffer.concat([ascii('name,city\nA,B\nC,'), THAI_874, ascii('\n')])), 'members.csv', 'utf-8'),
    );
    expect(err.code).toBe('INVALID_ENCODING');
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/^members\.csv: line 3 is not valid UTF-8/);
    expect(err.details).toEqual({ line: 3, encoding: 'utf-8' });
  });

  it('refuses a byte order mark that contradicts the declaration', async () => {
    const bom16 = file(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name,city\n', 'utf16le')]));
    const err = await refusal(scanFile(bom16, 'm.csv', 'windows-874'));
    expect(err.code).toBe('ENCODING_MISMATCH');
    expect(err.message).toMatch(/^m\.csv: line 1 starts with a UTF-16LE byte order mark/);
    const bom8 = file(Buffer.from('\ufeffname,city\n', 'utf8'));
    expect((await refusal(scanFile(bom8, 'm.csv', 'windows-874'))).code).toBe('ENCODING_MISMATCH');
    expect(await scanFile(bom8, 'm.csv', 'utf-8')).toMatchObject({ encoding: 'utf-8', firstLine: 'name,city' });
  });

  it('still refuses NUL bytes unless UTF-16 was declared', async () => {
    const nul = file(Buffer.from('name\u0000,city\n'));
    expect((await refusal(sniffFileKind(nul, 'n.csv'))).code).toBe('NOT_TEXT');
    expect((await refusal(sniffFileKind(nul, 'n.csv', 'utf-8' as TextEncoding))).code).toBe('NOT_TEXT');
  });
});

describe('the encoding and delimiter options', () => {
  it('default to auto, read tis-620 as windows-874 and refuse anything else', () => {
    expect(importOptionsSchema.parse({})).toMatchObject({ encoding: 'auto', delimiter: 'auto' });
    expect(importOptionsSchema.parse({ encoding: 'tis-620', delimiter: 'tab' })).toMatchObject({
      encoding: 'windows-874',
      delimiter: 'tab',
    });
    expect(importOptionsSchema.parse({ encoding: 'utf-16be', delimiter: ';' })).toMatchObject({
      encoding: 'utf-16be',
      delimiter: ';',
    });
    expect(importOptionsSchema.safeParse({ encoding: 'latin1' }).success).toBe(false);
    expect(importOptionsSchema.safeParse({ delimiter: ':' }).success).toBe(false);
  });

  it('are CLI flags, checked before anything is sent', () => {
    const env = { FERRY_TOKEN: 't' };
    const parsed = parseCli(
      ['import', 'f.csv', '--source', 'careshop', '--encoding', 'TIS-620', '--delimiter', 'TAB'],
      env,
    );
    expect(parsed.kind === 'run' && parsed.command).toMatchObject({
      name: 'import',
      encoding: 'tis-620',
      delimiter: 'tab',
    });
    const plain = parseCli(['import', 'f.csv', '--source', 'careshop'], env);
    expect(plain.kind === 'run' && plain.command).toMatchObject({ encoding: undefined, delimiter: undefined });
    expect(() => parseCli(['import', 'f.csv', '--source', 'nana', '--encoding', 'latin1'], env)).toThrow(UsageError);
    expect(() => parseCli(['import', 'f.csv', '--source', 'nana', '--delimiter', ':'], env)).toThrow(
      /--delimiter must be one of/,
    );
    expect(() => parseCli(['status', '1', '--encoding', 'utf-8'], env)).toThrow(/not an option of status/);
  });
});
