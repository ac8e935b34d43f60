/** How often the imports page asks, and how many of its requests may be open at once. */
const INTERVAL_MS = 100;
const MAX_IN_FLIGHT = 2;

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface ListLatency extends LatencySummary {
  /** Ticks that sent nothing because the maximum was already open: a page would not pile requests up. */
  skipped: number;
  failed: number;
  /** By the import's phase when each request was sent. */
  byPhase: Record<string, LatencySummary>;
}

function summarize(times: number[]): LatencySummary {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]) : NaN;
  return {
    count: sorted.length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: sorted.length ? Math.round(sorted.at(-1)!) : NaN,
  };
}

/**
 * Calls a GET route as an admin's page would while an import runs (GET /api/imports, the imports
 * page), and times each answer to its last byte. The time includes this process's own event loop,
 * which also streams the upload: a page in a browser would not share it, so the figure errs high.
 * The same poller on /healthz, which reads nothing, is the floor: what the api's event loop and the
 * machine's load alone cost every answer.
 */
export class LatencyPoller {
  private readonly times: { phase: string; ms: number }[] = [];
  private skipped = 0;
  private failed = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timer: NodeJS.Timeout;
  /** The import's phase as the caller last saw it. */
  phase = 'staging';

  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {
    // Unref: a run that fails mid-import must still exit.
    this.timer = setInterval(() => this.tick(), INTERVAL_MS).unref();
  }

  private tick(): void {
    if (this.inFlight.size >= MAX_IN_FLIGHT) {
      this.skipped += 1;
      return;
    }
    const request = this.ask().finally(() => this.inFlight.delete(request));
    this.inFlight.add(request);
  }

  private async ask(): Promise<void> {
    const phase = this.phase;
    const started = performance.now();
    try {
      const res = await fetch(this.url, { headers: { authorization: `Bearer ${this.token}` } });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`GET ${this.url} answered ${res.status}`);
      this.times.push({ phase, ms: performance.now() - started });
    } catch {
      this.failed += 1;
    }
  }

  /** Stops asking, waits for the requests still open, and sums up. */
  async stop(): Promise<ListLatency> {
    clearInterval(this.timer);
    await Promise.all(this.inFlight);
    const phases = [...new Set(this.times.map((t) => t.phase))];
    return {
      ...summarize(this.times.map((t) => t.ms)),
      skipped: this.skipped,
      failed: this.failed,
      byPhase: Object.fromEntries(
        phases.map((p) => [p, summarize(this.times.filter((t) => t.phase === p).map((t) => t.ms))]),
      ),
    };
  }
}
