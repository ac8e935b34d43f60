import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Payload } from '@temporalio/common';
import type { AuthToken } from '../../config';
import { systemClock, type Clock } from '../../domain/clock';
import { FerryError } from '../../errors';
import type { CodecKey } from '../../codec-keys';
import { AesGcmCodec } from '../../temporal/codec';
import type { FailedAuthThrottle } from '../auth-throttle';
import {
  authenticate,
  authenticateCodec,
  bearerToken,
  CODEC_SESSION_COOKIE,
  CODEC_SESSION_PATH,
  cookieValue,
  issueCodecSession,
  requireAdmin,
  sessionCaller,
  type SignOuts,
} from '../auth';

declare module '../app' {
  interface AppDeps {
    /** FERRY_CODEC_KEYS: without keys the codec routes answer 404 CODEC_NOT_CONFIGURED. */
    codecKeys?: CodecKey[];
    /** Origins allowed to call the codec routes from a browser (the Temporal UI), with the session cookie too. */
    codecCorsOrigins?: string[];
    /** PUBLIC_URL: where browsers reach the api; an https one makes the session cookie Secure. */
    publicUrl?: string;
  }
}

export interface CodecRouteDeps {
  tokens: AuthToken[];
  codecKeys?: CodecKey[];
  codecCorsOrigins?: string[];
  clock?: Clock;
  throttle?: FailedAuthThrottle;
  publicUrl?: string;
  signOuts?: SignOuts;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');
const body = z.object({
  payloads: z
    .array(
      z.object({ metadata: z.record(z.string(), base64).optional().default({}), data: base64.optional().default('') }),
    )
    .max(10_000),
});

type JsonPayload = { metadata: Record<string, string>; data: string };
const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))]),
  ),
  data: new Uint8Array(Buffer.from(p.data, 'base64')),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

/**
 * The Temporal codec server protocol (`temporal server start-dev --ui-codec-endpoint …/codec`):
 * POST /encode and /decode take and give `{ payloads: [{ metadata, data }] }` with base64 values.
 * Any valid token (viewer or admin) may decode: as a bearer header (the CLI; a UI with single
 * sign-on and "pass access token"), or as the codec session cookie that signing in on the admin page
 * sets, which a Temporal UI without a login sends with "include cross-origin credentials" on.
 */
export function codecRoutes(deps: CodecRouteDeps): express.Router {
  const router = express.Router();
  const origins = new Set(deps.codecCorsOrigins ?? []);
  const codec = deps.codecKeys && deps.codecKeys.length > 0 ? new AesGcmCodec(deps.codecKeys) : null;

  // CORS first: the browser's preflight carries no token.
  router.use((req: Request, res: Response, next: NextFunction) => {
    const origin = req.get('origin');
    if (origin && origins.has(origin)) {
      res.set('Access-Control-Allow-Origin', origin);
      res.set('Access-Control-Allow-Credentials', 'true');
      res.set('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.set('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
      res.set('Access-Control-Max-Age', '600');
      res.vary('Origin');
    }
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next();
  });
  router.post(
    '/session',
    authenticate(deps.tokens, deps.throttle),
    (req: Request, res: Response, next: NextFunction) => {
      if (!codec)
        return next(new FerryError('CODEC_NOT_CONFIGURED', 'no codec key is configured (FERRY_CODEC_KEYS)', 404));
      // authenticate() has just accepted this token.
      const session = issueCodecSession(bearerToken(req)!, deps.clock);
      res.cookie(CODEC_SESSION_COOKIE, session.value, {
        ...sessionCookie(req, deps.publicUrl),
        maxAge: session.maxAgeSeconds * 1000,
      });
      res.set('Cache-Control', 'no-store').status(204).end();
    },
  );
  // Signing out needs no token: forgetting a session can harm nobody. A valid session cookie also
  // ends every session of its name on the server, so a copy of the cookie stops working at once.
  router.delete('/session', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const cookie = cookieValue(req, CODEC_SESSION_COOKIE);
      const caller = cookie === undefined ? null : sessionCaller(cookie, deps.tokens, deps.clock ?? systemClock);
      if (caller && deps.signOuts) await deps.signOuts.record(caller.name, (deps.clock ?? systemClock).now());
      res.clearCookie(CODEC_SESSION_COOKIE, sessionCookie(req, deps.publicUrl));
      res.set('Cache-Control', 'no-store').status(204).end();
    } catch (err) {
      next(err);
    }
  });
  router.use(
    authenticateCodec(deps.tokens, {
      cookieOrigins: origins,
      clock: deps.clock,
      throttle: deps.throttle,
      signOuts: deps.signOuts,
    }),
  );
  router.use(express.json({ limit: '16mb' }), (_req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  const handle = (op: 'encode' | 'decode') => async (req: Request, res: Response, next: NextFunction) => {
    try {
      if (!codec) throw new FerryError('CODEC_NOT_CONFIGURED', 'no codec key is configured (FERRY_CODEC_KEYS)', 404);
      const { payloads } = body.parse(req.body ?? {});
      let out: Payload[];
      try {
        out = await codec[op](payloads.map(fromJson));
      } catch {
        // Never echo the payload or the crypto error's detail.
        throw new FerryError('CODEC_FAILED', `the payloads could not be ${op}d (wrong key or tampered data)`, 400);
      }
      res.json({ payloads: out.map(toJson) });
    } catch (err) {
      next(err);
    }
  };
  // The UI only decodes; encoding lets a caller forge payloads a workflow would trust.
  router.post('/encode', requireAdmin, handle('encode'));
  router.post('/decode', handle('decode'));
  return router;
}

/**
 * Secure when the configured public URL is https, else when this request came over TLS (to the api,
 * or to a proxy trusted by TRUST_PROXY): never from the Host header, which the client writes.
 */
function sessionCookie(req: Request, publicUrl: string | undefined) {
  const secure = publicUrl ? publicUrl.startsWith('https:') : req.secure;
  return { path: CODEC_SESSION_PATH, httpOnly: true, sameSite: 'strict' as const, secure };
}
