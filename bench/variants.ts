/**
 * `--variant name:ENV=value[,ENV=value]`: the same import again with the api and worker started under
 * other settings, on a fresh copy of the same database, in the same run. The machine's speed drifts
 * from minute to minute; a ratio measured within one run is what can be compared.
 */
export interface Variant {
  name: string;
  env: Record<string, string>;
}

/** The run everything is compared with: the settings as shipped. */
export const DEFAULT_VARIANT: Variant = { name: 'default', env: {} };

export function parseVariant(spec: string): Variant {
  const m = /^([\w.-]+):(.+)$/.exec(spec);
  if (!m) throw new Error(`--variant ${spec}: expected name:ENV=value[,ENV=value]`);
  const env: Record<string, string> = {};
  for (const pair of m[2].split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--variant ${spec}: "${pair}" is not ENV=value`);
    env[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return { name: m[1], env };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface VariantRun {
  seconds: number;
  importSeconds: number;
  counts: Record<string, number>;
  /** Peak RSS of the run's api and worker: a setting that buys speed with memory must show it. */
  peakRssMb: { apiMb: number; workerMb: number };
}

/** Per variant: the median end-to-end and import-phase times, their ratio to the default's, the highest peak RSS of its runs, and whether every run gave the default's outcomes. */
export function summarize(runs: Map<string, VariantRun[]>): {
  name: string;
  runs: number;
  seconds: number;
  importSeconds: number;
  ratio: number;
  importRatio: number;
  peakRssMb: { apiMb: number; workerMb: number };
  sameOutcomes: boolean;
}[] {
  const base = runs.get(DEFAULT_VARIANT.name)!;
  const baseSeconds = median(base.map((r) => r.seconds));
  const baseImport = median(base.map((r) => r.importSeconds));
  const baseCounts = JSON.stringify(base[0].counts);
  return [...runs].map(([name, rs]) => {
    const seconds = median(rs.map((r) => r.seconds));
    const importSeconds = median(rs.map((r) => r.importSeconds));
    const peakRssMb = {
      apiMb: Math.max(...rs.map((r) => r.peakRssMb.apiMb)),
      workerMb: Math.max(...rs.map((r) => r.peakRssMb.workerMb)),
    };
    return {
      name,
      runs: rs.length,
      seconds,
      importSeconds,
      ratio: seconds / baseSeconds,
      importRatio: importSeconds / baseImport,
      peakRssMb,
      sameOutcomes: rs.every((r) => JSON.stringify(r.counts) === baseCounts),
    };
  });
}
