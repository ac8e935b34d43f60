import { inject } from 'vitest';
import { withClient } from '../../src/db/with-client';

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A new database copied from the run's migrated template; returns its connection URL. */
export async function createTestDatabase(name: string): Promise<string> {
  await withClient(ADMIN_URL, (admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDb')}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropTestDatabase(name: string): Promise<void> {
  await withClient(ADMIN_URL, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name}`));
}
