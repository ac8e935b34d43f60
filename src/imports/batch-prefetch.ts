import type { BatchRange } from './batch-range';
import type { PreparedBatch } from './prepare-batch';

/** Larger batches (up to 50,000 rows) prepare themselves: two of them would not fit the heap ceiling (src/main/process-args.ts). */
export const PREFETCH_MAX_ROWS = 20_000;

/** A prepared batch nobody claimed within this time (the import was cancelled, or went to another worker) is dropped. */
const MAX_AGE_MS = 120_000;

interface Slot {
  key: string;
  at: number;
  batch: Promise<PreparedBatch>;
}

/**
 * One batch prepared ahead, per worker process: while a batch's transaction waits on PostgreSQL,
 * the worker reads and checks the next range, so the CPU work of one overlaps the writes of the other.
 * One slot bounds the memory to one batch; a miss (another worker, another range) only means
 * the batch prepares itself.
 */
export class BatchPrefetch {
  private slot: Slot | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  /** Starts preparing `range` unless it already is; errors surface only to whoever claims it. */
  start(importId: number, range: BatchRange, checkedThrough: number, prepare: () => Promise<PreparedBatch>): void {
    const key = keyOf(importId, range, checkedThrough);
    if (this.slot?.key === key) return;
    const batch = prepare();
    batch.catch(() => undefined);
    this.slot = { key, at: this.now(), batch };
  }

  /** The prepared batch of exactly this range and checked prefix, once; null when there is none or it is too old. */
  claim(importId: number, range: BatchRange, checkedThrough: number): Promise<PreparedBatch> | null {
    const slot = this.slot;
    if (!slot || slot.key !== keyOf(importId, range, checkedThrough)) return null;
    this.slot = null;
    return this.now() - slot.at <= MAX_AGE_MS ? slot.batch : null;
  }
}

// The prefix is part of the key: which failing records a batch may reject depends on it.
const keyOf = (importId: number, range: BatchRange, checkedThrough: number) =>
  `${importId}:${range.firstRow}:${range.lastRow}:${checkedThrough}`;
