import { describe, expect, it } from 'vitest';
import { parseStatementTimes, statementLines, statementsBetween } from '../../bench/statement-times';
import { createWorkerMetrics } from '../../src/observability/worker-metrics';

describe("the bench's reading of the worker's statement metrics", () => {
  it('reads sums and counts per statement from the Prometheus text the worker serves, slowest first', async () => {
    const { registry, statementDuration } = createWorkerMetrics();
    statementDuration.observe({ statement: 'SELECT customer_phones' }, 0.25);
    statementDuration.observe({ statement: 'COPY customer_phones' }, 0.5);
    statementDuration.observe({ statement: 'COPY customer_phones' }, 1.5);
    const before = parseStatementTimes(await registry.metrics());
    expect(before).toEqual([
      { statement: 'COPY customer_phones', count: 2, seconds: 2 },
      { statement: 'SELECT customer_phones', count: 1, seconds: 0.25 },
    ]);

    statementDuration.observe({ statement: 'COPY customers' }, 0.75);
    statementDuration.observe({ statement: 'COPY customer_phones' }, 0.5);
    const phase = statementsBetween(before, parseStatementTimes(await registry.metrics()));
    expect(phase, 'only what the phase ran; a statement it did not run is left out').toEqual([
      { statement: 'COPY customers', count: 1, seconds: 0.75 },
      { statement: 'COPY customer_phones', count: 1, seconds: 0.5 },
    ]);
  });

  it("prints a write beside the schema floor's time for its table", () => {
    const lines = statementLines(
      [
        { statement: 'COPY customer_phones', count: 100, seconds: 7.15 },
        { statement: 'SELECT sync_history', count: 100, seconds: 1.2 },
      ],
      { customer_phones: 8.6 },
    );
    expect(lines[0]).toMatch(/^COPY customer_phones\s+7\.15 s\s+100 x 71\.5 ms\s+\(floor for the table 8\.6 s\)$/);
    expect(lines[1]).not.toContain('floor');
  });
});
