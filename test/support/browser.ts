import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

// Debian's chromium, never a downloaded browser; everything that would phone home is off.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Chromium for the browser tests (installed by .ci/run when missing). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * Where the browser tests save their screenshots: an ignored folder, so a test run leaves the
 * checkout clean. `SCREENSHOTS_DIR=docs/screenshots npm test` refreshes the README's pictures.
 */
export function screenshotsDir(): string {
  const dir = path.resolve(process.env.SCREENSHOTS_DIR ?? 'test-results/screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Signs a tab in with a token and waits for the import log. */
export async function signInTab(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.fill('#token', token);
  await page.press('#token', 'Enter');
  await page.getByRole('heading', { name: 'Customer imports' }).waitFor();
}
