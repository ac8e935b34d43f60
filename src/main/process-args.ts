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
 * core), which each keep freed memory of their own. Blocks from 128 kB up mapped on their own and
 * the heap trimmed from 128 kB free at its top, instead of glibc's thresholds that grow as large
 * blocks are freed: memory freed after a batch goes back to the system. Neither costs speed
 * (BENCHMARKS.md has the figures). package.json's `api` and `worker` scripts set the same (the unit
 * test checks), so the image, which runs them, does too.
 */
export const ENTRY_POINT_ENV = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_TRIM_THRESHOLD_: '131072',
} as const;

/** The long-running processes and their sources; each runs from its bundle (src/main/build-entry-points.ts). */
export const ENTRY_POINTS = { api: 'src/main/api.ts', worker: 'src/main/worker.ts' } as const;
export type EntryPoint = keyof typeof ENTRY_POINTS;

/** Where the bundles go, from the project's root. */
export const BUILD_DIR = 'dist';

/** The bundle of an entry point, from the project's root. */
export const entryPointFile = (name: EntryPoint) => `${BUILD_DIR}/${name}.js`;

/**
 * `node` arguments that run a built entry point as production runs it, from the project's root.
 * Source maps on: a stack trace names the TypeScript file and line.
 */
export function entryPointArgs(name: EntryPoint): string[] {
  return [`--max-old-space-size=${HEAP_LIMIT_MB}`, '--enable-source-maps', entryPointFile(name)];
}
