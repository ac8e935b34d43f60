import express from 'express';
import type { AuthToken } from '../config';
import { NotFoundError } from '../errors';
import type { Logger } from '../logger';
import { authenticate } from './auth';
import { errorHandler } from './error-handler';
import { importRoutes, type ImportRouteDeps } from './routes/imports';
import { sourceRoutes } from './routes/sources';
import { webRoutes } from './routes/web';

export interface AppDeps extends ImportRouteDeps {
  tokens: AuthToken[];
  logger: Logger;
}

/** The api, wired from what the entry point built: no pools or connections are made here. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.use('/api', authenticate(deps.tokens));
  app.use('/api/imports', importRoutes(deps));
  app.use('/api/sources', sourceRoutes());
  app.use(webRoutes({ maxUploadBytes: deps.maxUploadBytes }));
  app.use((req, _res, next) => next(new NotFoundError(`route ${req.method} ${req.path}`)));
  app.use(errorHandler(deps.logger));
  return app;
}
