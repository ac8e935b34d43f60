/** What one size of a run measured that a target speaks of; a figure the run did not measure is undefined. */
export interface SizeFigures {
  records: number;
  ferrySeconds: number;
  schemaFloorSeconds: number;
  dryRunSeconds?: number;
  rollbackSeconds?: number;
  listP99Ms?: number;
  /** The highest peak of each process over everything the size ran (import, reports, rollback, dry run). */
  peakRssMb: { apiMb: number; workerMb: number };
  /** The most events of any one workflow run (the import's, its rollback's, the dry run's). */
  historyMaxRun: number;
  /**
   * The import's CPU seconds over Ferry's processes, PostgreSQL and Temporal, divided by the cores:
   * no schedule of the same work on this machine could end sooner.
   */
  workBoundSeconds?: number;
}

export interface TargetResult {
  target: string;
  /** Records per file, or null for a target over all the run's sizes. */
  records: number | null;
  figure: string;
  met: boolean;
}

const DRY_RUN_RATIO = 0.3;
const ROLLBACK_RATIO = 0.6;
const LIST_P99_MS = 200;
const PEAK_RSS_MB = 300;
const PEAK_GROWTH_RATIO = 1.3;
const HISTORY_EVENTS = 10_240;

/** End to end against the schema write floor: stated for 1M records and for 5M, none below 1M. */
function floorRatioTarget(records: number): number | null {
  if (records >= 5_000_000) return 1.4;
  if (records >= 1_000_000) return 1.3;
  return null;
}

const x = (ratio: number) => `${ratio.toFixed(2)}x`;

function sizeTargets(f: SizeFigures): TargetResult[] {
  const rows: TargetResult[] = [];
  const add = (target: string, figure: string, met: boolean) => rows.push({ target, records: f.records, figure, met });
  const floorTarget = floorRatioTarget(f.records);
  if (floorTarget !== null) {
    const ratio = f.ferrySeconds / f.schemaFloorSeconds;
    const bound =
      f.workBoundSeconds === undefined
        ? ''
        : ` (its CPU on every core: ${x(f.workBoundSeconds / f.schemaFloorSeconds)})`;
    add(`end to end <= ${floorTarget}x the schema write floor`, `${x(ratio)}${bound}`, ratio <= floorTarget);
  }
  if (f.dryRunSeconds !== undefined) {
    const ratio = f.dryRunSeconds / f.ferrySeconds;
    add(`dry run <= ${DRY_RUN_RATIO}x the import`, x(ratio), ratio <= DRY_RUN_RATIO);
  }
  if (f.rollbackSeconds !== undefined) {
    const ratio = f.rollbackSeconds / f.ferrySeconds;
    add(`rollback <= ${ROLLBACK_RATIO}x the import`, x(ratio), ratio <= ROLLBACK_RATIO);
  }
  if (f.listP99Ms !== undefined)
    add(`GET /api/imports p99 < ${LIST_P99_MS} ms during the import`, `${f.listP99Ms} ms`, f.listP99Ms < LIST_P99_MS);
  const peak = Math.max(f.peakRssMb.apiMb, f.peakRssMb.workerMb);
  add(
    `peak RSS < ${PEAK_RSS_MB} MB per process`,
    `api ${f.peakRssMb.apiMb} / worker ${f.peakRssMb.workerMb} MB`,
    peak < PEAK_RSS_MB,
  );
  add(
    `Temporal history < ${HISTORY_EVENTS.toLocaleString('en')} events per run`,
    `${f.historyMaxRun} events`,
    f.historyMaxRun < HISTORY_EVENTS,
  );
  return rows;
}

/** Every target of the wave that the run's figures speak of, each with its figure and whether it was met. */
export function targetsOf(sizes: SizeFigures[]): TargetResult[] {
  const rows = sizes.flatMap(sizeTargets);
  if (sizes.length > 1) {
    const [smallest, largest] = [...sizes]
      .sort((a, b) => a.records - b.records)
      .filter((_, i, a) => i === 0 || i === a.length - 1);
    const ratio = Math.max(
      largest.peakRssMb.apiMb / smallest.peakRssMb.apiMb,
      largest.peakRssMb.workerMb / smallest.peakRssMb.workerMb,
    );
    rows.push({
      target: `peak RSS flat: ${largest.records.toLocaleString('en')} within ${PEAK_GROWTH_RATIO}x of ${smallest.records.toLocaleString('en')}`,
      records: null,
      figure: x(ratio),
      met: ratio <= PEAK_GROWTH_RATIO,
    });
  }
  return rows;
}

/** The targets as a table for stdout. */
export function targetLines(rows: TargetResult[]): string[] {
  const width = Math.max(...rows.map((r) => r.target.length));
  const sizeWidth = Math.max(...rows.map((r) => (r.records === null ? 3 : r.records.toLocaleString('en').length)));
  const figureWidth = Math.max(...rows.map((r) => r.figure.length));
  return rows.map(
    (r) =>
      `${r.target.padEnd(width)}  ${(r.records === null ? 'all' : r.records.toLocaleString('en')).padStart(sizeWidth)}  ${r.figure.padEnd(figureWidth)}  ${r.met ? 'met' : 'NOT MET'}`,
  );
}
