import { describe, expect, it } from 'vitest';
import { targetLines, targetsOf, type SizeFigures } from '../../bench/targets';

const size = (over: Partial<SizeFigures>): SizeFigures => ({
  records: 1_000_000,
  ferrySeconds: 60,
  schemaFloorSeconds: 40,
  dryRunSeconds: 12,
  rollbackSeconds: 20,
  listP99Ms: 150,
  peakRssMb: { apiMb: 180, workerMb: 250 },
  historyMaxRun: 700,
  ...over,
});

describe('the bench targets', () => {
  it('judges the floor ratio at 1M and 5M only, and shows the work bound beside it', () => {
    const rows = targetsOf([size({ records: 100_000 }), size({ workBoundSeconds: 44 })]);
    const floor = rows.filter((r) => r.target.includes('schema write floor'));
    expect(floor).toEqual([
      {
        target: 'end to end <= 1.3x the schema write floor',
        records: 1_000_000,
        figure: '1.50x (its CPU on every core: 1.10x)',
        met: false,
      },
    ]);
  });

  it('judges the dry run, rollback, list latency, memory and history of each size', () => {
    const rows = targetsOf([size({ dryRunSeconds: 19, rollbackSeconds: 36, listP99Ms: 200, historyMaxRun: 10_240 })]);
    const met = Object.fromEntries(rows.map((r) => [r.target.split(' ')[0], r.met]));
    expect(met).toMatchObject({ dry: false, rollback: true, GET: false, peak: true, Temporal: false });
  });

  it('compares the largest size peak with the smallest', () => {
    const rows = targetsOf([
      size({ records: 100_000, peakRssMb: { apiMb: 100, workerMb: 200 } }),
      size({ records: 5_000_000, peakRssMb: { apiMb: 120, workerMb: 270 } }),
    ]);
    const flat = rows.find((r) => r.records === null)!;
    expect(flat).toMatchObject({ figure: '1.35x', met: false });
    expect(targetLines(rows).at(-1)).toMatch(/all\s+1\.35x\s+NOT MET$/);
  });
});
