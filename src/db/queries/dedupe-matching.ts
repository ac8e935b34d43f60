import type { Queryable } from '../queryable';
import { ATTACHED_THAI_TITLES, NAME_TITLES } from '../../domain/dedupe/name-titles';
import type { PairFeatures } from '../../domain/dedupe/pair-score';
import { BIRTH_DATE_NAME } from './dedupe-blocks';

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

/**
 * NFC, lower case, dots and quotes dropped, titles stripped, tokens sorted: swapped first and last
 * names compare equal. `OFFSET 0` (here and around the whole name) keeps each expression to one
 * run: the planner would otherwise copy it into every place that reads its result.
 */
const NAME_TOKENS = `
  array(
    SELECT tok FROM (
      SELECT regexp_replace(raw, '^(${ATTACHED_THAI_TITLES.join('|')})(.{2,})$', '\\2') AS tok
      FROM unnest(regexp_split_to_array(
        regexp_replace(lower(normalize(c.first_name || ' ' || c.last_name, NFC)), '[.,''"()/_-]', '', 'g'), '\\s+')) AS raw
      OFFSET 0
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
     FROM customers c, LATERAL (SELECT ${NAME_TOKENS} AS tokens OFFSET 0) n
     WHERE c.id BETWEEN $2 AND $3 AND c.merged_into IS NULL
     ON CONFLICT DO NOTHING`,
    [scanId, range.fromId, range.toId, NAME_TITLES, scope.sources ?? null, scope.importId ?? null],
  );
  return rowCount ?? 0;
}

/**
 * Candidate pairs whose left customer is in the range: two customers sharing a key of a block no
 * larger than `maxBlock` (a shared office phone is no evidence, and would compare thousands with
 * thousands), at least one of them in scope, and only when the pair could still match
 * (`candidate-bounds.ts`): names alike enough, except on a shared national id.
 */
export async function findCandidatePairs(
  db: Queryable,
  scanId: number,
  range: IdRange,
  opts: { maxBlock: number; keyedNameSimilarity: number; birthDateNameSimilarity: number },
): Promise<number> {
  const { rowCount } = await db.query(
    `INSERT INTO dedupe_pairs (scan_id, left_id, right_id)
     SELECT DISTINCT $1::bigint, a.customer_id, b.customer_id
     FROM dedupe_keys a
     JOIN dedupe_blocks s ON s.scan_id = $1 AND s.kind = a.kind AND s.key = a.key AND s.customers <= $4
     JOIN dedupe_keys b ON b.scan_id = $1 AND b.kind = a.kind AND b.key = a.key AND b.customer_id > a.customer_id
     JOIN dedupe_people pa ON pa.scan_id = $1 AND pa.customer_id = a.customer_id
     JOIN dedupe_people pb ON pb.scan_id = $1 AND pb.customer_id = b.customer_id
     WHERE a.scan_id = $1 AND a.customer_id BETWEEN $2 AND $3
       AND (pa.in_scope OR pb.in_scope)
       AND (a.kind = 'nationalId'
            OR similarity(pa.name_key, pb.name_key) >= CASE WHEN a.kind = '${BIRTH_DATE_NAME}' THEN $6::float8 ELSE $5::float8 END)
     ON CONFLICT DO NOTHING`,
    [scanId, range.fromId, range.toId, opts.maxBlock, opts.keyedNameSimilarity, opts.birthDateNameSimilarity],
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

/** Which kinds of key a customer has: a pair disagrees on a kind both have and do not share. Asked of candidates only. */
const KEY_KINDS = (id: string) => `array_remove(ARRAY[
  CASE WHEN EXISTS (SELECT 1 FROM customer_phones x WHERE x.customer_id = ${id}) THEN 'phone' END,
  CASE WHEN EXISTS (SELECT 1 FROM customer_emails x WHERE x.customer_id = ${id}) THEN 'email' END,
  CASE WHEN EXISTS (SELECT 1 FROM customer_identities x WHERE x.customer_id = ${id}) THEN 'nationalId' END], NULL)`;

/** What the pairs of the range not yet scored agree on, with how many customers share each agreeing value. */
export async function readPairFeatures(db: Queryable, scanId: number, range: IdRange): Promise<CandidatePair[]> {
  const { rows } = await db.query<FeatureRow>(
    `SELECT p.left_id, p.right_id,
            similarity(pa.name_key, pb.name_key)::float8 AS name_similarity,
            CASE WHEN pa.date_of_birth IS NULL OR pb.date_of_birth IS NULL THEN 'unknown'
                 WHEN pa.date_of_birth = pb.date_of_birth THEN 'same' ELSE 'different' END AS dob,
            (SELECT min(t.customers) FROM dedupe_tokens t WHERE t.scan_id = $1 AND t.token = ANY(pa.tokens) AND t.token = ANY(pb.tokens)) AS rarest_token,
            (SELECT coalesce(jsonb_object_agg(kind, shared_by), '{}') FROM (
               SELECT ka.kind, min(bl.customers) AS shared_by
               FROM dedupe_keys ka
               JOIN dedupe_keys kb ON kb.scan_id = $1 AND kb.kind = ka.kind AND kb.key = ka.key AND kb.customer_id = p.right_id
               JOIN dedupe_blocks bl ON bl.scan_id = $1 AND bl.kind = ka.kind AND bl.key = ka.key
               WHERE ka.scan_id = $1 AND ka.customer_id = p.left_id AND ka.kind <> '${BIRTH_DATE_NAME}'
               GROUP BY ka.kind) s) AS shared_by,
            ${KEY_KINDS('p.left_id')} AS left_kinds, ${KEY_KINDS('p.right_id')} AS right_kinds
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
