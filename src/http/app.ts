import express, { Router } from 'express';
import helmet from 'helmet';
import type { AuthToken } from '../config';
import type { DedupeWorkflows } from '../dedupe/dedupe-workflows';
import { NotFoundError } from '../errors';
import type { Logger } from '../logger';
import { lastSignOut, recordSignOut } from '../db/queries/codec-sign-outs';
import { authenticate } from './auth';
import { cachedFor } from './cached-for';
import { FailedAuthThrottle, refuseThrottledAddresses } from './auth-throttle';
import { renderDocsPage } from './docs-page';
import { errorHandler } from './error-handler';
import { ApiRegistry, documented } from './openapi';
import { describeMetricsCodecAndWebConfig } from './metrics-codec-web-config-docs';
import { DEFAULT_RATE_LIMITS, perCallerLimit, type RateLimits } from './rate-limit';
import type { Readiness } from './readiness';
import { requestLogging } from './request-log';
import { codecRoutes } from './routes/codec';
import { customerRoutes } from './routes/customers';
import { importRecordRoutes } from './routes/import-records';
import { dedupeRoutes } from './routes/dedupe';
import { mergeRoutes } from './routes/merges';
import { importRoutes, type ImportRouteDeps } from './routes/imports';
import { mappingPreviewRoutes } from './routes/mapping-preview';
import { mappingRoutes } from './routes/mappings';
import { metricsRoutes } from './routes/metrics';
import { sourceRoutes } from './routes/sources';
import { webRoutes } from './routes/web';
import { healthSchema, readySchema } from './schemas';
import { privateUploadDir } from './upload';

export interface AppDeps extends ImportRouteDeps {
  tokens: AuthToken[];
  logger: Logger;
  /** Whether the database and Temporal answer; `/readyz` reports it. */
  ready(): Promise<Readiness>;
  /** Per-caller limits on uploads, operator actions and reads, and the cap on uploads at once; generous by default. */
  rateLimits?: Partial<RateLimits>;
  /** Where uploads wait while they are checked; removed file by file as each response ends. */
  uploadDir?: string;
  dedupeWorkflows: DedupeWorkflows;
  /** Failed authentications one client address may make per minute before it is answered 429. */
  authFailuresPerMinute?: number;
  /** METRICS_TOKEN: the bearer token /metrics asks for; unset, /metrics answers loopback callers only. */
  metricsToken?: string;
  /** TRUST_PROXY: Express's `trust proxy`, so client addresses and https come from the proxy's headers. */
  trustProxy?: string;
}

/** Enough for a person retyping a token, far too few to guess one. */
export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 20;

const API_INFO = {
  title: 'Ferry',
  version: '1',
  description:
    'Imports customer files into the CRM through durable Temporal workflows. Every route but the health probes and this reference needs Authorization: Bearer <token>; writes need an admin token. Errors are { error: { code, message, details } }.',
};

/** The api, wired from what the entry point built: no pools or connections are made here. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  const registry = new ApiRegistry();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  if (deps.trustProxy)
    app.set('trust proxy', /^\d+$/.test(deps.trustProxy) ? Number(deps.trustProxy) : deps.trustProxy);
  const throttle = new FailedAuthThrottle(deps.authFailuresPerMinute ?? DEFAULT_AUTH_FAILURES_PER_MINUTE, deps.clock);
  app.use(requestLogging(deps.logger));
  app.use(refuseThrottledAddresses(throttle));
  app.use(helmet());
  app.use(probeRoutes(registry, deps.ready));
  app.use(metricsRoutes({ pool: deps.pool, token: deps.metricsToken }));
  const signOuts = {
    record: (actor: string, at: Date) => recordSignOut(deps.pool, actor, at),
    last: (actor: string) => lastSignOut(deps.pool, actor),
  };
  app.use('/codec', codecRoutes({ ...deps, throttle, signOuts }));
  app.use('/api', referenceRoutes(registry));
  const rateLimits = { ...DEFAULT_RATE_LIMITS, ...deps.rateLimits };
  const reads = perCallerLimit('read', rateLimits.readsPerMinute);
  app.use(
    '/api',
    authenticate(deps.tokens, throttle),
    noStore,
    (req, res, next) => (req.method === 'GET' ? reads(req, res, next) : next()),
    express.json({ limit: '64kb' }),
  );
  const uploadDir = deps.uploadDir ?? privateUploadDir();
  app.use('/api/imports', importRoutes({ ...deps, registry, rateLimits, uploadDir }));
  app.use('/api/imports', importRecordRoutes({ ...deps, registry }));
  app.use('/api/customers', customerRoutes({ ...deps, registry }));
  app.use('/api/sources', sourceRoutes(registry));
  app.use('/api/mappings', mappingPreviewRoutes({ ...deps, registry, uploadDir }));
  app.use('/api/mappings', mappingRoutes(deps, registry));
  app.use('/api/dedupe', dedupeRoutes(deps, registry));
  app.use('/api/merges', mergeRoutes(deps, registry));
  app.use(webRoutes({ maxUploadBytes: deps.maxUploadBytes }));
  describeMetricsCodecAndWebConfig(registry);
  app.use((req, _res, next) => next(new NotFoundError(`route ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.logger));
  return app;
}

/** Whatever an authenticated route answers may hold customer data: no browser or proxy keeps a copy. */
function noStore(_req: express.Request, res: express.Response, next: express.NextFunction) {
  res.set('Cache-Control', 'no-store');
  next();
}

/** A probe flood costs one database and one Temporal round trip per this long, not one per request. */
const READY_CACHE_MS = 2_000;

function probeRoutes(registry: ApiRegistry, ready: AppDeps['ready']): Router {
  const router = Router();
  const api = documented(router, registry, '');
  api.get(
    '/healthz',
    {
      summary: 'Liveness: the process answers',
      tag: 'health',
      access: 'none',
      responses: { 200: { description: 'Alive.', schema: healthSchema } },
    },
    (_req, res) => {
      res.json({ ok: true });
    },
  );
  const readySpec = {
    summary: 'Readiness: the database and Temporal answer',
    tag: 'health',
    access: 'none' as const,
    responses: {
      200: { description: 'Ready to serve.', schema: readySchema },
      503: { description: 'A dependency does not answer; each check says which.', schema: readySchema },
    },
  };
  const cachedReady = cachedFor(READY_CACHE_MS, ready);
  api.get('/readyz', readySpec, async (_req, res) => {
    const report = await cachedReady();
    res
      .status(report.ok ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(report);
  });
  return router;
}

/** The reference needs no token: it describes the api, it holds no data. */
function referenceRoutes(registry: ApiRegistry): Router {
  const router = Router();
  const api = documented(router, registry, '/api');
  let cached: Record<string, unknown> | null = null;
  const document = () => (cached ??= registry.document(API_INFO));
  api.get(
    '/openapi.json',
    {
      summary: 'This api as an OpenAPI 3.1 document',
      tag: 'reference',
      access: 'none',
      responses: { 200: { description: 'The document.', contentTypes: ['application/json'] } },
    },
    (_req, res) => {
      res.json(document());
    },
  );
  api.get(
    '/docs',
    {
      summary: 'This api as a readable page',
      tag: 'reference',
      access: 'none',
      responses: { 200: { description: 'HTML, no script.', contentTypes: ['text/html'] } },
    },
    (_req, res) => {
      res.set(
        'Content-Security-Policy',
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
      );
      res.type('html').send(renderDocsPage(document()));
    },
  );
  return router;
}
