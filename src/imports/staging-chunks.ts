import type { StagedCopyData } from '../db/staged-row-text';

/**
 * Cuts a file's batches of staged rows' COPY data into chunks of at most `size` rows, each staged
 * in its own transaction. The batches are pulled one at a time (never with for-await, which would
 * close the file's reader at the end of a chunk); a batch that straddles two chunks is split between
 * them at a line's end.
 */
export class StagingChunks {
  private carried: StagedCopyData | null = null;
  private ended = false;

  constructor(
    private readonly batches: AsyncIterator<StagedCopyData>,
    private readonly size: number,
  ) {}

  /** The next chunk's batches. */
  async *next(): AsyncGenerator<StagedCopyData> {
    let left = this.size;
    while (left > 0) {
      const batch = await this.take();
      if (batch === null) return;
      if (batch.rows > left) {
        const [head, rest] = splitAfter(batch, left);
        this.carried = rest;
        yield head;
        return;
      }
      left -= batch.rows;
      yield batch;
    }
  }

  /** Whether the file has no record left; reads ahead one batch to know (a file error surfaces here). */
  async atEnd(): Promise<boolean> {
    if (this.carried) return false;
    const batch = await this.take();
    if (batch === null) return true;
    this.carried = batch;
    return false;
  }

  private async take(): Promise<StagedCopyData | null> {
    if (this.carried) {
      const batch = this.carried;
      this.carried = null;
      return batch;
    }
    if (this.ended) return null;
    const { done, value } = await this.batches.next();
    if (done) {
      this.ended = true;
      return null;
    }
    return value;
  }
}

const LINE_FEED = 0x0a;

/** The batch's first `rows` lines, and the rest: COPY's text format escapes every line feed inside a value. */
function splitAfter(batch: StagedCopyData, rows: number): [StagedCopyData, StagedCopyData] {
  let end = 0;
  for (let i = 0; i < rows; i++) end = batch.data.indexOf(LINE_FEED, end) + 1;
  return [
    { data: batch.data.subarray(0, end), rows },
    { data: batch.data.subarray(end), rows: batch.rows - rows },
  ];
}
