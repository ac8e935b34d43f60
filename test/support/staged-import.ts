import type pg from 'pg';
import { inTransaction } from '../../src/db/queryable';
import { insertImport, markQueued } from '../../src/db/queries/imports';
import { copyStagedRows, type StagedRow } from '../../src/db/queries/staged-rows';

/** A queued Nana import whose staged records are `records` (row n is records[n - 1]), committed as an upload commits them. */
export async function stageQueuedNanaImport(
  pool: pg.Pool,
  records: Record<string, string>[],
): Promise<{ id: number; rows: StagedRow[] }> {
  return inTransaction(pool, async (client) => {
    const { id } = await insertImport(client, {
      source: 'nana',
      fileName: 'f.csv',
      fileSha256: 'x',
      fileBytes: 1,
      encoding: 'utf-8',
      header: [],
      options: {},
      createdBy: 'test',
    });
    const rows: StagedRow[] = records.map((record, i) => ({
      rowNumber: i + 1,
      lineNumber: i + 2,
      record,
      problems: null,
    }));
    await copyStagedRows(
      client,
      id,
      (async function* () {
        yield rows;
      })(),
    );
    await markQueued(client, id, rows.length, `import-${id}`);
    return { id, rows };
  });
}
