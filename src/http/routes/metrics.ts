import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type pg from 'pg';
import { FerryError } from '../../errors';
import { createApiMetrics } from '../../observability/api-metrics';
import { bearerToken } from '../auth';
import { cachedFor } from '../cached-for';

/** Scrapes closer together than this share one set of queries. */
const SCRAPE_CACHE_MS = 1_000;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * GET /metrics for Prometheus: counts by status, source and outcome and upload sizes, never a record,
 * a name or a file name. With METRICS_TOKEN it asks for that bearer token; without, it answers only
 * callers on this host (the socket's address, whatever a proxy header says). Its queries run at most
 * once per SCRAPE_CACHE_MS, however often it is called.
 */
export function metricsRoutes(deps: { pool: pg.Pool; token?: string }): Router {
  const registry = createApiMetrics(deps.pool);
  const scrape = cachedFor(SCRAPE_CACHE_MS, () => registry.metrics());
  const router = Router();
  router.get('/metrics', allowedScraper(deps.token), async (_req, res) => {
    res
      .type(registry.contentType)
      .set('Cache-Control', 'no-store')
      .send(await scrape());
  });
  return router;
}

function allowedScraper(token: string | undefined) {
  const expected = token ? createHash('sha256').update(token).digest() : null;
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!expected) {
      if (LOOPBACK.has(req.socket.remoteAddress ?? '')) return next();
      return next(
        new FerryError(
          'METRICS_LOCAL_ONLY',
          '/metrics answers callers on this host only; set METRICS_TOKEN to scrape it from elsewhere',
          403,
        ),
      );
    }
    const given = createHash('sha256')
      .update(bearerToken(req) ?? '')
      .digest();
    if (timingSafeEqual(given, expected)) return next();
    next(new FerryError('UNAUTHENTICATED', '/metrics needs Authorization: Bearer <METRICS_TOKEN>', 401));
  };
}
