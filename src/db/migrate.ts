import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { projectPath } from '../project-root';
import { withClient } from './with-client';

const migrationsFolder = projectPath('drizzle');

/** Creates the database named in the url when it does not exist (needs a role that may create databases). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  await withClient(url.toString(), async (admin) => {
    try {
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    } catch (err) {
      // Two processes racing to create it: the loser sees duplicate_database.
      if ((err as { code?: string }).code !== '42P04') throw err;
    }
  });
}

export async function migrateDatabase(databaseUrl: string): Promise<void> {
  await withClient(databaseUrl, (client) => migrate(drizzle(client), { migrationsFolder }));
}
