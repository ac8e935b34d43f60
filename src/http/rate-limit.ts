import type { Request, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { FerryError } from '../errors';
import { callerOf } from './auth';

export interface RateLimits {
  /** Uploads per caller per minute. */
  uploadsPerMinute: number;
  /** Operator actions (approve, reject, cancel, rollback) per caller per minute. */
  actionsPerMinute: number;
  /** GET requests per caller per minute (lists, reports, records). */
  readsPerMinute: number;
  /** Uploads being received and staged at once, all callers together: each holds a pooled connection for its COPY. */
  concurrentUploads: number;
}

/** Generous: they stop a runaway script, never an admin at work (or a test suite). */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  uploadsPerMinute: 120,
  actionsPerMinute: 600,
  readsPerMinute: 1200,
  concurrentUploads: 4,
};

/**
 * At most `max` uploads in flight; the next is answered 429 at once, before its body is read, rather
 * than waiting for a pooled connection every other request needs too.
 */
export function concurrentUploadCap(max: number) {
  let running = 0;
  return (_req: Request, res: Response, next: (err?: unknown) => void) => {
    if (running >= max) {
      res.set('Retry-After', '5');
      return next(
        new FerryError('UPLOADS_BUSY', `${max} uploads are being staged already; try again in a few seconds`, 429, {
          concurrentUploads: max,
        }),
      );
    }
    running += 1;
    res.once('close', () => (running -= 1));
    next();
  };
}

/**
 * Counted per authenticated caller (token name), so runs after `authenticate`: callers behind one
 * proxy do not share a budget, and an unauthenticated flood is refused by auth before it costs a count.
 */
export function perCallerLimit(name: string, perMinute: number) {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (_req: Request, res: Response) => `${name}:${callerOf(res)?.name ?? 'anonymous'}`,
    handler: (_req, _res, next, options) => {
      next(
        new FerryError(
          'RATE_LIMITED',
          `too many ${name} requests: at most ${options.limit} a minute; try again later`,
          429,
        ),
      );
    },
  });
}
