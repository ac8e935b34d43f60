import { loadFaultPoints, type FaultPointSpec } from './config';

/**
 * Named places where the fault tests (test/integration/faults) stop a worker at an exact moment,
 * so a crash lands between two known steps instead of wherever a timer happens to fall:
 * - `batch-written`: inside a batch's transaction, after its customer writes and outcomes, before
 *   its batch marker and counters (F2: a crash mid-transaction);
 * - `batch-committed`: right after a batch's transaction committed (or found its marker), before
 *   the activity reports back to Temporal (F1: a crash between commit and completion);
 * - `upload-staged`: in the api, right after an upload's records and queued status committed,
 *   before its workflow is started (an api that dies there leaves an import no run has picked up);
 * - `staging-chunk-committed`: in the api, after a further chunk of a large file committed while
 *   its run imports (an api that dies there leaves a run waiting for records that never come);
 * - `range-checked`: in the worker, after a committed range's checks were recorded, before the
 *   activity reports back (its retry must record the same range once).
 * docs/faults.md lists them with the scenarios that use them.
 */
export type FaultPointName =
  'batch-written' | 'batch-committed' | 'upload-staged' | 'staging-chunk-committed' | 'range-checked';

let armed: Map<string, FaultPointSpec> | undefined;
const passes = new Map<string, number>();

/**
 * A no-op unless FERRY_FAULT_POINTS names this point (`name:kill@n` or `name:block@n`): then, on the
 * process's n-th pass, `kill` SIGKILLs the process (no cleanup, no graceful shutdown: a power cut)
 * and `block` never returns, holding whatever the caller holds (an open transaction) until the
 * test kills the process.
 */
export async function faultPoint(name: FaultPointName): Promise<void> {
  armed ??= loadFaultPoints();
  const spec = armed.get(name);
  if (!spec) return;
  const pass = (passes.get(name) ?? 0) + 1;
  passes.set(name, pass);
  if (pass !== spec.nth) return;
  // The test waits for this line to know the process stands exactly here.
  process.stderr.write(`ferry fault point ${name}: ${spec.action}\n`);
  if (spec.action === 'kill') process.kill(process.pid, 'SIGKILL');
  await new Promise<never>(() => {});
}

/** `.then(passing('batch-committed'))`: the fault point after a step that resolves a value, passing the value on. */
export function passing<T>(name: FaultPointName): (value: T) => Promise<T> {
  return async (value) => {
    await faultPoint(name);
    return value;
  };
}
