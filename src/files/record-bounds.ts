import { Transform, type TransformCallback } from 'node:stream';
import { FileRejectedError } from '../errors';

const QUOTE = 0x22;
const LF = 0x0a;

/**
 * Walks the decoded text as csv-parse will split it (a quote opens a field only at its start, `""`
 * inside quotes is a quote) and refuses a record before the parser builds it: by its UTF-8 bytes,
 * delimiters and quotes included (csv-parse's own limit counts field characters only, so a line of
 * commas passed it), and by its columns. It reads the UTF-8 the decoder hands on, byte by byte: the
 * quote, the delimiters and LF are ASCII, which no byte of a longer character can be. Text passes
 * through unchanged.
 */
export class RecordBounds extends Transform {
  private recordBytes = 0;
  private columns = 1;
  private inQuotes = false;
  private quoteSeen = false;
  private fieldStart = true;
  private line = 1;
  private recordLine = 1;
  private readonly delimiter: number;

  constructor(
    delimiter: string,
    private readonly limits: { maxRecordBytes: number; maxColumns: number },
    private readonly fileName: string,
  ) {
    super();
    this.delimiter = delimiter.charCodeAt(0);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const err = this.walk(chunk);
    if (err) return done(err);
    done(null, chunk);
  }

  private walk(bytes: Buffer): FileRejectedError | null {
    const { maxRecordBytes, maxColumns } = this.limits;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i];
      this.recordBytes += 1;
      if (c === LF) this.line += 1;
      if (this.inQuotes) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (c === QUOTE) continue;
          this.inQuotes = false;
        } else {
          if (c === QUOTE) this.quoteSeen = true;
          if (this.recordBytes > maxRecordBytes) return this.tooLarge();
          continue;
        }
      }
      if (c === QUOTE && this.fieldStart) {
        this.inQuotes = true;
        this.fieldStart = false;
      } else if (c === this.delimiter) {
        this.fieldStart = true;
        if (++this.columns > maxColumns) {
          return new FileRejectedError(
            'TOO_MANY_COLUMNS',
            `${this.fileName}: line ${this.recordLine} has more than ${maxColumns} columns`,
            422,
            { line: this.recordLine },
          );
        }
      } else if (c === LF) {
        this.recordBytes = 0;
        this.columns = 1;
        this.fieldStart = true;
        this.recordLine = this.line;
        continue;
      } else this.fieldStart = false;
      if (this.recordBytes > maxRecordBytes) return this.tooLarge();
    }
    return null;
  }

  private tooLarge(): FileRejectedError {
    return new FileRejectedError(
      'RECORD_TOO_LARGE',
      `${this.fileName}: the record on line ${this.recordLine} is larger than ${this.limits.maxRecordBytes} bytes`,
      422,
      { line: this.recordLine },
    );
  }
}
