import { describe, expect, it } from 'vitest';
import type { StagedCopyData } from '../../src/db/staged-row-text';
import { StagingChunks } from '../../src/imports/staging-chunks';

/** Batches of the given sizes, one COPY line per row numbered on from 1; `failAt` throws when that batch is pulled. */
function batches(sizes: number[], failAt?: number) {
  let next = 1;
  let closed = false;
  async function* gen() {
    try {
      for (const [i, size] of sizes.entries()) {
        if (i === failAt) throw new Error('bad file');
        const lines = Array.from({ length: size }, () => `7\t${next++}\tsay\\\\n\n`);
        yield { data: Buffer.from(lines.join('')), rows: size };
      }
    } finally {
      closed = true;
    }
  }
  return { iterator: gen(), closed: () => closed };
}

/** The row numbers of a chunk's lines, checking that each batch's count matches its lines. */
async function rowsOf(chunk: AsyncIterable<StagedCopyData>): Promise<number[]> {
  const rows: number[] = [];
  for await (const b of chunk) {
    const lines = b.data.toString().split('\n');
    expect(lines.pop(), 'a batch ends at a line end').toBe('');
    expect(lines).toHaveLength(b.rows);
    rows.push(...lines.map((l) => Number(l.split('\t')[1])));
  }
  return rows;
}

describe('StagingChunks', () => {
  it('cuts batches into chunks of the size given, splitting a batch across two at a line end, in file order', async () => {
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
