import { randomUUID } from 'node:crypto';
import { ApiError, ApiUnreachableError, type ApiClient, type UploadInput } from './api-client';
import type { WaitDeps } from './wait';

/** Waits between attempts: together about 45 s, longer than an api takes to restart in a deploy. */
export const UPLOAD_RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 15_000];

/**
 * Uploads, and sends the same upload again while no Ferry api answers (refused or cut connection,
 * a proxy's 502 or 504). Every attempt carries one Idempotency-Key, so an attempt whose answer was
 * lost after the api staged the file is answered with that import, never a second one. Ferry's own
 * answers, errors included, end the retries.
 */
export async function uploadWithRetries(
  deps: Pick<WaitDeps, 'stderr' | 'sleep'> & { client: Pick<ApiClient, 'upload'> },
  input: UploadInput,
  key: string = randomUUID(),
) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await deps.client.upload(input, key);
    } catch (err) {
      const delay = UPLOAD_RETRY_DELAYS_MS[attempt];
      if (!isGatewayFailure(err) || delay === undefined) throw err;
      deps.stderr.write(
        `ferry: ${(err as Error).message}; sending the upload again in ${delay / 1000} s (${attempt + 1}/${UPLOAD_RETRY_DELAYS_MS.length})\n`,
      );
      await deps.sleep(delay);
    }
  }
}

function isGatewayFailure(err: unknown): boolean {
  return err instanceof ApiUnreachableError || (err instanceof ApiError && (err.status === 502 || err.status === 504));
}
