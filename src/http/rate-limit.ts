import type { Request, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { FerryError } from '../errors';
import { callerOf } from './auth';

export interface RateLimits {
  /** Uploads per caller per minute. */
  uploadsPerMinute: number;
  /** Operator actions (approve, reject, cancel, rollback) per caller per minute. */
  actionsPerMinute: number;
}

/** Generous: they stop a runaway script, never an admin at work (or a test suite). */
export const DEFAULT_RATE_LIMITS: RateLimits = { uploadsPerMinute: 120, actionsPerMinute: 600 };

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
      next(new FerryError('RATE_LIMITED', `too many ${name} requests: at most ${options.limit} a minute; try again later`, 429));
    },
  });
}
