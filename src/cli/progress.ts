/** Progress and ETA of a running import, from the rows the api reports as processed. */

export interface Sample {
  atMs: number;
  done: number;
}

/**
 * Seconds left at the rate of the last `windowMs` of samples, or undefined while the rate is
 * unknown (fewer than two samples in the window, or no progress in it). A window rather than the
 * whole run, because validation reports no rows and would make the early rate look slow forever.
 */
export function estimateSecondsLeft(samples: Sample[], total: number, windowMs = 30_000): number | undefined {
  if (samples.length < 2) return undefined;
  const last = samples[samples.length - 1];
  const first = samples.find((s) => last.atMs - s.atMs <= windowMs) ?? last;
  const rows = last.done - first.done;
  const ms = last.atMs - first.atMs;
  if (rows <= 0 || ms <= 0) return undefined;
  return Math.max(0, total - last.done) / (rows / ms) / 1000;
}

/** Keeps what the window needs and drops the rest, so a long wait holds a bounded list. */
export function addSample(samples: Sample[], sample: Sample, windowMs = 30_000): Sample[] {
  const kept = samples.filter((s) => sample.atMs - s.atMs <= windowMs);
  return [...kept, sample];
}

/** 45s, 3m 05s, 2h 04m: whole seconds, two units at most. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h}h ${String(m).padStart(2, '0')}m`;
}

export interface ProgressState {
  id: number;
  status: string;
  phase: string;
  done: number;
  total: number;
  secondsLeft?: number;
  /** A terminal status: no ETA to give. */
  finished?: boolean;
}

const BAR_WIDTH = 20;

/** `import 7 running/importing [#####...............]  25%  2,500/10,000 rows  ETA 1m 05s` */
export function progressLine(p: ProgressState): string {
  const ratio = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  const percent = Math.floor(ratio * 100);
  const filled = Math.round(ratio * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
  const eta = p.secondsLeft === undefined ? 'ETA --' : `ETA ${formatDuration(p.secondsLeft)}`;
  const rows = `${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')} rows`;
  return `import ${p.id} ${p.status}/${p.phase} ${bar} ${String(percent).padStart(3)}%  ${rows}${p.finished ? '' : `  ${eta}`}`;
}
