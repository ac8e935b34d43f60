import { MATCH_THRESHOLD, NAME_BANDS, WEIGHTS } from './pair-score';

/*
 * What a candidate pair needs before it is worth scoring, derived from the scoring itself so that
 * pruning a pair early never loses a match: `isMatch` asks agreeing names of every pair that shares
 * no national id, and a pair whose only agreement besides its names is the birth date must reach
 * the threshold on those two alone. A unit test checks both against `scorePair` and `isMatch`.
 */

/** Names at least this alike, or no match without a shared national id: blocks on phones and e-mails. */
export const KEYED_BLOCK_MIN_NAME_SIMILARITY = NAME_BANDS.similar;

/** Weights are rounded to hundredths before they are added: a rarity this much short still rounds up. */
const ROUNDING = 0.005;

export interface BirthDateBlockBounds {
  /** The names' similarity band the pair must reach. */
  minNameSimilarity: number;
  /** A name token both carry must be carried by at most this many customers; 0: no such pair can match. */
  maxTokenCarriers: number;
}

/**
 * A pair sharing a birth date and nothing else scores at best the date's weight plus the name's
 * best, with nothing against it. Only names one spelling apart (the `same` band) weigh enough, and
 * only through a rare shared token (a pair with no token in common weighs the least): a common
 * token such as "Somchai" can never make the pair a match. So the birth date is blocked together
 * with each rare enough name token instead of alone.
 */
export function birthDateBlockBounds(population: number): BirthDateBlockBounds {
  const rarityNeeded = MATCH_THRESHOLD - WEIGHTS.dateOfBirthSame - WEIGHTS.nameSame - ROUNDING;
  const maxTokenCarriers = rarityNeeded > WEIGHTS.nameTokenMax ? 0 : Math.floor(population / 2 ** rarityNeeded);
  return { minNameSimilarity: NAME_BANDS.same, maxTokenCarriers };
}
