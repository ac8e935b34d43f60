import express, { Router } from 'express';
import { projectPath } from '../../project-root';

export interface WebRouteDeps {
  /** The api's upload limit, so the page can refuse a file that is too big before sending it. */
  maxUploadBytes: number;
}

const WEB_ROOT = projectPath('web');

// The page renders data with textContent only and loads nothing from elsewhere: a strict policy costs nothing.
const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/** The admin page: static files from web/, plain ES modules, no build step and no CDN. */
export function webRoutes(deps: WebRouteDeps): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.set('Content-Security-Policy', CSP);
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('Referrer-Policy', 'no-referrer');
    next();
  });
  router.get('/web-config.json', (_req, res) => {
    res.json({ maxUploadBytes: deps.maxUploadBytes, temporalUiUrl: 'http://127.0.0.1:8233' });
  });
  router.use(express.static(WEB_ROOT, { index: 'index.html', fallthrough: true, maxAge: 0 }));
  return router;
}
