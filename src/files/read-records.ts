import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { CsvError, Parser } from 'csv-parse';
import { FileRejectedError } from '../errors';
import { CrLfJoiner } from './crlf-joiner';
import { RecordBounds } from './record-bounds';
import type { TextEncoding } from './text-encoding';

export interface RawRecord {
  /** Data records counted from 1; the header is not a record. */
  rowNumber: number;
  /** Line of the file where the record starts (a quoted field may span lines). */
  lineNumber: number;
  fields: string[];
}

export const MAX_COLUMNS = 600;
export const MAX_RECORD_BYTES = 1 << 20;

/** Decodes a byte stream and turns CR LF and lone CR into LF, so mixed line endings never merge rows. */
class DecodeLines extends Transform {
  private readonly decoder: TextDecoder;
  private readonly crlf = new CrLfJoiner();

  constructor(encoding: TextEncoding) {
    super({ readableObjectMode: false });
    this.decoder = new TextDecoder(encoding, { fatal: true });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.pushText(this.decoder.decode(chunk, { stream: true }));
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.pushText(this.decoder.decode());
      if (this.crlf.holdsCr) this.push('\n');
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  private pushText(text: string): void {
    const t = this.crlf.next(text);
    if (t.length > 0) this.push(t.replace(/\r\n?/g, '\n'));
  }
}

/** How many times each delimiter Ferry reads (`,` `;` TAB `|`) occurs in the line outside quotes. */
export function delimiterCounts(line: string): Map<string, number> {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
    ['|', 0],
  ]);
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  return counts;
}

/** The delimiter that splits the header line into the most cells outside quotes. */
export function detectDelimiter(firstLine: string): string {
  const counts = delimiterCounts(firstLine);
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

/** A parsed record and the line of the file it starts on. */
interface NumberedFields {
  lineNumber: number;
  fields: string[];
}

/**
 * csv-parse's parser, emitting each chunk's records as one array with their start lines. The parser
 * pushes every record synchronously while it parses, so its live `info` is exactly the snapshot the
 * `info: true` option would copy per record, without the copy, and arrays cross the stream, not records.
 */
class NumberedParser extends Parser {
  private batch: NumberedFields[] = [];
  private endLine = 0;
  private emptyLines = 0;

  override push(record: string[] | null): boolean {
    if (record === null) {
      this.pushBatch();
      return super.push(null);
    }
    // Skipped empty lines sit between the previous record's last line and this one's first.
    const lineNumber = this.endLine + 1 + (this.info.empty_lines - this.emptyLines);
    this.endLine = this.info.lines;
    this.emptyLines = this.info.empty_lines;
    this.batch.push({ lineNumber, fields: record });
    return true;
  }

  override _transform(chunk: Buffer, enc: BufferEncoding, done: TransformCallback): void {
    super._transform(chunk, enc, (err) => {
      this.pushBatch();
      done(err);
    });
  }

  override _flush(done: TransformCallback): void {
    super._flush((err) => {
      this.pushBatch();
      done(err);
    });
  }

  private pushBatch(): void {
    if (this.batch.length === 0) return;
    super.push(this.batch);
    this.batch = [];
  }
}

/** A line of only delimiters (",,,,") has fields, but no values. */
function isBlank(fields: string[]): boolean {
  for (const f of fields) if (f.trim() !== '') return false;
  return true;
}

/**
 * Streams the header and then every data record. Lines with no values at all are not records.
 * Quote errors are file-level: a broken quote would otherwise swallow the rest of the file.
 */
export async function* readRecords(
  path: string,
  fileName: string,
  encoding: TextEncoding,
  delimiter: string,
): AsyncGenerator<RawRecord | { header: string[] }> {
  const parser = new NumberedParser({
    delimiter,
    record_delimiter: '\n',
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  const decoded = createReadStream(path).pipe(new DecodeLines(encoding));
  const source = decoded.pipe(
    new RecordBounds(delimiter, { maxRecordBytes: MAX_RECORD_BYTES, maxColumns: MAX_COLUMNS }, fileName),
  );
  decoded.on('error', (err) => parser.destroy(err));
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);
  let rowNumber = 0;
  let headerSeen = false;
  try {
    for await (const batch of parser as AsyncIterable<NumberedFields[]>) {
      for (const { lineNumber, fields } of batch) {
        if (fields.length > MAX_COLUMNS) {
          throw new FileRejectedError(
            'TOO_MANY_COLUMNS',
            `${fileName}: line ${lineNumber} has ${fields.length} columns; at most ${MAX_COLUMNS} are read`,
          );
        }
        // Its line still counts: the next record's line number comes from the parser.
        if (isBlank(fields)) continue;
        if (!headerSeen) {
          headerSeen = true;
          yield { header: fields };
          continue;
        }
        rowNumber += 1;
        yield { rowNumber, lineNumber, fields };
      }
    }
  } catch (err) {
    throw asFileError(err, fileName);
  }
}

function asFileError(err: unknown, fileName: string): unknown {
  if (err instanceof FileRejectedError) return err;
  if (err instanceof CsvError) {
    const line = (err as CsvError & { lines?: number }).lines;
    const where = line ? ` (line ${line})` : '';
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
      return new FileRejectedError(
        'CSV_QUOTE_NOT_CLOSED',
        `${fileName}: a quoted field opened${where} is never closed`,
        422,
        { line },
      );
    }
    if (err.code === 'CSV_MAX_RECORD_SIZE') {
      return new FileRejectedError(
        'RECORD_TOO_LARGE',
        `${fileName}: a record${where} is larger than ${MAX_RECORD_BYTES} bytes`,
        422,
        { line },
      );
    }
    return new FileRejectedError(err.code, `${fileName}: the CSV cannot be read${where}: ${err.message}`, 422, {
      line,
    });
  }
  if (err instanceof TypeError && /decode|encoded/i.test(err.message)) {
    return new FileRejectedError(
      'INVALID_ENCODING',
      `${fileName}: the file is not valid text in its detected encoding`,
      422,
    );
  }
  return err;
}
