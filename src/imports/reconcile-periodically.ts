import type { Logger } from '../logger';
import { reconcileUnfinished, type OperatorDeps } from './reconcile-import';

/** Often enough that an import the api stopped under starts within a minute of the api coming back. */
export const RECONCILE_EVERY_MS = 15_000;

/**
 * Runs reconcileUnfinished now and then every `everyMs`, so an import no run picked up starts (and a
 * stranded one is marked failed) even if nobody opens it. Every api does it; the claim makes one win.
 * `stop` waits for a pass in progress, so the pool can be closed after it.
 */
export function reconcilePeriodically(
  deps: OperatorDeps,
  logger: Logger,
  everyMs = RECONCILE_EVERY_MS,
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const pass = async () => {
    try {
      const s = await reconcileUnfinished(deps);
      if (s.started || s.markedFailed) logger.info(s, 'reconciled unfinished imports');
    } catch (err) {
      logger.warn({ err }, 'reconciling unfinished imports failed; trying again later');
    }
    // The next pass is timed from the end of this one: passes never overlap.
    if (!stopped) timer = setTimeout(() => (running = pass()), everyMs);
  };
  let running = pass();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
