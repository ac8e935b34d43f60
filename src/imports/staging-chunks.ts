import type { StagedRow } from '../db/queries/staged-rows';

/**
 * Cuts a file's record batches into chunks of at most `size` records, each staged in its own
 * transaction. The batches are pulled one at a time (never with for-await, which would close the
 * file's reader at the end of a chunk); a batch that straddles two chunks is split between them.
 */
export class StagingChunks {
  private carried: StagedRow[] | null = null;
  private ended = false;

  constructor(
    private readonly batches: AsyncIterator<StagedRow[]>,
    private readonly size: number,
  ) {}

  /** The next chunk's batches. */
  async *next(): AsyncGenerator<StagedRow[]> {
    let left = this.size;
    while (left > 0) {
      const batch = await this.take();
      if (batch === null) return;
      if (batch.length > left) {
        this.carried = batch.slice(left);
        yield batch.slice(0, left);
        return;
      }
      left -= batch.length;
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

  private async take(): Promise<StagedRow[] | null> {
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
