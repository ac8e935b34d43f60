/** Seconds and count of one statement label (src/db/statement-label.ts) in the worker's metrics. */
export interface StatementTime {
  statement: string;
  count: number;
  seconds: number;
}

const SERIES = /^ferry_db_statement_duration_seconds_(sum|count)\{statement="([^"]*)"\} (\S+)$/gm;

/** The worker's statement histogram, from its Prometheus text, slowest in sum first. */
export function parseStatementTimes(metrics: string): StatementTime[] {
  const byLabel = new Map<string, StatementTime>();
  for (const [, series, statement, value] of metrics.matchAll(SERIES)) {
    const time = byLabel.get(statement) ?? { statement, count: 0, seconds: 0 };
    if (series === 'sum') time.seconds = Number(value);
    else time.count = Number(value);
    byLabel.set(statement, time);
  }
  return [...byLabel.values()].sort((a, b) => b.seconds - a.seconds);
}

/** What `later` added to `earlier`: the statements of the stretch between two readings. */
export function statementsBetween(earlier: StatementTime[], later: StatementTime[]): StatementTime[] {
  const before = new Map(earlier.map((t) => [t.statement, t]));
  return later
    .map((t) => ({
      statement: t.statement,
      count: t.count - (before.get(t.statement)?.count ?? 0),
      seconds: t.seconds - (before.get(t.statement)?.seconds ?? 0),
    }))
    .filter((t) => t.count > 0)
    .sort((a, b) => b.seconds - a.seconds);
}

/**
 * The worker's statement times per phase of the import (`--statements`): read from its metrics
 * endpoint each time the phase changes, the way CpuByPhase reads the CPU.
 */
export class StatementsByPhase {
  private phase: string | null = null;
  private at: StatementTime[] = [];
  readonly byPhase: Record<string, StatementTime[]> = {};

  constructor(private readonly metricsUrl: string) {}

  async enter(phase: string): Promise<void> {
    if (phase === this.phase) return;
    const now = parseStatementTimes(await (await fetch(this.metricsUrl)).text());
    if (this.phase !== null) this.byPhase[this.phase] = statementsBetween(this.at, now);
    [this.phase, this.at] = [phase, now];
  }

  async end(): Promise<Record<string, StatementTime[]>> {
    await this.enter('done');
    return this.byPhase;
  }
}

/**
 * The slowest statements as table lines. A write into a table the schema floor re-inserts is shown
 * beside the floor's time for that table; times add up over connections, so the batch's lookups,
 * which run side by side, count once each.
 */
export function statementLines(times: StatementTime[], floorByTable: Record<string, number>, top = 14): string[] {
  return times.slice(0, top).map((t) => {
    const table = /^(?:COPY|INSERT) (\w+)$/.exec(t.statement)?.[1];
    const floor =
      table !== undefined && floorByTable[table] !== undefined
        ? `  (floor for the table ${floorByTable[table].toFixed(1)} s)`
        : '';
    const each = t.count > 0 ? (t.seconds / t.count) * 1000 : 0;
    return `${t.statement.padEnd(36)} ${t.seconds.toFixed(2).padStart(6)} s  ${String(t.count).padStart(7)} x ${each.toFixed(1)} ms${floor}`;
  });
}
