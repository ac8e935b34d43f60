import { withClient } from '../src/db/with-client';

export interface Footprint {
  walLsn: string;
  databaseBytes: number;
}

/**
 * Where the server's write-ahead log stands and how large the database is. Taken before and after an
 * import, the differences are what a DBA sizes before a migration: the WAL a replica streams and an
 * archive keeps, and the disk the database grows by. The benchmark's server does nothing else
 * meanwhile, so both are the import's.
 */
export async function footprint(databaseUrl: string): Promise<Footprint> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ lsn: string; bytes: string }>(
      'SELECT pg_current_wal_lsn()::text AS lsn, pg_database_size(current_database())::text AS bytes',
    );
    return { walLsn: rows[0].lsn, databaseBytes: Number(rows[0].bytes) };
  });
}

/** Megabytes of WAL written and of database grown since `before`. */
export async function footprintSince(
  databaseUrl: string,
  before: Footprint,
): Promise<{ walMb: number; databaseMb: number }> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ wal: string; bytes: string }>(
      'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint::text AS wal, pg_database_size(current_database())::text AS bytes',
      [before.walLsn],
    );
    const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
    return { walMb: mb(Number(rows[0].wal)), databaseMb: mb(Number(rows[0].bytes) - before.databaseBytes) };
  });
}
