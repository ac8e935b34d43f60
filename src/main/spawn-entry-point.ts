import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { PROJECT_ROOT } from '../project-root';
import { ENTRY_POINT_ENV, entryPointArgs, type EntryPoint } from './process-args';

export interface EntryPointSpawnOptions extends Omit<SpawnOptions, 'cwd' | 'env'> {
  env: NodeJS.ProcessEnv;
  /** Node flags before the entry point's own (a profiler's, say). */
  nodeArgs?: string[];
}

/**
 * A built entry point (dist/) in a process of its own, started as production starts it: its node
 * arguments, the project's root as working directory (the bundle's path is relative to it) and
 * ENTRY_POINT_ENV over `env`. npm start, the benchmark and the tests that run Ferry processes use it.
 */
export function spawnEntryPoint(
  name: EntryPoint,
  { env, nodeArgs = [], ...options }: EntryPointSpawnOptions,
): ChildProcess {
  return spawn(process.execPath, [...nodeArgs, ...entryPointArgs(name)], {
    ...options,
    cwd: PROJECT_ROOT,
    env: { ...env, ...ENTRY_POINT_ENV },
  });
}
