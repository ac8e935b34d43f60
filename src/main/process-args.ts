/**
 * The V8 heap ceiling of each Ferry process, in MB. Ferry's live data is bounded (a staging chunk,
 * one batch and the one prepared ahead), but V8 grows its heap lazily up to the default ceiling
 * (a quarter of the machine's memory): with this ceiling it collects sooner, and a process stays
 * under 300 MB resident whatever the file size. package.json's `api` and `worker` scripts pass the
 * same value (a unit test keeps them equal).
 */
export const HEAP_LIMIT_MB = 192;

/**
 * Environment a Ferry process must start with: glibc reads it before any code runs. Two malloc
 * arenas instead of up to eight per core for the threads a worker runs (libuv, V8, the Temporal
 * core, tsx's loader): the worker's peak RSS at 100k records went from 311 to 290 MB, at the same
 * speed. package.json's `api` and `worker` scripts set the same (the unit test checks), so the
 * image, which runs them, does too.
 */
export const ENTRY_POINT_ENV = { MALLOC_ARENA_MAX: '2' } as const;

/** `node` arguments that run a Ferry entry point (src/main/*.ts) as production runs it. */
export function entryPointArgs(script: string): string[] {
  return [`--max-old-space-size=${HEAP_LIMIT_MB}`, '--import', 'tsx', script];
}
