import type { NextFunction, Request, Response } from 'express';
import { systemClock, type Clock } from '../domain/clock';
import { FerryError } from '../errors';

/** Addresses remembered at once: a flood from many addresses forgets the oldest, never grows the heap. */
const MAX_ADDRESSES = 10_000;
const WINDOW_MS = 60_000;

/**
 * Failed authentications per client address in a fixed one-minute window. Past the limit the
 * address is answered 429 before its token is even looked at, until the window ends.
 */
export class FailedAuthThrottle {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(
    readonly failuresPerMinute: number,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Seconds until the address may try again; 0 when it may now. */
  retryAfterSeconds(address: string): number {
    const w = this.windows.get(address);
    if (!w) return 0;
    const left = w.start + WINDOW_MS - this.clock.now().getTime();
    if (left <= 0) {
      this.windows.delete(address);
      return 0;
    }
    return w.failures >= this.failuresPerMinute ? Math.ceil(left / 1000) : 0;
  }

  recordFailure(address: string): void {
    const now = this.clock.now().getTime();
    const w = this.windows.get(address);
    if (w && now < w.start + WINDOW_MS) {
      w.failures += 1;
      return;
    }
    this.windows.delete(address);
    if (this.windows.size >= MAX_ADDRESSES) this.windows.delete(this.windows.keys().next().value!);
    this.windows.set(address, { start: now, failures: 1 });
  }
}

export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** First in the chain: a throttled address costs no token comparison, no body parsing, no query. */
export function refuseThrottledAddresses(throttle: FailedAuthThrottle) {
  return (req: Request, res: Response, next: NextFunction) => {
    const wait = throttle.retryAfterSeconds(clientAddress(req));
    if (wait === 0) return next();
    res.set('Retry-After', String(wait));
    next(
      new FerryError(
        'AUTH_THROTTLED',
        `too many failed authentications from this address: at most ${throttle.failuresPerMinute} a minute; try again in ${wait} s`,
        429,
      ),
    );
  };
}
