import type pg from 'pg';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { importsByStatusAndSource, recordsByOutcome, uploadSizes } from '../db/queries/metrics';

const MiB = 1024 * 1024;

/**
 * The api's metrics. Import numbers are read from PostgreSQL at scrape time, so every api replica
 * reports the same totals and a restart loses nothing (aggregate with max, not sum, across replicas).
 */
export function createApiMetrics(pool: pg.Pool): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ferry_api_' });
  new Gauge({
    name: 'ferry_imports',
    help: 'Imports by status and source',
    labelNames: ['status', 'source'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await importsByStatusAndSource(pool)) this.set({ status: r.status, source: r.source }, r.n);
    },
  });
  new Gauge({
    name: 'ferry_records_processed',
    help: "Records processed by outcome and source, from the imports' counts",
    labelNames: ['outcome', 'source'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await recordsByOutcome(pool)) this.set({ outcome: r.outcome, source: r.source }, r.n);
    },
  });
  new Histogram({
    name: 'ferry_upload_size_bytes',
    help: 'Sizes of the staged uploads, by source',
    labelNames: ['source'],
    buckets: [64 * 1024, MiB, 8 * MiB, 32 * MiB, 128 * MiB, 512 * MiB],
    registers: [registry],
    // A histogram can only be observed, not set: it is rebuilt from the table at each scrape.
    async collect() {
      const rows = await uploadSizes(pool);
      this.reset();
      for (const r of rows) this.observe({ source: r.source }, r.bytes);
    },
  });
  return registry;
}
