/** What `/readyz` reports: every dependency the api needs to serve, each with its own verdict. */
export interface Readiness {
  ok: boolean;
  checks: Record<string, { ok: boolean; error?: string }>;
}

export type ReadinessCheck = () => Promise<unknown>;

/**
 * Runs the checks side by side, each bounded by `timeoutMs`, so a hung dependency answers "not ready"
 * instead of hanging the probe. Only error codes and fixed texts are reported, never connection strings.
 */
export async function probe(checks: Record<string, ReadinessCheck>, timeoutMs = 2000): Promise<Readiness> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })), timeoutMs);
      });
      try {
        await Promise.race([check(), timeout]);
        return [name, { ok: true }] as const;
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        return [
          name,
          { ok: false, error: typeof code === 'string' || typeof code === 'number' ? String(code) : 'UNREACHABLE' },
        ] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const result = Object.fromEntries(entries);
  return { ok: entries.every(([, r]) => r.ok), checks: result };
}
