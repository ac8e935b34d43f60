import type { Queryable } from '../queryable';

/** Read at every scrape: a few aggregate queries over `imports`, whose row count is the number of uploads. */

export async function importsByStatusAndSource(
  db: Queryable,
): Promise<{ status: string; source: string; n: number }[]> {
  const { rows } = await db.query<{ status: string; source: string; n: number }>(
    `SELECT status, source, count(*)::int AS n FROM imports GROUP BY status, source`,
  );
  return rows;
}

/** Records by outcome as the imports' counts say (a rolled-back import keeps the counts of what it did). */
export async function recordsByOutcome(db: Queryable): Promise<{ source: string; outcome: string; n: number }[]> {
  const { rows } = await db.query<{ source: string; outcome: string; n: number }>(
    `SELECT source, o.outcome, sum(o.n)::float8 AS n
     FROM imports, LATERAL (VALUES ('created', created), ('linked', linked), ('updated', updated), ('skipped', skipped), ('rejected', rejected)) AS o(outcome, n)
     GROUP BY source, o.outcome`,
  );
  return rows;
}

/** Sizes of the uploaded files that were staged (an upload refused before staging has no row). */
export async function uploadSizes(db: Queryable): Promise<{ source: string; bytes: number }[]> {
  const { rows } = await db.query<{ source: string; bytes: number }>(
    `SELECT source, file_bytes::float8 AS bytes FROM imports WHERE status <> 'staging'`,
  );
  return rows;
}
