import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { EntryPoint } from '../src/main/process-args';
import { spawnEntryPoint } from '../src/main/spawn-entry-point';

/** A Ferry entry point in its own process, as production runs it. */
export function startProcess(name: EntryPoint, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): ChildProcess {
  return spawnEntryPoint(name, { env: { ...process.env, ...env }, nodeArgs, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Peak resident set size (VmHWM) of a live process, in MB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** Resets a process's peak RSS (Linux clear_refs 5), so the next reading is the peak of what follows. */
export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

export async function waitForHttp(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer`);
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 40_000).unref();
  });
}
