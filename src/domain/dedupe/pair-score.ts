/**
 * Fellegi–Sunter style pair scores: each field that agrees adds a weight (a log2 likelihood ratio),
 * each that disagrees subtracts one, and a value many customers share weighs less than a rare one
 * (a shared office phone or a common first name says little about two records being one person).
 * The weights are rounded, stated values rather than fitted ones, so that a reviewer can follow a
 * group's reasons by hand; docs/dedupe.md lists them.
 */

/** Which exact keys a pair shares, each with how many customers of the scan carry it (its rarest shared value). */
export interface PairFeatures {
  /** Customers of the scan: the base of the name tokens' rarity. */
  population: number;
  sharedBy: { phone?: number; email?: number; nationalId?: number };
  /** Whether both customers have at least one value of the field (a disagreement needs both). */
  bothHave: { phone: boolean; email: boolean; nationalId: boolean };
  dateOfBirth: 'same' | 'different' | 'unknown';
  /** Trigram similarity (0..1) of the normalised, sorted name tokens. */
  nameSimilarity: number;
  /** Customers of the scan carrying the rarest name token both share; null: no token in common. */
  rarestSharedToken: number | null;
}

export type Field = 'phone' | 'email' | 'nationalId' | 'dateOfBirth' | 'name';

/** One field's contribution to a pair's score, without the values themselves (no personal data). */
export interface Reason {
  field: Field;
  agreement: 'exact' | 'similar' | 'different';
  weight: number;
  /** Customers sharing the value (exact keys, name tokens) or the similarity (names). */
  sharedBy?: number;
  similarity?: number;
}

export interface PairScore {
  score: number;
  reasons: Reason[];
}

/** A pair at or above this score may join a group, if it also agrees on something other than the name. */
export const MATCH_THRESHOLD = 8;

export const WEIGHTS = {
  /** An exact key shared by two customers only; each doubling of the customers sharing it takes one off. */
  exactKeyBase: 8,
  exactKeyMin: 2,
  nationalId: 10,
  keyDisagrees: -1,
  dateOfBirthSame: 2,
  dateOfBirthDifferent: -4,
  /** Names: the rarest shared token's weight is log2(population / carriers), clamped to these bounds. */
  nameTokenMin: 1,
  nameTokenMax: 6,
  nameSame: 1,
  namesDiffer: -6,
  namesUnlike: -2,
} as const;

/** Similarity bands: at or above `same` the names are one name written twice; below `differ`, two names. */
export const NAME_BANDS = { same: 0.8, similar: 0.6, differ: 0.3 } as const;

export function scorePair(f: PairFeatures): PairScore {
  const reasons: Reason[] = [...keyReasons(f), ...dateOfBirthReasons(f.dateOfBirth), nameReason(f)];
  const score = reasons.reduce((sum, r) => sum + r.weight, 0);
  return { score: round(score), reasons };
}

/**
 * Whether the pair may be grouped: a shared national id (one person's, whatever the names: a name
 * changed by marriage), or at or above the threshold, never on the name alone, and never against
 * the names (a couple sharing a phone and an e-mail is two people).
 */
export function isMatch({ score, reasons }: PairScore): boolean {
  const agrees = (field: Field) => reasons.some((r) => r.field === field && r.agreement !== 'different');
  if (agrees('nationalId')) return true;
  if (score < MATCH_THRESHOLD) return false;
  return agrees('name') && reasons.some((r) => r.field !== 'name' && r.agreement === 'exact');
}

function keyReasons(f: PairFeatures): Reason[] {
  const reasons: Reason[] = [];
  for (const field of ['phone', 'email', 'nationalId'] as const) {
    const sharedBy = f.sharedBy[field];
    if (sharedBy !== undefined) {
      const weight =
        field === 'nationalId'
          ? WEIGHTS.nationalId
          : Math.max(WEIGHTS.exactKeyMin, WEIGHTS.exactKeyBase - Math.log2(Math.max(2, sharedBy) / 2));
      reasons.push({ field, agreement: 'exact', weight: round(weight), sharedBy });
    } else if (f.bothHave[field]) {
      reasons.push({ field, agreement: 'different', weight: WEIGHTS.keyDisagrees });
    }
  }
  return reasons;
}

function dateOfBirthReasons(dob: PairFeatures['dateOfBirth']): Reason[] {
  if (dob === 'same') return [{ field: 'dateOfBirth', agreement: 'exact', weight: WEIGHTS.dateOfBirthSame }];
  if (dob === 'different')
    return [{ field: 'dateOfBirth', agreement: 'different', weight: WEIGHTS.dateOfBirthDifferent }];
  return [];
}

function nameReason(f: PairFeatures): Reason {
  const similarity = round(f.nameSimilarity);
  if (f.nameSimilarity < NAME_BANDS.differ)
    return { field: 'name', agreement: 'different', weight: WEIGHTS.namesDiffer, similarity };
  if (f.nameSimilarity < NAME_BANDS.similar)
    return { field: 'name', agreement: 'different', weight: WEIGHTS.namesUnlike, similarity };
  const rarity = tokenRarity(f.population, f.rarestSharedToken);
  const sharedBy = f.rarestSharedToken ?? undefined;
  if (f.nameSimilarity >= NAME_BANDS.same)
    return { field: 'name', agreement: 'exact', weight: round(rarity + WEIGHTS.nameSame), similarity, sharedBy };
  return { field: 'name', agreement: 'similar', weight: round(rarity / 2), similarity, sharedBy };
}

/** log2(population / carriers): a token half the customers carry is worth 1, a token of one in a million 6 (the cap). */
export function tokenRarity(population: number, carriers: number | null): number {
  if (carriers === null || carriers <= 0) return WEIGHTS.nameTokenMin;
  return Math.min(WEIGHTS.nameTokenMax, Math.max(WEIGHTS.nameTokenMin, Math.log2(population / carriers)));
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
