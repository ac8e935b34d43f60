import { describe, expect, it } from 'vitest';
import { parseVariant, summarize, type VariantRun } from '../../bench/variants';

describe('benchmark variants', () => {
  it('reads a name and its settings', () => {
    expect(parseVariant('checked:NEW_CUSTOMER_FK_CHECKS=always')).toEqual({
      name: 'checked',
      env: { NEW_CUSTOMER_FK_CHECKS: 'always' },
    });
    expect(parseVariant('two:A=1,B=x=y')).toEqual({ name: 'two', env: { A: '1', B: 'x=y' } });
    expect(() => parseVariant('NEW_CUSTOMER_FK_CHECKS=always')).toThrow(/name:ENV=value/);
    expect(() => parseVariant('x:novalue')).toThrow(/not ENV=value/);
  });

  it('compares medians with the default run and notices other outcomes', () => {
    const counts = { created: 5, rejected: 1 };
    const run = (seconds: number, importSeconds: number, c = counts, workerMb = 250): VariantRun => ({
      seconds,
      importSeconds,
      counts: c,
      peakRssMb: { apiMb: 200, workerMb },
    });
    const summary = summarize(
      new Map([
        ['default', [run(10, 6), run(12, 8), run(11, 7)]],
        ['slow', [run(22, 14, counts, 310), run(22, 14, counts, 280)]],
        ['wrong', [run(11, 7, { created: 4, rejected: 2 })]],
      ]),
    );
    const rss = (workerMb: number) => ({ apiMb: 200, workerMb });
    expect(summary).toEqual([
      {
        name: 'default',
        runs: 3,
        seconds: 11,
        importSeconds: 7,
        ratio: 1,
        importRatio: 1,
        peakRssMb: rss(250),
        sameOutcomes: true,
      },
      {
        name: 'slow',
        runs: 2,
        seconds: 22,
        importSeconds: 14,
        ratio: 2,
        importRatio: 2,
        peakRssMb: rss(310),
        sameOutcomes: true,
      },
      {
        name: 'wrong',
        runs: 1,
        seconds: 11,
        importSeconds: 7,
        ratio: 1,
        importRatio: 1,
        peakRssMb: rss(250),
        sameOutcomes: false,
      },
    ]);
  });
});
