import { FileRejectedError } from '../errors';
import type { RawRecord } from './read-records';
import { XLSX_LIMITS, type XlsxLimits } from './xlsx/xlsx-limits';

/** What one upload may hold, whatever its format; set from the configuration (src/config.ts). */
export interface FileLimits {
  /** Data records of one import: staging stops and rolls back at the next one. */
  maxRecords: number;
  /** V8 old-generation heap of the thread that reads the file, in MB: a file that needs more is refused, the api lives on. */
  parserHeapMb: number;
  xlsx: XlsxLimits;
}

/** Generous: ten times the largest export the sources are known to send. */
export const DEFAULT_MAX_RECORDS = 20_000_000;

/** Room for the largest bounded state (shared strings at their cap, one batch) with margin, well under the api's own heap. */
export const DEFAULT_PARSER_HEAP_MB = 96;

export const DEFAULT_FILE_LIMITS: FileLimits = {
  maxRecords: DEFAULT_MAX_RECORDS,
  parserHeapMb: DEFAULT_PARSER_HEAP_MB,
  xlsx: XLSX_LIMITS,
};

/** Passes the header and records on, refusing the file at the first record past `maxRecords`. */
export async function* withRecordCap<T extends RawRecord | { header: string[] }>(
  records: AsyncGenerator<T>,
  maxRecords: number,
  fileName: string,
): AsyncGenerator<T> {
  let count = 0;
  for await (const r of records) {
    if (!('header' in r) && ++count > maxRecords) {
      await records.return(undefined);
      throw new FileRejectedError(
        'TOO_MANY_RECORDS',
        `${fileName}: the file has more than ${maxRecords} records (MAX_RECORDS); split it into several imports`,
        413,
        { maxRecords },
      );
    }
    yield r;
  }
}
