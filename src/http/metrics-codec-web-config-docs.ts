import { z } from 'zod';
import type { ApiRegistry } from './openapi';

/**
 * The routes of the admin page's settings, metrics and the Temporal codec server, mounted by routers of their own,
 * described here so the reference lists them; the route-coverage test fails when one drifts.
 */
export function describeMetricsCodecAndWebConfig(registry: ApiRegistry): void {
  registry.add({
    method: 'get',
    path: '/web-config.json',
    summary: "The admin page's settings (upload limit, Temporal UI address)",
    tag: 'admin page',
    access: 'none',
    responses: {
      200: { description: 'Settings.', schema: z.object({ maxUploadBytes: z.number(), temporalUiUrl: z.string() }) },
    },
  });
  registry.add({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics: counts by status, source and outcome; no record values',
    description:
      "Asks for Authorization: Bearer <METRICS_TOKEN> when that is set; otherwise answers callers on the api's host only. Its queries run at most once a second.",
    tag: 'health',
    access: 'none',
    responses: {
      200: { description: 'Prometheus text format.', contentTypes: ['text/plain'] },
      401: { description: 'METRICS_TOKEN is set and was not given (UNAUTHENTICATED).' },
      403: { description: 'No METRICS_TOKEN and the caller is not on this host (METRICS_LOCAL_ONLY).' },
    },
  });
  const payloads = z.object({
    payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()).optional(), data: z.string().optional() })),
  });
  for (const op of ['encode', 'decode'] as const) {
    registry.add({
      method: 'post',
      path: `/codec/${op}`,
      summary: `Temporal codec server: ${op} payloads (for the Temporal UI and CLI)`,
      tag: 'temporal codec',
      // Encoding lets a caller forge payloads a workflow would trust: admin only.
      access: op === 'encode' ? 'admin' : 'viewer',
      body: { contentType: 'application/json', schema: payloads },
      description:
        "A bearer token, or (from the Temporal UI's origin only) the codec session cookie that POST /codec/session sets.",
      responses: {
        200: { description: `The ${op}d payloads.`, schema: payloads },
        404: { description: 'No codec key configured (CODEC_NOT_CONFIGURED).' },
      },
    });
  }
  registry.add({
    method: 'post',
    path: '/codec/session',
    summary:
      'Sets the codec session cookie (HttpOnly, SameSite=Strict, Path=/codec, 8 h) so the Temporal UI can decode payloads',
    tag: 'temporal codec',
    access: 'viewer',
    responses: {
      204: { description: 'Cookie set.', headers: { 'Set-Cookie': 'ferry_codec_session=…' } },
      404: { description: 'No codec key configured (CODEC_NOT_CONFIGURED).' },
    },
  });
  registry.add({
    method: 'delete',
    path: '/codec/session',
    summary:
      'Clears the codec session cookie (signing out of the admin page); with a valid cookie, ends every session of its token name on every replica at once',
    tag: 'temporal codec',
    access: 'none',
    responses: { 204: { description: 'Cookie cleared.' } },
  });
}
