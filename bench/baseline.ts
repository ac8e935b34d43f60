import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { NANA_COLUMNS } from '../test/support/generate-nana';
import { withClient } from '../src/db/with-client';

/** The physical floor: the raw bytes COPYed into a bare all-text table, no parsing in Node at all. */
export async function baselineCopy(databaseUrl: string, file: string): Promise<{ seconds: number; rows: number }> {
  return withClient(databaseUrl, async (client) => {
    await client.query(`DROP TABLE IF EXISTS bench_raw`);
    await client.query(`CREATE TABLE bench_raw (${NANA_COLUMNS.map((c) => `${c} text`).join(', ')})`);
    const started = performance.now();
    await pipeline(
      createReadStream(file),
      client.query(copyFrom(`COPY bench_raw FROM STDIN WITH (FORMAT csv, HEADER true)`)),
    );
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM bench_raw`);
    await client.query(`DROP TABLE bench_raw`);
    return { seconds, rows: rows[0].n };
  });
}
