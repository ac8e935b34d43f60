import http from 'node:http';
import type { Express } from 'express';

/**
 * Longer than the 60 s idle timeout of common load balancers and proxies: the api must not close a
 * kept-alive connection the proxy (or a client) is about to send the next request on.
 */
const KEEP_ALIVE_MS = 65_000;

export interface HttpService {
  server: http.Server;
  /**
   * Stops accepting connections, closes idle ones, and waits for the requests in flight to end, at
   * most `graceMs`; then cuts what is left. True when every request ended in time.
   */
  close(graceMs: number): Promise<boolean>;
}

/** The api's HTTP server: timeouts sized for large uploads, and a shutdown that lets requests in flight finish. */
export function serveHttp(
  app: Express,
  opts: { port: number; requestTimeoutMs: number },
  onListening: (port: number) => void,
): HttpService {
  // Node checks the deadline only every connectionsCheckingInterval (30 s by default): often enough for a short one too.
  const server = http.createServer(
    {
      requestTimeout: opts.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(30_000, Math.max(500, opts.requestTimeoutMs / 4)),
    },
    app,
  );
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = Math.min(KEEP_ALIVE_MS + 1_000, opts.requestTimeoutMs);
  let closing = false;
  server.on('request', (_req, res) => {
    // Once closing, a connection whose request has ended is idle: close it instead of keeping it alive.
    res.once('close', () => closing && server.closeIdleConnections());
  });
  server.listen(opts.port, () => onListening((server.address() as { port: number }).port));
  return {
    server,
    async close(graceMs) {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const inTime = await Promise.race([
        closed.then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
      ]);
      clearTimeout(timer);
      if (!inTime) server.closeAllConnections();
      await closed;
      return inTime;
    },
  };
}
