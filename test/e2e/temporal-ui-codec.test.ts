import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/domain/clock';
import { createApp } from '../../src/http/app';
import { createLogger } from '../../src/logger';
import { ensureTemporalCli, startDevServer } from '../../src/temporal/dev-server';
import { temporalDedupeControl } from '../../src/temporal/dedupe-control';
import { temporalControl } from '../../src/temporal/import-control';
import { freePort } from '../support/free-port';
import { importFile } from '../support/http';
import { launchChromium, screenshotsDir } from '../support/browser';
import { startStack, testCodecKeys, type Stack } from '../support/stack';

/**
 * The Temporal UI bundled with CLI v1.5.1 (UI 2.42.1) reading Ferry's encrypted payloads through the
 * codec endpoint, as `npm start` sets it up: a dev server of our own with its UI and
 * `--ui-codec-endpoint <api>/codec` (the suite's shared server is headless), and the api answering
 * CORS for the UI's origin. The UI has no login; what it can send is Ferry's codec session cookie,
 * set by signing in on the admin page of the same host.
 */
const SAMPLE = path.resolve('samples/nana-customers.csv');

interface CodecCall {
  path: string;
  origin?: string;
  cookie: boolean;
  authorization: boolean;
  status?: number;
}

let SCREENSHOTS: string;
let dir: string;
let devServer: ChildProcess;
let stack: Stack;
let apiServer: Server;
let api: string;
let ui: string;
let browser: Browser;
let importId: number;
let workflowId: string;
const calls: CodecCall[] = [];

beforeAll(async () => {
  SCREENSHOTS = screenshotsDir();
  dir = mkdtempSync(path.join(os.tmpdir(), 'ferry-ui-codec-'));
  const [temporalPort, uiPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  api = `http://127.0.0.1:${apiPort}`;
  ui = `http://127.0.0.1:${uiPort}`;
  devServer = await startDevServer(await ensureTemporalCli(), {
    port: temporalPort,
    uiPort,
    dbFile: path.join(dir, 'temporal.sqlite'),
    uiCodecEndpoint: `${api}/codec`,
  });
  stack = await startStack({ temporalAddress: `127.0.0.1:${temporalPort}` });
  apiServer = await startApi(apiPort);
  browser = await launchChromium();
  const done = await importFile({ ...stack, baseUrl: api }, readFileSync(SAMPLE), { fileName: 'nana-customers.csv' });
  expect(done.status).toBe('completed');
  importId = done.id;
  workflowId = done.workflowId;
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => (apiServer ? apiServer.close(r) : r(null)));
  await stack?.close();
  await new Promise<void>((resolve) => {
    if (!devServer || devServer.exitCode !== null) return resolve();
    devServer.once('exit', () => resolve());
    devServer.kill('SIGTERM');
    setTimeout(() => devServer.kill('SIGKILL'), 5_000).unref();
  });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The api on a port known before the dev server starts, CORS open to the UI's origin, every codec call recorded. */
async function startApi(port: number): Promise<Server> {
  const app = createApp({
    pool: stack.pool,
    clock: systemClock,
    logger: createLogger('silent', 'test'),
    tokens: [
      { name: 'alice', role: 'admin', token: stack.adminToken },
      { name: 'victor', role: 'viewer', token: stack.viewerToken },
    ],
    maxUploadBytes: 64 * 1024 * 1024,
    workflows: temporalControl(stack.client, stack.taskQueue),
    dedupeWorkflows: temporalDedupeControl(stack.client, stack.taskQueue),
    ready: async () => ({ ok: true, checks: {} }),
    uploadDir: stack.uploadDir,
    codecKeys: testCodecKeys,
    codecCorsOrigins: [ui],
  });
  const outer = express();
  outer.use('/codec', (req, res, next) => {
    const call: CodecCall = {
      path: req.path,
      origin: req.get('origin'),
      cookie: /ferry_codec_session=/.test(req.get('cookie') ?? ''),
      authorization: req.get('authorization') !== undefined,
    };
    if (req.method === 'POST' && /^\/(de|en)code$/.test(req.path)) calls.push(call);
    res.on('finish', () => (call.status = res.statusCode));
    next();
  });
  outer.use(app);
  return new Promise((resolve) => {
    const s = outer.listen(port, '127.0.0.1', () => resolve(s));
  });
}

async function signInToFerry(page: Page) {
  await page.goto(`${api}/`);
  await page.fill('#token', stack.viewerToken);
  await page.press('#token', 'Enter');
  await page.getByRole('heading', { name: 'Customer imports' }).waitFor();
}

/** The UI's per-browser Codec Server settings, set the way an operator does it once per browser. */
async function useBrowserCodecSettings(page: Page) {
  await page.goto(`${ui}/namespaces/default/workflows`);
  await page.locator('[data-testid^="data-encoder-status"]').first().click();
  await page.getByTestId('data-encoder-title').waitFor();
  await page.getByTestId('override-accordion').getByRole('button').first().click();
  await page.getByText('Use my browser setting and ignore cluster-level setting').first().click();
  await page.fill('#data-encoder-endpoint-input', `${api}/codec`);
  // The switch sits under the UI's sticky top bar at this scroll position: toggled from the keyboard.
  await page.locator('#pass-access-credentials').focus();
  await page.keyboard.press('Space');
  expect(await page.locator('#pass-access-credentials').isChecked()).toBe(true);
  await page.getByTestId('confirm-data-encoder-button').click();
  await page.getByTestId('data-encoder-title').waitFor({ state: 'detached' });
}

/**
 * Opens the workflow, waits for the UI's codec verdict (its top-bar icon turns to success or error)
 * and for the payloads to show as `expected`; returns the page text and the codec calls it made.
 */
async function openWorkflow(
  page: Page,
  expected: 'decoded' | 'ciphertext',
): Promise<{ text: string; calls: CodecCall[] }> {
  const before = calls.length;
  await page.goto(`${ui}/namespaces/default/workflows/${workflowId}`);
  await page.getByText('Event History').first().waitFor({ timeout: 30_000 });
  await page
    .locator('[data-testid="data-encoder-status-success"], [data-testid="data-encoder-status-error"]')
    .first()
    .waitFor({ timeout: 30_000 });
  const text = () => page.locator('body').innerText();
  if (expected === 'decoded') await expect.poll(text, { timeout: 15_000 }).toMatch(decodedInput());
  else await expect.poll(text, { timeout: 15_000 }).toContain(CIPHERTEXT);
  const made = () => calls.slice(before);
  await expect.poll(() => made().length > 0 && made().every((c) => c.status !== undefined)).toBe(true);
  return { text: await text(), calls: made() };
}

const decodedInput = () => new RegExp(`"importId":\\s*${importId}\\b`);
/** How the UI shows a payload it could not decode: its metadata in base64, `binary/encrypted` among it. */
const CIPHERTEXT = Buffer.from('binary/encrypted').toString('base64');

describe('reading decoded payloads in the Temporal UI of the dev server', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    page = await context.newPage();
  });
  afterAll(async () => context?.close());

  it("shows ciphertext with the cluster-level endpoint alone, even signed in: start-dev's UI sends no credentials", async () => {
    await signInToFerry(page);
    const { text, calls: made } = await openWorkflow(page, 'ciphertext');
    for (const call of made)
      expect(call).toMatchObject({ origin: ui, cookie: false, authorization: false, status: 401 });
    expect(text).not.toMatch(decodedInput());
    expect(text).toContain(CIPHERTEXT);
    expect(text).toContain('Codec Server could not connect');
  });

  it('shows no decoded payload with "include cross-origin credentials" on but nobody signed in', async () => {
    const fresh = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    try {
      const p = await fresh.newPage();
      await useBrowserCodecSettings(p);
      const { text, calls: made } = await openWorkflow(p, 'ciphertext');
      for (const call of made)
        expect(call).toMatchObject({ origin: ui, cookie: false, authorization: false, status: 401 });
      expect(text).not.toMatch(decodedInput());
      expect(text).toContain(CIPHERTEXT);
    } finally {
      await fresh.close();
    }
  });

  it('shows the decoded input after signing in to Ferry, with the session cookie and no token', async () => {
    await useBrowserCodecSettings(page);
    const { text, calls: made } = await openWorkflow(page, 'decoded');
    for (const call of made)
      expect(call).toMatchObject({ origin: ui, cookie: true, authorization: false, status: 200 });
    expect(text).toMatch(decodedInput());
    expect(text).not.toContain(CIPHERTEXT);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'temporal-ui-decoded.png') });
    // The cookie is the admin page's doing alone: HttpOnly, SameSite=Strict, the codec path only.
    const cookies = (await context.cookies(`${api}/codec/decode`)).filter((c) => c.name === 'ferry_codec_session');
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ path: '/codec', httpOnly: true, sameSite: 'Strict' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('ferry_codec_session');
  });

  it('never lets the cookie work from another site, nor from another origin of this site', async () => {
    // A bare page on another port: http://localhost:<port> is another site, http://127.0.0.1:<port> the same site.
    const other = await new Promise<Server>((resolve) => {
      const s = express()
        .get('/', (_req, res) => res.type('html').send('<!doctype html><title>elsewhere</title>'))
        .listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const port = (other.address() as { port: number }).port;
      // What a hostile page can send without a preflight: a "simple" POST with credentials.
      const fire = async (origin: string) => {
        const before = calls.length;
        await page.goto(`${origin}/`);
        await page.evaluate(
          (url) =>
            fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include', body: '{"payloads":[]}' }).then(
              () => null,
              () => null,
            ),
          `${api}/codec/decode`,
        );
        await expect.poll(() => calls.slice(before).filter((c) => c.status !== undefined).length).toBe(1);
        return calls[before];
      };
      expect(await fire(`http://localhost:${port}`)).toMatchObject({
        origin: `http://localhost:${port}`,
        cookie: false,
        status: 401,
      });
      expect(await fire(`http://127.0.0.1:${port}`)).toMatchObject({
        origin: `http://127.0.0.1:${port}`,
        cookie: true,
        status: 401,
      });
    } finally {
      await new Promise((r) => other.close(r));
    }
  });

  it('goes back to ciphertext once the operator signs out of Ferry', async () => {
    await page.goto(`${api}/`);
    await page.click('#sign-out');
    await page.locator('#token').waitFor();
    await expect
      .poll(async () => (await context.cookies(`${api}/codec/decode`)).some((c) => c.name === 'ferry_codec_session'))
      .toBe(false);
    const { text, calls: made } = await openWorkflow(page, 'ciphertext');
    for (const call of made) expect(call).toMatchObject({ cookie: false, status: 401 });
    expect(text).not.toMatch(decodedInput());
  });
});
