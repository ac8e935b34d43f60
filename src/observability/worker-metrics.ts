import { createServer, type Server } from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What a worker measures around its activities; one registry per worker process. */
export interface WorkerMetrics {
  registry: Registry;
  batchDuration: Histogram<'result'>;
  statementDuration: Histogram<'statement'>;
  rollbacks: Counter<'result'>;
  notifications: Counter<'result'>;
  purgedImports: Counter;
}

export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ferry_worker_' });
  return {
    registry,
    batchDuration: new Histogram({
      name: 'ferry_batch_duration_seconds',
      help: 'Time of one importBatch activity attempt (one transaction of up to batchSize records), by result',
      labelNames: ['result'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900],
      registers: [registry],
    }),
    statementDuration: new Histogram({
      name: 'ferry_db_statement_duration_seconds',
      help: 'Time of each SQL statement the worker ran, from the call to its answer, by statement: command and table (COPY customer_phones, SELECT sync_history), never values',
      labelNames: ['statement'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
      registers: [registry],
    }),
    rollbacks: new Counter({
      name: 'ferry_rollbacks_total',
      help: 'rollbackImport activity attempts, by result',
      labelNames: ['result'],
      registers: [registry],
    }),
    notifications: new Counter({
      name: 'ferry_notifications_total',
      help: 'notifyImportEnded activity attempts, by result',
      labelNames: ['result'],
      registers: [registry],
    }),
    purgedImports: new Counter({
      name: 'ferry_purged_imports_total',
      help: 'Imports whose records retention purged',
      registers: [registry],
    }),
  };
}

/** Times fn and counts it as `ok` or `error`; without metrics it only runs fn. */
export async function measured<T>(
  metric: Histogram<'result'> | Counter<'result'> | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  if (!metric) return fn();
  const started = process.hrtime.bigint();
  let result = 'error';
  try {
    const value = await fn();
    result = 'ok';
    return value;
  } finally {
    if (metric instanceof Histogram) metric.observe({ result }, Number(process.hrtime.bigint() - started) / 1e9);
    else metric.inc({ result });
  }
}

/** GET /metrics on its own port (the worker has no http server otherwise). */
export function serveMetrics(registry: Registry, port: number, host = '0.0.0.0'): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
