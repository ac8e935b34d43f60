import { mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Where the browser tests save their screenshots: an ignored folder, so a test run leaves the
 * checkout clean. `SCREENSHOTS_DIR=docs/screenshots npm test` refreshes the README's pictures.
 */
export function screenshotsDir(): string {
  const dir = path.resolve(process.env.SCREENSHOTS_DIR ?? 'test-results/screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
