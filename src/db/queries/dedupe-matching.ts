import type { Queryable } from '../queryable';
import { ATTACHED_THAI_TITLES, NAME_TITLES } from '../../domain/dedupe/name-titles';
import type { PairFeatures } from '../../domain/dedupe/pair-score';

/*
 * The set-based half of a duplicate scan: each statement covers one range of customer ids, so
 * that an activity stays short and a retried one repeats only its range (every insert here is
 * idempotent). The working tables are the scan's own and are removed when it ends.
 */

export interface IdRange {
  fromId: number;
  toId: number;
}

export interface ScanScope {
  sources?: string[];
  importId?: number;
}

/** NFC, lower case, dots and quotes dropped, titles stripped, tokens sorted: swapped first and last names compare equal. */
const NAME_TOKENS = `
  array(
    SELECT tok FROM (
      SELECT regexp_replace(raw, '^(${ATTACHED_THAI_TITLES.join('|')})(.{2,})$', '\\2') AS tok
      FROM unnest(regexp_split_to_array(
        regexp_replace(lower(normalize(c.first_name || ' ' || c.last_name, NFC)), '[.,''"()/_-]', '', 'g'), '\\s+')) AS raw
    ) t
    WHERE tok <> '' AND NOT tok = ANY($4::text[])
    ORDER BY tok)`;

/** Copies the range's active customers with their normalised names and whether they are in the scan's scope. */
export async function collectPeople(db: Queryable, scanId: number, range: IdRange, scope: ScanScope): Promise<number> {
  const { rowCount } = await db.query(
    `INSERT INTO dedupe_people (scan_id, customer_id, name_key, tokens, date_of_birth, in_scope)
     SELECT $1, c.id, array_to_string(n.tokens, ' '), n.tokens, c.date_of_birth,
            ($5::text[] IS NULL OR EXISTS (SELECT 1 FROM customer_relations r WHERE r.customer_id = c.id AND r.active AND r.source = ANY($5::text[])))
        AND ($6::bigint IS NULL OR c.import_id = $6 OR EXISTS (SELECT 1 FROM customer_relations r WHERE r.customer_id = c.id AND r.import_id = $6))
     FROM customers c, LATERAL (SELECT ${NAME_TOKENS} AS tokens) n
     WHERE c.id BETWEEN $2 AND $3 AND c.merged_into IS NULL
     ON CONFLICT DO NOTHING`,
    [scanId, range.fromId, range.toId, NAME_TITLES, scope.sources ?? null, scope.importId ?? null],
  );
  return rowCount ?? 0;
}

/** The range's blocking keys: E.164 phones, e-mails, national id digests, birth dates. */
export async function collectKeys(db: Queryable, scanId: number, range: IdRange): Promise<void> {
  await db.query(
    `INSERT INTO dedupe_keys (scan_id, kind, key, customer_id)
     SELECT $1, 'phone', x.phone, x.customer_id FROM customer_phones x JOIN dedupe_people d ON d.scan_id = $1 AND d.customer_id = x.customer_id WHERE x.customer_id BETWEEN $2 AND $3
     UNION SELECT $1, 'email', lower(x.email), x.customer_id FROM customer_emails x JOIN dedupe_people d ON d.scan_id = $1 AND d.customer_id = x.customer_id WHERE x.customer_id BETWEEN $2 AND $3
     UNION SELECT $1, 'nationalId', x.kind || ':' || x.id_hash, x.customer_id FROM customer_identities x JOIN dedupe_people d ON d.scan_id = $1 AND d.customer_id = x.customer_id WHERE x.customer_id BETWEEN $2 AND $3
     UNION SELECT $1, 'dateOfBirth', d.date_of_birth::text, d.customer_id FROM dedupe_people d WHERE d.scan_id = $1 AND d.customer_id BETWEEN $2 AND $3 AND d.date_of_birth IS NOT NULL
     ON CONFLICT DO NOTHING`,
    [scanId, range.fromId, range.toId],
  );
}

/** How many customers of the scan carry each name token; once, after every range is collected. */
export async function countTokens(db: Queryable, scanId: number): Promise<number> {
  await db.query(`DELETE FROM dedupe_tokens WHERE scan_id = $1`, [scanId]);
  const { rowCount } = await db.query(
    `INSERT INTO dedupe_tokens (scan_id, token, customers)
     SELECT $1, tok, count(DISTINCT customer_id) FROM dedupe_people, unnest(tokens) AS tok WHERE scan_id = $1 GROUP BY tok`,
    [scanId],
  );
  return rowCount ?? 0;
}

/**
 * Candidate pairs whose left customer is in the range: two customers sharing a key of a block no
 * larger than `maxBlock` (a shared office phone is no evidence, and would compare thousands with
 * thousands), at least one of them in scope. A shared birth date alone is a wide block: there the
 * names must already be alike by trigrams before the pair is kept.
 */
export async function findCandidatePairs(
  db: Queryable,
  scanId: number,
  range: IdRange,
  opts: { maxBlock: number; minNameSimilarity: number },
): Promise<number> {
  const { rowCount } = await db.query(
    `WITH blocks AS (
       SELECT DISTINCT kind, key FROM dedupe_keys WHERE scan_id = $1 AND customer_id BETWEEN $2 AND $3
     ), small AS (
       SELECT b.kind, b.key FROM blocks b
       WHERE (SELECT count(*) FROM (SELECT 1 FROM dedupe_keys k WHERE k.scan_id = $1 AND k.kind = b.kind AND k.key = b.key LIMIT $4 + 1) x) BETWEEN 2 AND $4
     )
     INSERT INTO dedupe_pairs (scan_id, left_id, right_id)
     SELECT DISTINCT $1::bigint, a.customer_id, b.customer_id
     FROM small s
     JOIN dedupe_keys a ON a.scan_id = $1 AND a.kind = s.kind AND a.key = s.key AND a.customer_id BETWEEN $2 AND $3
     JOIN dedupe_keys b ON b.scan_id = $1 AND b.kind = s.kind AND b.key = s.key AND b.customer_id > a.customer_id
     JOIN dedupe_people pa ON pa.scan_id = $1 AND pa.customer_id = a.customer_id
     JOIN dedupe_people pb ON pb.scan_id = $1 AND pb.customer_id = b.customer_id
     WHERE (pa.in_scope OR pb.in_scope)
       AND (s.kind <> 'dateOfBirth' OR similarity(pa.name_key, pb.name_key) >= $5)
     ON CONFLICT DO NOTHING`,
    [scanId, range.fromId, range.toId, opts.maxBlock, opts.minNameSimilarity],
  );
  return rowCount ?? 0;
}

export interface CandidatePair {
  leftId: number;
  rightId: number;
  features: Omit<PairFeatures, 'population'>;
}

interface FeatureRow {
  left_id: string;
  right_id: string;
  name_similarity: number;
  dob: PairFeatures['dateOfBirth'];
  rarest_token: number | null;
  shared_by: Record<string, string>;
  left_kinds: string[];
  right_kinds: string[];
}

/** What the pairs of the range not yet scored agree on, with how many customers share each agreeing value. */
export async function readPairFeatures(db: Queryable, scanId: number, range: IdRange): Promise<CandidatePair[]> {
  const { rows } = await db.query<FeatureRow>(
    `SELECT p.left_id, p.right_id,
            similarity(pa.name_key, pb.name_key)::float8 AS name_similarity,
            CASE WHEN pa.date_of_birth IS NULL OR pb.date_of_birth IS NULL THEN 'unknown'
                 WHEN pa.date_of_birth = pb.date_of_birth THEN 'same' ELSE 'different' END AS dob,
            (SELECT min(t.customers) FROM dedupe_tokens t WHERE t.scan_id = $1 AND t.token = ANY(pa.tokens) AND t.token = ANY(pb.tokens)) AS rarest_token,
            (SELECT coalesce(jsonb_object_agg(kind, shared_by), '{}') FROM (
               SELECT ka.kind, min((SELECT count(*) FROM dedupe_keys k WHERE k.scan_id = $1 AND k.kind = ka.kind AND k.key = ka.key)) AS shared_by
               FROM dedupe_keys ka JOIN dedupe_keys kb ON kb.scan_id = $1 AND kb.kind = ka.kind AND kb.key = ka.key AND kb.customer_id = p.right_id
               WHERE ka.scan_id = $1 AND ka.customer_id = p.left_id AND ka.kind <> 'dateOfBirth'
               GROUP BY ka.kind) s) AS shared_by,
            array(SELECT DISTINCT kind FROM dedupe_keys k WHERE k.scan_id = $1 AND k.customer_id = p.left_id) AS left_kinds,
            array(SELECT DISTINCT kind FROM dedupe_keys k WHERE k.scan_id = $1 AND k.customer_id = p.right_id) AS right_kinds
     FROM dedupe_pairs p
     JOIN dedupe_people pa ON pa.scan_id = $1 AND pa.customer_id = p.left_id
     JOIN dedupe_people pb ON pb.scan_id = $1 AND pb.customer_id = p.right_id
     WHERE p.scan_id = $1 AND p.left_id BETWEEN $2 AND $3 AND p.score IS NULL`,
    [scanId, range.fromId, range.toId],
  );
  return rows.map((r) => {
    const both = (kind: string) => r.left_kinds.includes(kind) && r.right_kinds.includes(kind);
    const shared = (kind: string) => (r.shared_by[kind] === undefined ? undefined : Number(r.shared_by[kind]));
    return {
      leftId: Number(r.left_id),
      rightId: Number(r.right_id),
      features: {
        sharedBy: { phone: shared('phone'), email: shared('email'), nationalId: shared('nationalId') },
        bothHave: { phone: both('phone'), email: both('email'), nationalId: both('nationalId') },
        dateOfBirth: r.dob,
        nameSimilarity: r.name_similarity,
        rarestSharedToken: r.rarest_token === null ? null : Number(r.rarest_token),
      },
    };
  });
}

/** Keeps the matching pairs with their score and reasons; the others are deleted (only their count is kept). */
export async function saveScoredPairs(
  db: Queryable,
  scanId: number,
  range: IdRange,
  matches: { leftId: number; rightId: number; score: number; reasons: unknown }[],
): Promise<void> {
  await db.query(
    `UPDATE dedupe_pairs p SET score = u.score, reasons = u.reasons
     FROM jsonb_to_recordset($2::jsonb) AS u("leftId" bigint, "rightId" bigint, score float8, reasons jsonb)
     WHERE p.scan_id = $1 AND p.left_id = u."leftId" AND p.right_id = u."rightId"`,
    [scanId, JSON.stringify(matches)],
  );
  await db.query(`DELETE FROM dedupe_pairs WHERE scan_id = $1 AND left_id BETWEEN $2 AND $3 AND score IS NULL`, [
    scanId,
    range.fromId,
    range.toId,
  ]);
}

/**
 * Fresh statistics once every range is collected: without them the planner takes the just-filled
 * working tables for empty, and the matching's block lookups turn into scans of the whole table.
 */
export async function analyzeWorkingTables(db: Queryable): Promise<void> {
  await db.query(`ANALYZE dedupe_people, dedupe_keys, dedupe_tokens`);
}

export async function countPeople(db: Queryable, scanId: number): Promise<number> {
  const {
    rows: [r],
  } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM dedupe_people WHERE scan_id = $1`, [scanId]);
  return Number(r!.n);
}

/** The scan's working tables go once its groups are written; pairs and groups stay for review. */
export async function dropWorkingRows(db: Queryable, scanId: number): Promise<void> {
  for (const table of ['dedupe_keys', 'dedupe_people', 'dedupe_tokens'])
    await db.query(`DELETE FROM ${table} WHERE scan_id = $1`, [scanId]);
}
