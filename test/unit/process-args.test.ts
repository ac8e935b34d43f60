import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENTRY_POINT_ENV, entryPointArgs, HEAP_LIMIT_MB } from '../../src/main/process-args';

const scripts = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

describe('how Ferry processes are started', () => {
  it('npm run api and npm run worker build, then start node exactly as npm start and the benchmark do', () => {
    for (const entry of ['api', 'worker'] as const) {
      const env = Object.entries(ENTRY_POINT_ENV).map(([k, v]) => `${k}=${v}`);
      // exec: node replaces the script's shell, so the SIGTERM npm passes on reaches it (npm-signals.test.ts).
      expect(scripts[entry]).toBe(['npm run build &&', ...env, 'exec node', ...entryPointArgs(entry)].join(' '));
    }
  });

  it('caps the V8 heap below the 300 MB each process is allowed', () => {
    expect(entryPointArgs('worker')[0]).toBe(`--max-old-space-size=${HEAP_LIMIT_MB}`);
    expect(HEAP_LIMIT_MB).toBeLessThan(300);
  });

  it('runs the bundle on plain node: no module loader thread in the process', () => {
    for (const entry of ['api', 'worker'] as const) {
      expect(entryPointArgs(entry)).not.toContain('--import');
      expect(entryPointArgs(entry).at(-1)).toBe(`dist/${entry}.js`);
    }
  });
});
