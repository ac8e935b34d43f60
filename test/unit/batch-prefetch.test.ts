import { describe, expect, it } from 'vitest';
import { BatchPrefetch } from '../../src/imports/batch-prefetch';
import type { PreparedBatch } from '../../src/imports/prepare-batch';

const batch = (staged: number): PreparedBatch => ({ staged, valid: [], invalid: [] });

describe('BatchPrefetch', () => {
  it('hands a prepared batch to the batch of exactly that import, range and checked prefix, once', async () => {
    const prefetch = new BatchPrefetch();
    prefetch.start(7, { firstRow: 11, lastRow: 20 }, 100, async () => batch(10));
    expect(prefetch.claim(8, { firstRow: 11, lastRow: 20 }, 100)).toBeNull();
    expect(prefetch.claim(7, { firstRow: 11, lastRow: 25 }, 100)).toBeNull();
    // Prepared for another checked prefix, it may have let a failing record through as checked, or the reverse.
    expect(prefetch.claim(7, { firstRow: 11, lastRow: 20 }, 20)).toBeNull();
    await expect(prefetch.claim(7, { firstRow: 11, lastRow: 20 }, 100)).resolves.toEqual(batch(10));
    expect(prefetch.claim(7, { firstRow: 11, lastRow: 20 }, 100)).toBeNull();
  });

  it('prepares a range once however often it is started, and keeps only the latest range', async () => {
    const prefetch = new BatchPrefetch();
    let calls = 0;
    const prepare = async () => batch(++calls);
    prefetch.start(1, { firstRow: 1, lastRow: 5 }, 100, prepare);
    prefetch.start(1, { firstRow: 1, lastRow: 5 }, 100, prepare);
    expect(calls).toBe(1);
    prefetch.start(1, { firstRow: 6, lastRow: 10 }, 100, prepare);
    expect(prefetch.claim(1, { firstRow: 1, lastRow: 5 }, 100)).toBeNull();
    await expect(prefetch.claim(1, { firstRow: 6, lastRow: 10 }, 100)).resolves.toEqual(batch(2));
  });

  it('drops a batch nobody claimed for two minutes', () => {
    let now = 0;
    const prefetch = new BatchPrefetch(() => now);
    prefetch.start(1, { firstRow: 1, lastRow: 5 }, 100, async () => batch(5));
    now = 120_001;
    expect(prefetch.claim(1, { firstRow: 1, lastRow: 5 }, 100)).toBeNull();
  });

  it('keeps a failed preparation to itself until claimed: no unhandled rejection', async () => {
    const prefetch = new BatchPrefetch();
    prefetch.start(1, { firstRow: 1, lastRow: 5 }, 100, async () => {
      throw new Error('database gone');
    });
    await new Promise((r) => setTimeout(r, 10));
    await expect(prefetch.claim(1, { firstRow: 1, lastRow: 5 }, 100)).rejects.toThrow('database gone');
  });
});
