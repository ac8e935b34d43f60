import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { AuthToken } from '../config';
import { systemClock, type Clock } from '../domain/clock';
import { FerryError } from '../errors';
import { clientAddress, type FailedAuthThrottle } from './auth-throttle';

export interface Caller {
  name: string;
  role: 'admin' | 'viewer';
}

const digest = (s: string) => createHash('sha256').update(s).digest();

type KnownToken = AuthToken & { digest: Buffer };
const knownTokens = (tokens: AuthToken[]): KnownToken[] => tokens.map((t) => ({ ...t, digest: digest(t.token) }));

export const bearerToken = (req: Request): string | undefined =>
  /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];

/** The caller a bearer header names, or the reason there is none. */
function bearerCaller(req: Request, known: KnownToken[]): Caller | FerryError {
  const token = bearerToken(req);
  if (token === undefined)
    return new FerryError('UNAUTHENTICATED', 'an Authorization: Bearer <token> header is required', 401);
  const given = digest(token);
  const found = known.find((t) => timingSafeEqual(t.digest, given));
  if (!found) return new FerryError('UNAUTHENTICATED', 'the token is not valid', 401);
  return { name: found.name, role: found.role };
}

/**
 * Counts the failure against the caller's address when it presented credentials (guessing needs a
 * guess: a page that polls before anyone signs in is refused, not throttled) and logs it with the
 * address and the reason, never the token given.
 */
function failed(
  req: Request,
  err: FerryError,
  throttle: FailedAuthThrottle | undefined,
  presented: boolean,
): FerryError {
  if (presented) throttle?.recordFailure(clientAddress(req));
  (req as Request & { log?: { warn(o: object, m: string): void } }).log?.warn(
    { address: clientAddress(req), path: req.path, reason: err.message },
    'authentication failed',
  );
  return err;
}

/** Bearer-token auth: every token is compared in constant time; failures count towards the address's throttle. */
export function authenticate(tokens: AuthToken[], throttle?: FailedAuthThrottle) {
  const known = knownTokens(tokens);
  return (req: Request, res: Response, next: NextFunction) => {
    const caller = bearerCaller(req, known);
    if (caller instanceof FerryError)
      return next(failed(req, caller, throttle, req.get('authorization') !== undefined));
    res.locals.caller = caller satisfies Caller;
    next();
  };
}

export function requireAdmin(_req: Request, res: Response, next: NextFunction) {
  if ((res.locals.caller as Caller | undefined)?.role !== 'admin')
    return next(new FerryError('FORBIDDEN', 'this action needs an admin token', 403));
  next();
}

export function callerOf(res: Response): Caller {
  return res.locals.caller as Caller;
}

/**
 * The codec session: what lets the Temporal UI, which has no login of its own, decode payloads for
 * an operator signed in on the admin page. The browser sends the cookie only to /codec, only from
 * the same site (SameSite=Strict), never to scripts (HttpOnly); Ferry accepts it only on requests
 * whose Origin is the UI's. Its value is `v2.<expiry in ms>.<HMAC keyed by the caller's token>`: stateless
 * (any api replica checks it), useless as a bearer token, and void once that token leaves AUTH_TOKENS.
 */
export const CODEC_SESSION_COOKIE = 'ferry_codec_session';
export const CODEC_SESSION_PATH = '/codec';
/** A working day: the admin page renews it each time it is opened while signed in. */
export const CODEC_SESSION_SECONDS = 8 * 60 * 60;

const sessionMac = (token: string, expires: number) =>
  createHmac('sha256', digest(`ferry codec session\0${token}`))
    .update(`v2.${expires}`)
    .digest();

export function issueCodecSession(token: string, clock: Clock = systemClock): { value: string; maxAgeSeconds: number } {
  // Milliseconds: a sign-out and a new sign-in in the same second must still be told apart.
  const expires = clock.now().getTime() + CODEC_SESSION_SECONDS * 1000;
  return {
    value: `v2.${expires}.${sessionMac(token, expires).toString('base64url')}`,
    maxAgeSeconds: CODEC_SESSION_SECONDS,
  };
}

/** The caller a session cookie names, and when it was issued; null when it is forged or expired. */
export function sessionCaller(value: string, tokens: AuthToken[], clock: Clock): (Caller & { issuedAt: Date }) | null {
  const match = /^v2\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!match) return null;
  const expires = Number(match[1]);
  if (expires <= clock.now().getTime()) return null;
  const given = Buffer.from(match[2], 'base64url');
  const found = tokens.find((t) => timingSafeEqual(sessionMac(t.token, expires), given));
  return found
    ? { name: found.name, role: found.role, issuedAt: new Date(expires - CODEC_SESSION_SECONDS * 1000) }
    : null;
}

/** Where sign-outs are kept, so that one ends its sessions on every replica at once. */
export interface SignOuts {
  record(actor: string, at: Date): Promise<void>;
  last(actor: string): Promise<Date | null>;
}

/** A session issued in the very millisecond of a sign-out counts as before it. */
async function signedOutSince(
  signOuts: SignOuts | undefined,
  caller: { name: string; issuedAt: Date },
): Promise<boolean> {
  const last = signOuts ? await signOuts.last(caller.name) : null;
  return last !== null && caller.issuedAt.getTime() <= last.getTime();
}

export function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface CodecAuthOptions {
  /** The only origins whose requests may authenticate with the session cookie (the Temporal UI's). */
  cookieOrigins: Iterable<string>;
  clock?: Clock;
  throttle?: FailedAuthThrottle;
  signOuts?: SignOuts;
}

/**
 * Bearer token (the CLI, a UI with single sign-on) or, failing that, the codec session cookie from a
 * browser page served at one of `cookieOrigins`. Anything else is 401.
 */
export function authenticateCodec(tokens: AuthToken[], opts: CodecAuthOptions) {
  const known = knownTokens(tokens);
  const origins = new Set(opts.cookieOrigins);
  const clock = opts.clock ?? systemClock;
  return (req: Request, res: Response, next: NextFunction) => {
    const cookie = cookieValue(req, CODEC_SESSION_COOKIE);
    if (req.get('authorization') !== undefined || cookie === undefined) {
      const caller = bearerCaller(req, known);
      if (caller instanceof FerryError)
        return next(failed(req, caller, opts.throttle, req.get('authorization') !== undefined));
      res.locals.caller = caller;
      return next();
    }
    // SameSite=Strict already keeps other sites out; the Origin check also keeps out every other
    // origin of this site (another port on the host, a sibling subdomain), which the browser does not.
    const origin = req.get('origin');
    if (!origin || !origins.has(origin) || req.get('sec-fetch-site') === 'cross-site') {
      return next(
        new FerryError(
          'UNAUTHENTICATED',
          'the Ferry session is accepted only from the Temporal UI; other callers need an Authorization: Bearer <token> header',
          401,
        ),
      );
    }
    const caller = sessionCaller(cookie, tokens, clock);
    const invalid = () =>
      failed(
        req,
        new FerryError(
          'UNAUTHENTICATED',
          'the Ferry session has expired, was signed out, or is not valid: sign in on the admin page again',
          401,
        ),
        opts.throttle,
        true,
      );
    if (!caller) return next(invalid());
    signedOutSince(opts.signOuts, caller).then((revoked) => {
      if (revoked) return next(invalid());
      res.locals.caller = { name: caller.name, role: caller.role } satisfies Caller;
      next();
    }, next);
  };
}
