import { TERMINAL_STATUSES } from '../vocabulary';
import { ApiError, ApiUnreachableError, type ApiClient, type ImportView } from './api-client';
import { addSample, estimateSecondsLeft, progressLine, type Sample } from './progress';

export interface ProgressOutput {
  write(text: string): void;
  /** A terminal gets one line redrawn in place; a log file gets a line per change. */
  isTTY: boolean;
}

export interface WaitDeps {
  client: ApiClient;
  stderr: ProgressOutput;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** An api restart or a proxy hiccup during a long import should not end the wait. */
const TOLERATED_FAILURES = 10;

/** Polls the import until it reaches a terminal status, drawing progress on stderr. */
export async function waitForImport(deps: WaitDeps, id: number, intervalMs: number): Promise<ImportView> {
  let samples: Sample[] = [];
  let lastPrinted = '';
  let failures = 0;
  let hinted = false;
  for (;;) {
    let imp: ImportView;
    try {
      imp = await deps.client.getImport(id);
      failures = 0;
    } catch (err) {
      if (!isTransient(err) || ++failures > TOLERATED_FAILURES) throw err;
      deps.stderr.write(
        `${deps.stderr.isTTY ? '\n' : ''}ferry: ${(err as Error).message}; retrying (${failures}/${TOLERATED_FAILURES})\n`,
      );
      await deps.sleep(intervalMs);
      continue;
    }
    samples = addSample(samples, { atMs: deps.now(), done: imp.progress.rowsProcessed });
    const finished = TERMINAL_STATUSES.includes(imp.status);
    const state = {
      id,
      status: imp.status,
      phase: imp.phase,
      done: imp.progress.rowsProcessed,
      total: imp.progress.total,
      finished,
    };
    const line = progressLine({ ...state, secondsLeft: estimateSecondsLeft(samples, state.total) });
    if (deps.stderr.isTTY) {
      deps.stderr.write(`\r${line}\x1b[K${finished ? '\n' : ''}`);
    } else {
      const key = progressLine(state).replace(/ETA.*$/, '');
      if (key !== lastPrinted || finished) deps.stderr.write(`${line}\n`);
      lastPrinted = key;
    }
    if (finished) return imp;
    if (imp.status === 'awaiting_approval' && !hinted) {
      hinted = true;
      deps.stderr.write(
        `${deps.stderr.isTTY ? '\n' : ''}import ${id} is waiting for approval: ferry approve ${id} (or ferry reject ${id})\n`,
      );
    }
    await deps.sleep(intervalMs);
  }
}

function isTransient(err: unknown): boolean {
  return err instanceof ApiUnreachableError || (err instanceof ApiError && (err.status >= 500 || err.status === 429));
}
