import { describe, expect, it } from 'vitest';
import { addSample, estimateSecondsLeft, formatDuration, progressLine, type Sample } from '../../src/cli/progress';

describe('formatDuration', () => {
  it('shows seconds, minutes with seconds, and hours with minutes', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(44.2)).toBe('45s');
    expect(formatDuration(60)).toBe('1m 00s');
    expect(formatDuration(185)).toBe('3m 05s');
    expect(formatDuration(3599)).toBe('59m 59s');
    expect(formatDuration(2 * 3600 + 4 * 60 + 59)).toBe('2h 04m');
    expect(formatDuration(-3)).toBe('0s');
  });
});

describe('estimateSecondsLeft', () => {
  it('is unknown until there are two samples with progress between them', () => {
    expect(estimateSecondsLeft([], 100)).toBeUndefined();
    expect(estimateSecondsLeft([{ atMs: 0, done: 0 }], 100)).toBeUndefined();
    expect(
      estimateSecondsLeft(
        [
          { atMs: 0, done: 0 },
          { atMs: 1000, done: 0 },
        ],
        100,
      ),
    ).toBeUndefined();
  });

  it('divides the rows left by the recent rate', () => {
    // 100 rows a second, 800 left.
    expect(
      estimateSecondsLeft(
        [
          { atMs: 0, done: 0 },
          { atMs: 1000, done: 100 },
          { atMs: 2000, done: 200 },
        ],
        1000,
      ),
    ).toBeCloseTo(8);
  });

  it('ignores samples older than the window, so a slow validation does not drag the estimate', () => {
    const samples: Sample[] = [
      { atMs: 0, done: 0 },
      { atMs: 60_000, done: 0 },
      { atMs: 61_000, done: 1000 },
    ];
    expect(estimateSecondsLeft(samples, 10_000, 30_000)).toBeCloseTo(9);
  });

  it('is zero when every row is done', () => {
    expect(
      estimateSecondsLeft(
        [
          { atMs: 0, done: 0 },
          { atMs: 1000, done: 50 },
        ],
        50,
      ),
    ).toBe(0);
  });
});

describe('addSample', () => {
  it('keeps only the samples inside the window', () => {
    let samples: Sample[] = [];
    for (let t = 0; t <= 100_000; t += 1000) samples = addSample(samples, { atMs: t, done: t }, 30_000);
    expect(samples[0].atMs).toBe(70_000);
    expect(samples).toHaveLength(31);
  });
});

describe('progressLine', () => {
  it('shows status, phase, a bar, the percent, the rows and the ETA', () => {
    expect(
      progressLine({ id: 7, status: 'running', phase: 'importing', done: 2500, total: 10_000, secondsLeft: 65 }),
    ).toBe('import 7 running/importing [#####...............]  25%  2,500/10,000 rows  ETA 1m 05s');
  });

  it('shows an unknown ETA and copes with an empty file', () => {
    expect(progressLine({ id: 1, status: 'queued', phase: 'staging', done: 0, total: 0 })).toBe(
      'import 1 queued/staging [....................]   0%  0/0 rows  ETA --',
    );
    expect(progressLine({ id: 1, status: 'completed', phase: 'done', done: 9, total: 9, finished: true })).toBe(
      'import 1 completed/done [####################] 100%  9/9 rows',
    );
  });
});
