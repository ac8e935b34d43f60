import { withClient } from '../src/db/with-client';

/**
 * The PostgreSQL settings that decide how fast rows are written. Seconds from a server with 128 MB of
 * shared buffers and 1 GB of WAL between checkpoints are not comparable with a tuned server's, so
 * every result carries the settings it was measured under.
 */
export const WRITE_SETTINGS = [
  'server_version',
  'shared_buffers',
  'wal_buffers',
  'max_wal_size',
  'checkpoint_timeout',
  'wal_compression',
  'full_page_writes',
  'synchronous_commit',
  'autovacuum',
] as const;

export type ServerSettings = Record<(typeof WRITE_SETTINGS)[number], string>;

export async function serverSettings(databaseUrl: string): Promise<ServerSettings> {
  return withClient(databaseUrl, async (client) => {
    const { rows } = await client.query<{ name: string; value: string }>(
      `SELECT name, current_setting(name) AS value FROM pg_settings WHERE name = ANY($1)`,
      [WRITE_SETTINGS],
    );
    return Object.fromEntries(
      WRITE_SETTINGS.map((name) => [name, rows.find((r) => r.name === name)?.value ?? 'unknown']),
    ) as ServerSettings;
  });
}

/** One line for the printed table: the settings that differ most between a default and a tuned server. */
export function describeSettings(s: ServerSettings): string {
  return `PostgreSQL ${s.server_version.split(' ')[0]}: shared_buffers ${s.shared_buffers}, wal_buffers ${s.wal_buffers}, max_wal_size ${s.max_wal_size}, checkpoint_timeout ${s.checkpoint_timeout}, wal_compression ${s.wal_compression}, synchronous_commit ${s.synchronous_commit}, autovacuum ${s.autovacuum}`;
}
