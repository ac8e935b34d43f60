import { describe, expect, it } from 'vitest';
import type { StagedRow } from '../../src/db/queries/staged-rows';
import { StagingChunks } from '../../src/imports/staging-chunks';

const row = (n: number): StagedRow => ({ rowNumber: n, lineNumber: n + 1, record: {}, problems: null });

/** Batches of the given sizes, numbered on from 1; `failAt` throws when that batch is pulled. */
function batches(sizes: number[], failAt?: number) {
  let next = 1;
  let closed = false;
  async function* gen() {
    try {
      for (const [i, size] of sizes.entries()) {
        if (i === failAt) throw new Error('bad file');
        yield Array.from({ length: size }, () => row(next++));
      }
    } finally {
      closed = true;
    }
  }
  return { iterator: gen(), closed: () => closed };
}

async function rowsOf(chunk: AsyncIterable<StagedRow[]>): Promise<number[]> {
  const rows: number[] = [];
  for await (const b of chunk) rows.push(...b.map((r) => r.rowNumber));
  return rows;
}

describe('StagingChunks', () => {
  it('cuts batches into chunks of the size given, splitting a batch across two, in file order', async () => {
    const source = batches([3, 4, 2]);
    const chunks = new StagingChunks(source.iterator, 4);
    const seen: number[][] = [];
    do seen.push(await rowsOf(chunks.next()));
    while (!(await chunks.atEnd()));
    expect(seen).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9]]);
    expect(source.closed(), 'the source ran to its end').toBe(true);
  });

  it('knows a file that ends exactly at a chunk boundary has ended', async () => {
    const chunks = new StagingChunks(batches([2, 2]).iterator, 4);
    expect(await rowsOf(chunks.next())).toEqual([1, 2, 3, 4]);
    expect(await chunks.atEnd()).toBe(true);
    expect(await rowsOf(chunks.next())).toEqual([]);
  });

  it('leaves the source open between chunks, and surfaces its error where the bad batch is read', async () => {
    const source = batches([2, 2, 2], 2);
    const chunks = new StagingChunks(source.iterator, 3);
    expect(await rowsOf(chunks.next())).toEqual([1, 2, 3]);
    expect(source.closed(), 'a chunk does not close the file').toBe(false);
    expect(await chunks.atEnd()).toBe(false);
    await expect(rowsOf(chunks.next())).rejects.toThrow('bad file');
  });
});
