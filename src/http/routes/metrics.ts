import { Router } from 'express';
import type pg from 'pg';
import { createApiMetrics } from '../../observability/api-metrics';

/**
 * GET /metrics for Prometheus, without a token (scrapers rarely carry one): it shows counts by status,
 * source and outcome and upload sizes, never a record, a name or a file name. Keep it off the public
 * network (a reverse proxy rule or the compose network) if those totals are sensitive.
 */
export function metricsRoutes(deps: { pool: pg.Pool }): Router {
  const registry = createApiMetrics(deps.pool);
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
