import type { Queryable } from '../queryable';

/*
 * The whole-scan half of a duplicate scan, run once every range is collected: how common each name
 * token is, the birth-date blocks that only a rare token makes worth comparing, and how many
 * customers share each key. Each statement replaces what a retried step wrote before.
 */

/** The kind of key that blocks a birth date together with one rare name token. */
export const BIRTH_DATE_NAME = 'birthDateName';

/**
 * Room for the whole-scan sorts and hashes of this transaction (a million customers' keys): spilled
 * to disk at the default they take several times as long.
 */
export async function allowScanSortMemory(db: Queryable): Promise<void> {
  await db.query(`SET LOCAL work_mem = '128MB'`);
}

/** How many customers of the scan carry each name token: a hash aggregate, where `count(DISTINCT …)` would sort them all. */
export async function countTokens(db: Queryable, scanId: number): Promise<number> {
  await db.query(`DELETE FROM dedupe_tokens WHERE scan_id = $1`, [scanId]);
  const { rowCount } = await db.query(
    `INSERT INTO dedupe_tokens (scan_id, token, customers)
     SELECT $1, tok, count(*) FROM dedupe_people, LATERAL (SELECT DISTINCT unnest(tokens)) AS t(tok) WHERE scan_id = $1 GROUP BY tok`,
    [scanId],
  );
  return rowCount ?? 0;
}

/*
 * Each kind of key: the values two or more customers share, found by one hash aggregate over the
 * whole table (no sort of a million keys), then their holders among the scan's customers. A value
 * the scan sees only one holder of (the other one merged) forms no pair and costs nothing more.
 */
const SHARED_KEYS = {
  phone: { rows: `customer_phones x`, key: `x.phone` },
  email: { rows: `customer_emails x`, key: `lower(x.email)` },
  nationalId: { rows: `customer_identities x`, key: `x.kind || ':' || x.id_hash` },
  [BIRTH_DATE_NAME]: {
    rows: `dedupe_people x CROSS JOIN unnest(x.tokens) AS tok
           JOIN dedupe_tokens t ON t.scan_id = $1 AND t.token = tok AND t.customers BETWEEN 2 AND $2`,
    key: `x.date_of_birth::text || ' ' || tok`,
    where: `x.scan_id = $1 AND x.date_of_birth IS NOT NULL`,
  },
} as const;

/**
 * The scan's blocking keys that two or more of its customers share, once every customer is
 * collected (most keys belong to one customer and can form no pair): E.164 phones, e-mails (lower
 * case), national id digests, and a birth date together with each name token that at most
 * `maxTokenCarriers` customers of the scan carry.
 */
export async function collectSharedKeys(db: Queryable, scanId: number, maxTokenCarriers: number): Promise<number> {
  await db.query(`DELETE FROM dedupe_keys WHERE scan_id = $1`, [scanId]);
  let keys = 0;
  for (const [kind, { rows, key, ...rest }] of Object.entries(SHARED_KEYS)) {
    const byBirthDate = kind === BIRTH_DATE_NAME;
    if (byBirthDate && maxTokenCarriers < 2) continue;
    const where = 'where' in rest ? rest.where : 'true';
    const { rowCount } = await db.query(
      `WITH shared AS (
         SELECT ${key} AS key FROM ${rows} WHERE ${where} GROUP BY 1 HAVING min(x.customer_id) < max(x.customer_id)
       )
       INSERT INTO dedupe_keys (scan_id, kind, key, customer_id)
       SELECT $1, '${kind}', s.key, x.customer_id
       FROM ${rows} JOIN shared s ON s.key = ${key}
       JOIN dedupe_people d ON d.scan_id = $1 AND d.customer_id = x.customer_id
       WHERE ${where}
       ON CONFLICT DO NOTHING`,
      byBirthDate ? [scanId, maxTokenCarriers] : [scanId],
    );
    keys += rowCount ?? 0;
  }
  return keys;
}

/** How many customers share each key: a block's size, read by every range's matching. */
export async function countBlocks(db: Queryable, scanId: number): Promise<number> {
  await db.query(`DELETE FROM dedupe_blocks WHERE scan_id = $1`, [scanId]);
  const { rowCount } = await db.query(
    `INSERT INTO dedupe_blocks (scan_id, kind, key, customers)
     SELECT $1, kind, key, count(*) FROM dedupe_keys WHERE scan_id = $1 GROUP BY kind, key`,
    [scanId],
  );
  return rowCount ?? 0;
}

/**
 * Fresh statistics once every range is collected: without them the planner takes the just-filled
 * working tables for empty, and the matching's block lookups turn into scans of the whole table.
 */
export async function analyzeWorkingTables(db: Queryable): Promise<void> {
  await db.query(`ANALYZE dedupe_people, dedupe_keys, dedupe_tokens, dedupe_blocks`);
}

export async function countPeople(db: Queryable, scanId: number): Promise<number> {
  const {
    rows: [r],
  } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM dedupe_people WHERE scan_id = $1`, [scanId]);
  return Number(r!.n);
}

/** The scan's working tables go once its groups are written; pairs and groups stay for review. */
export async function dropWorkingRows(db: Queryable, scanId: number): Promise<void> {
  for (const table of ['dedupe_keys', 'dedupe_people', 'dedupe_tokens', 'dedupe_blocks'])
    await db.query(`DELETE FROM ${table} WHERE scan_id = $1`, [scanId]);
}
