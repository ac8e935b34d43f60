import { open } from 'node:fs/promises';
import { FileRejectedError } from '../errors';
import { byteOrderMark } from './scan';
import { isUtf16, type TextEncoding } from './text-encoding';

const SNIFF_BYTES = 64 * 1024;

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * A ZIP (checked as an .xlsx workbook by read-xlsx) or delimited text; anything else is refused here.
 * `declared`: the encoding the uploader named, if any (UTF-16 without a byte order mark has NUL bytes).
 */
export async function sniffFileKind(path: string, fileName: string, declared?: TextEncoding): Promise<'xlsx' | 'text'> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead === 4 && head.equals(ZIP_MAGIC)) return 'xlsx';
  } finally {
    await handle.close();
  }
  await assertDelimitedText(path, fileName, declared);
  return 'text';
}

/** Decides what the bytes are, whatever the file name says (names lie; magic bytes do not). */
export async function assertDelimitedText(path: string, fileName: string, declared?: TextEncoding): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    const head = buffer.subarray(0, bytesRead);
    if (bytesRead === 0) throw new FileRejectedError('EMPTY_FILE', `${fileName}: the file is empty`, 400);
    if (head.subarray(0, 4).equals(ZIP_MAGIC)) {
      throw new FileRejectedError(
        'UNSUPPORTED_FILE_TYPE',
        `${fileName}: this is a ZIP/Excel (.xlsx) file; this source takes CSV: save the sheet as CSV UTF-8`,
      );
    }
    if (head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
      throw new FileRejectedError(
        'UNSUPPORTED_FILE_TYPE',
        `${fileName}: this is a legacy .xls or password-protected Excel file; remove the password and save as CSV UTF-8`,
      );
    }
    if (!isUtf16(byteOrderMark(head)) && !isUtf16(declared) && head.includes(0)) {
      throw new FileRejectedError('NOT_TEXT', `${fileName}: the file contains NUL bytes and is not a text (CSV) file`);
    }
  } finally {
    await handle.close();
  }
}
