import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { AuthToken } from '../config';
import { FerryError } from '../errors';

export interface Caller {
  name: string;
  role: 'admin' | 'viewer';
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Bearer-token auth: every token is compared in constant time. */
export function authenticate(tokens: AuthToken[]) {
  const known = tokens.map((t) => ({ ...t, digest: digest(t.token) }));
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return next(new FerryError('UNAUTHENTICATED', 'an Authorization: Bearer <token> header is required', 401));
    const given = digest(match[1]);
    const found = known.find((t) => timingSafeEqual(t.digest, given));
    if (!found) return next(new FerryError('UNAUTHENTICATED', 'the token is not valid', 401));
    res.locals.caller = { name: found.name, role: found.role } satisfies Caller;
    next();
  };
}

export function requireAdmin(_req: Request, res: Response, next: NextFunction) {
  if ((res.locals.caller as Caller | undefined)?.role !== 'admin') return next(new FerryError('FORBIDDEN', 'this action needs an admin token', 403));
  next();
}

export function callerOf(res: Response): Caller {
  return res.locals.caller as Caller;
}
