import { FileRejectedError } from '../errors';
import { delimiterCounts, detectDelimiter, readRecords, type RawRecord } from '../files/read-records';
import { inspectXlsx, readXlsxRecords } from '../files/read-xlsx';
import { scanFile, type FileScan } from '../files/scan';
import type { TextEncoding } from '../files/text-encoding';
import { sniffFileKind } from '../files/sniff';
import { DEFAULT_FILE_LIMITS, withRecordCap, type FileLimits } from '../files/file-limits';
import type { ImportOptions } from './import-options';

/** `fileHeader`: the file's own header, when `header` is a projection of it and records carry the file's fields after the projected ones. */
export type RecordStream = AsyncGenerator<RawRecord | { header: string[]; fileHeader?: string[] }>;

export interface OpenedUpload {
  scan: { sha256: string; bytes: number; encoding: string };
  records: RecordStream;
}

const DELIMITERS: Record<Exclude<ImportOptions['delimiter'], 'auto'>, string> = {
  ',': ',',
  ';': ';',
  tab: '\t',
  '|': '|',
};

/** The file's own header and records, CSV or .xlsx, before any mapping, within the upload's bounds. */
export async function openFile(
  upload: { path: string; fileName: string; options: ImportOptions },
  limits: FileLimits = DEFAULT_FILE_LIMITS,
): Promise<OpenedUpload> {
  const { path, fileName, options } = upload;
  const declared = options.encoding === 'auto' ? undefined : (options.encoding as TextEncoding);
  let opened: OpenedUpload;
  if ((await sniffFileKind(path, fileName, declared)) === 'xlsx') {
    assertNoTextDialect(fileName, options);
    const { sha256, bytes } = await inspectXlsx(path, fileName, limits.xlsx);
    opened = {
      scan: { sha256, bytes, encoding: 'xlsx' },
      records: withRecordCap(readXlsxRecords(path, fileName, options.sheet, limits.xlsx), limits.maxRecords, fileName),
    };
  } else {
    const scan = await scanFile(path, fileName, declared);
    opened = {
      scan,
      records: withRecordCap(
        readRecords(path, fileName, scan.encoding, delimiterOf(scan, fileName, options.delimiter)),
        limits.maxRecords,
        fileName,
      ),
    };
  }
  return opened;
}

/** A workbook has cells, not bytes and separators: a declared encoding or delimiter would be silently meaningless. */
function assertNoTextDialect(fileName: string, options: ImportOptions): void {
  const given = (['encoding', 'delimiter'] as const).filter((o) => options[o] !== 'auto');
  if (given.length === 0) return;
  throw new FileRejectedError(
    'OPTION_NOT_FOR_XLSX',
    `${fileName}: this is an Excel (.xlsx) workbook; ${given.join(' and ')} apply to CSV files only: leave ${given.length > 1 ? 'them' : 'it'} auto`,
    422,
    { options: given },
  );
}

/**
 * The declared delimiter wins over detection. One the header line does not contain at all, while
 * another splits it, is a wrong declaration: refused with both named, not read as a one-column file.
 */
function delimiterOf(scan: FileScan, fileName: string, option: ImportOptions['delimiter']): string {
  const detected = detectDelimiter(scan.firstLine);
  if (option === 'auto') return detected;
  const declared = DELIMITERS[option];
  const counts = delimiterCounts(scan.firstLine);
  if (counts.get(declared) === 0 && counts.get(detected)! > 0) {
    throw new FileRejectedError(
      'DELIMITER_MISMATCH',
      `${fileName}: line 1 has no ${shown(declared)} outside quotes, the delimiter declared for the file; it looks separated by ${shown(detected)}: declare that, or auto`,
      422,
      { line: 1, delimiter: option, detected: detected === '\t' ? 'tab' : detected },
    );
  }
  return declared;
}

function shown(delimiter: string): string {
  return delimiter === '\t' ? 'TAB' : `"${delimiter}"`;
}
