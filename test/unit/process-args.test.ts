import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENTRY_POINT_ENV, entryPointArgs, HEAP_LIMIT_MB } from '../../src/main/process-args';

const scripts = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;

describe('how Ferry processes are started', () => {
  it('npm run api and npm run worker start node exactly as npm start and the benchmark do', () => {
    for (const entry of ['api', 'worker']) {
      const env = Object.entries(ENTRY_POINT_ENV).map(([k, v]) => `${k}=${v}`);
      expect(scripts[entry]).toBe([...env, 'node', ...entryPointArgs(`src/main/${entry}.ts`)].join(' '));
    }
  });

  it('caps the V8 heap below the 300 MB each process is allowed', () => {
    expect(entryPointArgs('src/main/worker.ts')[0]).toBe(`--max-old-space-size=${HEAP_LIMIT_MB}`);
    expect(HEAP_LIMIT_MB).toBeLessThan(300);
  });
});
