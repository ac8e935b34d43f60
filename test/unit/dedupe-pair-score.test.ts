import { describe, expect, it } from 'vitest';
import { connectedGroups, type ScoredPair } from '../../src/domain/dedupe/connected-groups';
import { isMatch, scorePair, tokenRarity, type PairFeatures } from '../../src/domain/dedupe/pair-score';

const base: PairFeatures = {
  population: 1000,
  sharedBy: {},
  bothHave: { phone: false, email: false, nationalId: false },
  dateOfBirth: 'unknown',
  nameSimilarity: 1,
  rarestSharedToken: 2,
};

describe('pair scores', () => {
  it('matches one name and one phone shared by two customers', () => {
    const s = scorePair({
      ...base,
      sharedBy: { phone: 2 },
      bothHave: { phone: true, email: false, nationalId: false },
    });
    expect(isMatch(s)).toBe(true);
    expect(s.reasons.find((r) => r.field === 'phone')).toMatchObject({ agreement: 'exact', weight: 8, sharedBy: 2 });
  });

  it('never groups on a name alone, however rare', () => {
    expect(isMatch(scorePair({ ...base, rarestSharedToken: 1, population: 1e9 }))).toBe(false);
  });

  it('keeps a couple sharing a phone and an e-mail apart when their names differ', () => {
    const s = scorePair({
      ...base,
      sharedBy: { phone: 2, email: 2 },
      bothHave: { phone: true, email: true, nationalId: false },
      nameSimilarity: 0.4,
    });
    expect(s.score).toBeGreaterThanOrEqual(8);
    expect(isMatch(s)).toBe(false);
  });

  it('weighs a phone many customers share less than a phone two share', () => {
    const rare = scorePair({ ...base, sharedBy: { phone: 2 } }).score;
    const common = scorePair({ ...base, sharedBy: { phone: 64 } }).score;
    expect(rare - common).toBe(5);
  });

  it('weighs a common name token less than a rare one', () => {
    expect(tokenRarity(1000, 500)).toBe(1);
    expect(tokenRarity(1000, 2)).toBe(6);
    expect(tokenRarity(1000, 100)).toBeCloseTo(Math.log2(10));
  });

  it('does not match a common name and a birth date when the phones differ', () => {
    const s = scorePair({
      ...base,
      dateOfBirth: 'same',
      rarestSharedToken: 100,
      bothHave: { phone: true, email: true, nationalId: false },
    });
    expect(isMatch(s)).toBe(false);
  });

  it('matches on the national id even when the names differ', () => {
    const s = scorePair({ ...base, sharedBy: { nationalId: 2 }, nameSimilarity: 0.2 });
    expect(isMatch(s)).toBe(true);
  });

  it('reasons carry fields and weights, never values', () => {
    const s = scorePair({ ...base, sharedBy: { email: 2 }, dateOfBirth: 'different' });
    expect(JSON.stringify(s.reasons)).not.toMatch(/@/);
    expect(s.reasons.map((r) => r.field).sort()).toEqual(['dateOfBirth', 'email', 'name']);
  });
});

describe('connected groups', () => {
  const pair = (leftId: number, rightId: number, score: number): ScoredPair => ({
    leftId,
    rightId,
    score,
    reasons: [{ field: 'phone', agreement: 'exact', weight: score }],
  });

  it('joins chained pairs into one group whose score is its weakest link', () => {
    const groups = connectedGroups([pair(1, 2, 12), pair(2, 3, 9), pair(7, 8, 10)], 10);
    expect(groups).toEqual(
      [
        { customerIds: [1, 2, 3], score: 9, reasons: [{ field: 'phone', agreement: 'exact', links: 2, weight: 12 }] },
        { customerIds: [7, 8], score: 10, reasons: [{ field: 'phone', agreement: 'exact', links: 1, weight: 10 }] },
      ].sort((a, b) => b.score - a.score),
    );
  });

  it('leaves out the weakest links that would pass the size cap', () => {
    const groups = connectedGroups([pair(1, 2, 12), pair(3, 4, 11), pair(2, 3, 9)], 3);
    expect(groups.map((g) => g.customerIds)).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
});
