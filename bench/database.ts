import pg from 'pg';
import { ensureDatabase, migrateDatabase } from '../src/db/migrate';
import { withClient } from '../src/db/with-client';

/** A fresh, migrated benchmark database. */
export async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  await withClient(adminUrl, (admin) =>
    admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
  );
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await ensureDatabase(url.toString());
  await migrateDatabase(url.toString());
  return url.toString();
}

/** The phone of the k-th pre-existing customer, in national form. */
export const existingPhone = (k: number) => `080${String(k).padStart(7, '0')}`;

/** Customers the CRM already holds, so the duplicate checks look up a populated index. */
export async function seedCustomers(databaseUrl: string, n: number): Promise<void> {
  return withClient(databaseUrl, async (client) => {
    await client.query(
      `INSERT INTO customers (first_name, last_name) SELECT 'Existing' || i, 'Customer' FROM generate_series(1, $1) i`,
      [n],
    );
    await client.query(
      `INSERT INTO customer_phones (customer_id, phone) SELECT id, '+6680' || lpad((id)::text, 7, '0') FROM customers`,
    );
    await client.query(
      `INSERT INTO customer_relations (customer_id, source, original_id) SELECT id, 'nana', 'OLD' || id FROM customers`,
    );
    await client.query('ANALYZE');
  });
}
