/**
 * The V8 heap ceiling of each Ferry process, in MB. Ferry's live data is bounded (a staging chunk,
 * one batch and the one prepared ahead), but V8 grows its heap lazily up to the default ceiling
 * (a quarter of the machine's memory): with this ceiling it collects sooner, and a process stays
 * under 300 MB resident whatever the file size. package.json's `api` and `worker` scripts pass the
 * same value (a unit test keeps them equal).
 */
export const HEAP_LIMIT_MB = 192;

/** `node` arguments that run a Ferry entry point (src/main/*.ts) as production runs it. */
export function entryPointArgs(script: string): string[] {
  return [`--max-old-space-size=${HEAP_LIMIT_MB}`, '--import', 'tsx', script];
}
