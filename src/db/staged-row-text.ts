import { copyField } from './copy-text';

/** A record of an upload as import_rows holds it. */
export interface StagedRow {
  rowNumber: number;
  lineNumber: number;
  record: Record<string, string>;
  problems: string[] | null;
}

/**
 * Staged rows as COPY data for STAGED_ROWS_TARGET (text format, one line a row), and how many rows.
 * UTF-8 bytes, not a string: one Thai name makes a batch's string two bytes a character, twice
 * what passes from the parse process, and COPY sends bytes anyway.
 */
export interface StagedCopyData {
  data: Buffer;
  rows: number;
}

/** The table and columns the lines of StagedCopyWriter fill, in their order. */
export const STAGED_ROWS_TARGET = 'import_rows (import_id, row_number, line_number, record, problems)';

const BACKSLASH = 0x5c;

/**
 * A string JSON.stringify leaves as it is between its quotes: no quote, backslash, control
 * character or (lone or paired) surrogate, which JSON.stringify may escape and UTF-8 writes
 * otherwise. It holds nothing COPY's text format escapes either.
 */
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** Characters from which a value is written into the bytes on its own. */
const LARGE_VALUE = 64 * 1024;

/** A string as JSON, escaped for COPY's text format: JSON escapes tabs and line breaks itself, and COPY reads only its backslashes. */
function escapedJson(value: string): string {
  const json = JSON.stringify(value);
  return json.includes('\\') ? json.replaceAll('\\', '\\\\') : json;
}

/** Bytes a writer starts with: a batch of ordinary records fits. */
const INITIAL_BYTES = 512 * 1024;

/**
 * Writes staged rows of one import as COPY data, straight into bytes: a record of near a MiB is
 * never copied into a line string first. The record travels as JSON, which never contains a raw
 * tab or line break: escaping it for COPY only doubles its backslashes, so a value that is "\."
 * alone, or holds tabs, cannot truncate or shift the load. Pure, so the process that parses an upload runs it.
 */
export class StagedCopyWriter {
  private data = Buffer.allocUnsafe(INITIAL_BYTES);
  private readonly keys = new Map<string, string>();
  private written = 0;
  private count = 0;

  constructor(private readonly importId: number) {}

  /** Adds the row's line: the record as JSON.stringify writes it, with COPY's escapes. */
  add(row: StagedRow): void {
    let text = `${this.importId}\t${row.rowNumber}\t${row.lineNumber}\t{`;
    let first = true;
    for (const key in row.record) {
      const value = row.record[key];
      text += `${first ? '' : ','}${this.keyOf(key)}`;
      first = false;
      if (value.length < LARGE_VALUE) {
        text += PLAIN.test(value) ? `"${value}"` : escapedJson(value);
      } else {
        // A large value goes straight into the bytes, never copied into the line or a JSON string.
        this.write(text);
        text = '';
        this.writeLarge(value);
      }
    }
    text += row.problems ? `}\t${copyField(`{${row.problems.join(',')}}`)}\n` : '}\t\\N\n';
    this.write(text);
    this.count++;
  }

  /** Rows written since the last take. */
  get rows(): number {
    return this.count;
  }

  /** Bytes written since the last take. */
  get bytes(): number {
    return this.written;
  }

  /** The rows written since the last take; the writer starts afresh. */
  take(): StagedCopyData {
    const taken = { data: this.data.subarray(0, this.written), rows: this.count };
    this.data = Buffer.allocUnsafe(INITIAL_BYTES);
    this.written = 0;
    this.count = 0;
    return taken;
  }

  /** `"key":` as JSON and COPY have it, once per column. */
  private keyOf(key: string): string {
    let json = this.keys.get(key);
    if (json === undefined) this.keys.set(key, (json = `${escapedJson(key)}:`));
    return json;
  }

  private writeLarge(value: string): void {
    if (PLAIN.test(value)) {
      this.write('"');
      this.write(value);
      this.write('"');
      return;
    }
    const json = JSON.stringify(value);
    const start = this.written;
    this.write(json);
    this.doubleBackslashes(start);
  }

  private write(text: string): void {
    // A UTF-16 code unit is at most three bytes of UTF-8; a large value's own count spares reserving thrice its bytes.
    this.reserve(text.length < LARGE_VALUE ? text.length * 3 : Buffer.byteLength(text));
    this.written += this.data.write(text, this.written);
  }

  /**
   * Doubles each backslash written from `start` on, in the bytes: a string replace would hold a part
   * (or a match) per backslash, megabytes for one record in the parse process's small heap. In
   * UTF-8 the byte 0x5C is the backslash and nothing else.
   */
  private doubleBackslashes(start: number): void {
    let count = 0;
    for (
      let i = this.data.indexOf(BACKSLASH, start);
      i !== -1 && i < this.written;
      i = this.data.indexOf(BACKSLASH, i + 1)
    )
      count++;
    this.reserve(count);
    let from = this.written - 1;
    this.written += count;
    for (let to = this.written - 1; count > 0; from--) {
      const byte = this.data[from];
      this.data[to--] = byte;
      if (byte === BACKSLASH) {
        this.data[to--] = BACKSLASH;
        count--;
      }
    }
  }

  private reserve(bytes: number): void {
    const needed = this.written + bytes;
    if (needed <= this.data.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.data.length * 2));
    this.data.copy(grown, 0, 0, this.written);
    this.data = grown;
  }
}

/** Rows of import `importId` as COPY data. */
export function stagedCopyData(importId: number, rows: readonly StagedRow[]): StagedCopyData {
  const writer = new StagedCopyWriter(importId);
  for (const row of rows) writer.add(row);
  return writer.take();
}
