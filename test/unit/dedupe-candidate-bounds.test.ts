import { describe, expect, it } from 'vitest';
import { birthDateBlockBounds, KEYED_BLOCK_MIN_NAME_SIMILARITY } from '../../src/domain/dedupe/candidate-bounds';
import { isMatch, scorePair, type PairFeatures } from '../../src/domain/dedupe/pair-score';

const SIMILARITIES = Array.from({ length: 101 }, (_, i) => i / 100);
const noKeys = { phone: false, email: false, nationalId: false };

describe('candidate bounds', () => {
  it('a pair that shares only a birth date matches only inside the bounds', () => {
    for (const population of [25, 1000, 282_475, 1_200_000]) {
      const { minNameSimilarity, maxTokenCarriers } = birthDateBlockBounds(population);
      for (const carriers of [
        null,
        ...Array.from({ length: 200 }, (_, i) => Math.ceil(((i + 1) * population) / 200)),
      ]) {
        for (const nameSimilarity of SIMILARITIES) {
          const features: PairFeatures = {
            population,
            sharedBy: {},
            bothHave: noKeys,
            dateOfBirth: 'same',
            nameSimilarity,
            rarestSharedToken: carriers,
          };
          const inside = carriers !== null && carriers <= maxTokenCarriers && nameSimilarity >= minNameSimilarity;
          if (isMatch(scorePair(features)))
            expect({ population, carriers, nameSimilarity, inside }).toMatchObject({ inside: true });
        }
      }
    }
  });

  it('the bounds are tight: a token at the limit and one spelling apart matches', () => {
    const population = 1_200_000;
    const { minNameSimilarity, maxTokenCarriers } = birthDateBlockBounds(population);
    const at = (rarestSharedToken: number) =>
      isMatch(
        scorePair({
          population,
          sharedBy: {},
          bothHave: noKeys,
          dateOfBirth: 'same',
          nameSimilarity: minNameSimilarity,
          rarestSharedToken,
        }),
      );
    expect(at(maxTokenCarriers)).toBe(true);
    expect(at(maxTokenCarriers + 1)).toBe(false);
    expect(maxTokenCarriers).toBeLessThan(population / 24);
  });

  it('a pair sharing a phone or an e-mail matches only with names at least this alike', () => {
    for (const nameSimilarity of SIMILARITIES) {
      const s = scorePair({
        population: 1000,
        sharedBy: { phone: 2, email: 2 },
        bothHave: { phone: true, email: true, nationalId: false },
        dateOfBirth: 'same',
        nameSimilarity,
        rarestSharedToken: 1,
      });
      if (isMatch(s)) expect(nameSimilarity).toBeGreaterThanOrEqual(KEYED_BLOCK_MIN_NAME_SIMILARITY);
    }
  });
});
