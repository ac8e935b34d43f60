/** How often the imports page asks, and how many of its requests may be open at once. */
const INTERVAL_MS = 100;
const MAX_IN_FLIGHT = 2;

export interface ListLatency {
  /** Requests answered (a tick with the maximum already open sends none: a page would not pile them up). */
  count: number;
  skipped: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Calls GET /api/imports as an admin's imports page would while an import runs, and times each
 * answer to its last byte. The time includes this process's own event loop, which also streams the
 * upload: a page in a browser would not share it, so the figure errs high, never low.
 */
export class ListPoller {
  private readonly times: number[] = [];
  private skipped = 0;
  private failed = 0;
  private inFlight = new Set<Promise<void>>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly baseUrl: string,
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
    const started = performance.now();
    try {
      const res = await fetch(`${this.baseUrl}/api/imports`, {
        headers: { authorization: `Bearer ${this.token}` },
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`GET /api/imports answered ${res.status}`);
      this.times.push(performance.now() - started);
    } catch {
      this.failed += 1;
    }
  }

  /** Stops asking, waits for the requests still open, and sums up. */
  async stop(): Promise<ListLatency> {
    clearInterval(this.timer);
    await Promise.all(this.inFlight);
    const sorted = [...this.times].sort((a, b) => a - b);
    const at = (q: number) =>
      sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]) : NaN;
    return {
      count: sorted.length,
      skipped: this.skipped,
      failed: this.failed,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      maxMs: sorted.length ? Math.round(sorted.at(-1)!) : NaN,
    };
  }
}
